"""A tiny character-level language model, trained on text that ships with Python.

The corpus is the reference documentation that the standard library carries for ``help()``
(the module ``pydoc_data.topics``), cleaned to lower-case letters, digits, spaces and a few
punctuation marks: about a quarter of a million characters, nothing downloaded. The exact
text depends on the Python version.

The model reads a window of ``context`` characters, embeds each as a short vector, passes
their concatenation through one hidden layer with an activation, and ends in a linear layer
with one **logit per character of the vocabulary**: a softmax over those logits is the
model's probability for the next character (Bengio et al., 2003, with characters for words).

>>> vocab = Vocabulary.from_text("abracadabra")
>>> vocab.chars, vocab.decode(vocab.encode("cab"))
('abcdr', 'cab')
>>> X, y = windows(vocab.encode("abracadabra"), context=3)
>>> vocab.decode(X[0]), vocab.decode(y[:1])
('abr', 'a')
>>> repeated_substring("the cat sat on the cat sat on", 12), repeated_substring("the cat sat on a mat", 12)
(True, False)
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from activation_lab import nets

# Typographic characters in the documentation and their plain equivalents.
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "..."})
_KEEP = re.compile(r"[^a-z0-9 .,;:'\"()\-\n]")

# The samples the book's temperature explorer shows (and its exercise checks).
PROMPT = "the function "
SAMPLE_LENGTH = 300
TEMPERATURES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.5, 2.0)
REPEAT_LENGTH = 20


def corpus() -> str:
    """The cleaned text of every topic in ``pydoc_data.topics``, in sorted topic order.

    Code examples (indented lines) and heading underlines are dropped; paragraphs are
    separated by one newline.
    """
    from pydoc_data.topics import topics

    paragraphs, current = [], []
    for line in "\n\n".join(topics[name] for name in sorted(topics)).splitlines():
        prose = line.strip() and not line.startswith("   ") and not re.fullmatch(r"[*=\-~^+|\s]+", line)
        if prose:
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    text = "\n".join(paragraphs + [" ".join(current)]).lower().translate(_PLAIN)
    return re.sub(r" +", " ", _KEEP.sub("", text)).strip()


@dataclass(frozen=True)
class Vocabulary:
    """The characters a model can read and write, each with an integer id."""

    chars: str

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        return cls("".join(sorted(set(text))))

    @property
    def size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> torch.Tensor:
        index = {c: i for i, c in enumerate(self.chars)}
        return torch.tensor([index[c] for c in text], dtype=torch.long)

    def decode(self, ids) -> str:
        return "".join(self.chars[int(i)] for i in ids)


def windows(ids: torch.Tensor, context: int, stride: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Every window of ``context`` ids (rows of X) and the id that follows it (y)."""
    starts = torch.arange(0, len(ids) - context, stride)
    return ids[starts[:, None] + torch.arange(context)], ids[starts + context]


class CharMLP(nn.Module):
    """Embed ``context`` characters, one hidden layer with ``activation``, logits over the vocabulary.

    The output layer has no activation: it returns logits, and the softmax that turns them into
    next-character probabilities lives in the loss (training) or in :func:`sample`.
    """

    def __init__(self, vocab_size: int, context: int = 6, embedding: int = 12, hidden: int = 128,
                 activation="relu"):
        super().__init__()
        self.context = context
        self.embed = nn.Embedding(vocab_size, embedding)
        self.hidden = nn.Linear(context * embedding, hidden)
        self.activation = nets.activation_module(activation)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.activation(self.hidden(self.embed(x).flatten(1))))


def bits_per_char(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of the next character in bits (log base 2), one value per run."""
    with torch.no_grad():
        logits = model(X)
        logits = logits.unsqueeze(0) if logits.ndim == 2 else logits
        losses = [nn.functional.cross_entropy(run, y) for run in logits]
    return torch.stack(losses) / math.log(2)


def unigram_bits(train_text: str, test_text: str) -> float:
    """Bits per character of the best model that ignores context: character frequencies
    counted on ``train_text`` (every character of ``test_text`` must occur there)."""
    counts = Counter(train_text)
    total = sum(counts.values())
    return -sum(math.log2(counts[c] / total) for c in test_text) / len(test_text)


def sample(model: nn.Module, vocab: Vocabulary, prompt: str, length: int, temperatures: Sequence[float],
           seed: int = 0) -> list[str]:
    """Continue ``prompt`` by ``length`` characters once for every temperature, all in one batch.

    At each step the next character is drawn from softmax(logits / T). The random numbers
    come from a generator seeded with ``seed``, so the same call always writes the same text.
    """
    if len(prompt) < model.context:
        raise ValueError(f"the prompt needs at least {model.context} characters")
    T = torch.as_tensor(temperatures, dtype=torch.float32).reshape(-1, 1)
    if not bool((T > 0).all()):
        raise ValueError("every temperature must be positive")
    generator = torch.Generator().manual_seed(seed)
    ids = vocab.encode(prompt).repeat(len(T), 1)
    with torch.no_grad():
        for _ in range(length):
            probabilities = torch.softmax(model(ids[:, -model.context:]) / T, dim=1)
            ids = torch.cat([ids, torch.multinomial(probabilities, 1, generator=generator)], dim=1)
    return [vocab.decode(row[len(prompt):]) for row in ids]


def repeated_substring(text: str, length: int = REPEAT_LENGTH) -> bool:
    """True if some string of ``length`` characters occurs twice in ``text`` (overlaps allowed):
    the sign of a generator that has fallen into a loop."""
    seen = set()
    for start in range(len(text) - length + 1):
        piece = text[start:start + length]
        if piece in seen:
            return True
        seen.add(piece)
    return False


def temperature_samples(model: nn.Module, vocab: Vocabulary, seed: int = 0) -> dict[float, str]:
    """The explorer's samples: :data:`SAMPLE_LENGTH` characters after :data:`PROMPT` at each of
    :data:`TEMPERATURES`, drawn with ``seed``."""
    return dict(zip(TEMPERATURES, sample(model, vocab, PROMPT, SAMPLE_LENGTH, TEMPERATURES, seed)))


def first_temperature_without_repeats(samples: dict[float, str], length: int = REPEAT_LENGTH) -> float | None:
    """The lowest temperature whose sample (and every warmer one's) has no repeated substring."""
    answer = None
    for temperature in sorted(samples, reverse=True):
        if repeated_substring(samples[temperature], length):
            break
        answer = temperature
    return answer
