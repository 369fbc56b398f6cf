"""The feed-forward block of a transformer, plain and gated, with matched parameter counts.

A transformer layer passes each position's vector ``x`` (``d_model`` numbers) through a
feed-forward block. The plain block is ``phi(x W1) W2``. A *gated* block (GLU, Dauphin et
al., 2017; its variants ReGLU, GEGLU and SwiGLU, Shazeer, 2020) has two input projections and
multiplies them: ``(phi(x W) * (x V)) W2``; ``phi(x W)`` acts as a gate on the values ``x V``.
Like Shazeer's blocks, these have no biases.

A gated block has three matrices where the plain one has two, so with hidden width
``2/3`` of the plain block's (:func:`matched_hidden`) both have the same number of parameters.

>>> plain = FeedForward(d_model=64, d_hidden=192, kind="gelu")
>>> swiglu = FeedForward(d_model=64, d_hidden=matched_hidden(192), kind="swiglu")
>>> parameter_count(plain), parameter_count(swiglu)
(24576, 24576)
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

# The function applied to x W in each kind of block. Plain blocks have no V.
GATES = {
    "glu": torch.sigmoid,  # Dauphin et al. (2017)
    "bilinear": lambda z: z,  # no non-linearity at all: a product of two projections
    "reglu": torch.relu,
    "geglu": F.gelu,
    "swiglu": F.silu,  # Swish with beta = 1
}
PLAIN = {"relu": torch.relu, "gelu": F.gelu}
KINDS = tuple(PLAIN) + tuple(GATES)


class FeedForward(nn.Module):
    """``phi(x W1) W2`` (plain kinds) or ``(phi(x W) * x V) W2`` (gated kinds), no biases."""

    def __init__(self, d_model: int, d_hidden: int, kind: str):
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
        self.kind = kind
        self.gated = kind in GATES
        self.hidden = nn.Linear(d_model, d_hidden, bias=False)  # W (W1 in a plain block)
        self.value = nn.Linear(d_model, d_hidden, bias=False) if self.gated else None  # V
        self.out = nn.Linear(d_hidden, d_model, bias=False)  # W2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        phi = GATES[self.kind] if self.gated else PLAIN[self.kind]
        h = phi(self.hidden(x))
        if self.value is not None:
            h = h * self.value(x)
        return self.out(h)

    def extra_repr(self) -> str:
        return f"kind={self.kind}"


class Residual(nn.Module):
    """``x + block(x)``: how a transformer layer wraps its feed-forward block."""

    def __init__(self, block: nn.Module):
        super().__init__()
        self.block = block

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.block(x)


def matched_hidden(plain_hidden: int) -> int:
    """The hidden width of a gated block with as many parameters as a plain one.

    Plain: 2 d_model h parameters; gated: 3 d_model h'. Equal when h' = 2h/3, exactly when
    ``plain_hidden`` is divisible by 3 (Shazeer's T5 blocks: 3072 and 2048).
    """
    if plain_hidden % 3:
        raise ValueError(f"{plain_hidden} is not divisible by 3, so no gated width matches it exactly")
    return 2 * plain_hidden // 3


def parameter_count(module: nn.Module) -> int:
    """The number of trainable numbers in ``module``."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def ffn_network(kind: str, in_features: int, out_features: int, d_model: int, plain_hidden: int, *,
                seed: int | None = None) -> nn.Sequential:
    """Input projection, one residual feed-forward block of ``kind``, output projection.

    Gated kinds get the matched hidden width, so every kind has the same parameter count.
    """
    if seed is not None:
        torch.manual_seed(seed)
    hidden = matched_hidden(plain_hidden) if kind in GATES else plain_hidden
    return nn.Sequential(nn.Linear(in_features, d_model), Residual(FeedForward(d_model, hidden, kind)),
                         nn.Linear(d_model, out_features))
