"""The language model, the minibatch loop, the digit CNN and the diagram helper."""

import math
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from activation_lab import charlm, conv, data, diagrams, minibatch, nets, training

# ---- the corpus and the model ------------------------------------------------------------------


def test_corpus_is_plain_lower_case_text_from_the_standard_library():
    text = charlm.corpus()
    assert len(text) > 100_000
    assert set(text) <= set("abcdefghijklmnopqrstuvwxyz0123456789 .,;:'\"()-\n")
    assert "  " not in text and text == charlm.corpus()


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="abc xyz.", min_size=1, max_size=40))
def test_encode_then_decode_is_the_identity(text):
    vocab = charlm.Vocabulary.from_text(text)
    assert vocab.decode(vocab.encode(text)) == text and vocab.size == len(set(text))


def test_windows_are_consecutive_ids_and_their_successor():
    ids = torch.arange(10)
    X, y = charlm.windows(ids, context=3, stride=2)
    for row, target, start in zip(X, y, range(0, 7, 2)):
        assert row.tolist() == list(range(start, start + 3)) and target.item() == start + 3


def test_bits_per_char_is_cross_entropy_in_base_two():
    model = charlm.CharMLP(5, context=2, embedding=3, hidden=4)
    X, y = torch.randint(0, 5, (50, 2)), torch.randint(0, 5, (50,))
    expected = F.cross_entropy(model(X), y) / math.log(2)
    assert math.isclose(charlm.bits_per_char(model, X, y).item(), expected.item(), rel_tol=1e-6)
    with torch.no_grad():
        model.out.weight.zero_()
        model.out.bias.zero_()  # every logit 0: the uniform distribution over 5 characters
    assert math.isclose(charlm.bits_per_char(model, X, y).item(), math.log2(5), rel_tol=1e-6)


def test_unigram_bits_on_its_own_text_is_the_entropy_of_the_frequencies():
    text = "aaabbc" * 5
    counts = Counter(text)
    entropy = -sum(c / len(text) * math.log2(c / len(text)) for c in counts.values())
    assert math.isclose(charlm.unigram_bits(text, text), entropy)


def test_a_hidden_softmax_makes_the_hidden_units_sum_to_one():
    model = charlm.CharMLP(7, context=3, embedding=2, hidden=16, activation="softmax")
    x = torch.randint(0, 7, (4, 3))
    hidden = model.activation(model.hidden(model.embed(x).flatten(1)))
    torch.testing.assert_close(hidden.sum(dim=1), torch.ones(4))


def test_sampling_is_seeded_and_tends_to_greedy_decoding_at_low_temperature():
    vocab = charlm.Vocabulary.from_text("abcdefgh")
    torch.manual_seed(0)
    model = charlm.CharMLP(vocab.size, context=3, embedding=4, hidden=8)
    a = charlm.sample(model, vocab, "abc", 30, [0.5, 1.0], seed=3)
    assert a == charlm.sample(model, vocab, "abc", 30, [0.5, 1.0], seed=3) and [len(s) for s in a] == [30, 30]
    greedy, ids = "", vocab.encode("abc").tolist()
    with torch.no_grad():
        for _ in range(20):
            ids.append(int(model(torch.tensor([ids[-3:]])).argmax()))
    greedy = vocab.decode(ids[3:])
    assert charlm.sample(model, vocab, "abc", 20, [1e-4], seed=9)[0] == greedy
    with pytest.raises(ValueError):
        charlm.sample(model, vocab, "ab", 5, [1.0])
    with pytest.raises(ValueError):
        charlm.sample(model, vocab, "abc", 5, [0.0])


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="ab", max_size=30), st.integers(1, 6))
def test_repeated_substring_agrees_with_brute_force(text, length):
    pieces = [text[i:i + length] for i in range(len(text) - length + 1)]
    assert charlm.repeated_substring(text, length) == (len(pieces) != len(set(pieces)))


def test_first_temperature_without_repeats_needs_every_warmer_sample_clean():
    loop, clean = "abcd" * 10, "the quick brown fox"
    assert charlm.first_temperature_without_repeats({0.1: loop, 0.5: clean, 1.0: clean}, 4) == 0.5
    assert charlm.first_temperature_without_repeats({0.1: clean, 0.5: loop, 1.0: clean}, 4) == 1.0
    assert charlm.first_temperature_without_repeats({0.1: loop, 1.0: loop}, 4) is None


# ---- minibatch training ---------------------------------------------------------------------------


def test_every_epoch_visits_each_example_once():
    batches = minibatch.batches(10, 4, seed=0)
    for _ in range(3):
        epoch = torch.cat([next(batches) for _ in range(3)])
        assert sorted(epoch.tolist()) == list(range(10))


def test_minibatch_ensemble_equals_each_run_alone():
    moons = data.two_moons(n=60, seed=0)
    make = lambda seed: nets.mlp(2, [8], 2, "tanh", seed=seed)
    together = minibatch.train(nets.Ensemble(make, [1, 2]), moons.X, moons.y, loss="cross_entropy", steps=25,
                               batch_size=16, lr=0.05, record_every=10)
    for r, seed in enumerate([1, 2]):
        alone = minibatch.train(make(seed), moons.X, moons.y, loss="cross_entropy", steps=25, batch_size=16,
                                lr=0.05, record_every=10)
        np.testing.assert_allclose(together.loss[r], alone.loss[0], rtol=1e-5)
    assert together.steps.tolist() == [1, 11, 21, 25]


def test_one_batch_holding_everything_is_full_batch_training():
    moons = data.two_moons(n=40, seed=1)
    a, b = nets.mlp(2, [6], 2, "relu", seed=0), nets.mlp(2, [6], 2, "relu", seed=0)
    minibatch.train(a, moons.X, moons.y, loss="cross_entropy", steps=15, batch_size=40, lr=0.05)
    training.train(b, moons.X, moons.y, loss="cross_entropy", steps=15, lr=0.05)
    for p, q in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-6)


def test_minibatch_rejects_unknown_losses_and_schedules():
    moons = data.two_moons(n=20)
    with pytest.raises(ValueError):
        minibatch.train(nets.mlp(2, [4], 2), moons.X, moons.y, loss="hinge", steps=2, batch_size=4, lr=0.1)
    with pytest.raises(ValueError):
        minibatch.train(nets.mlp(2, [4], 2), moons.X, moons.y, loss="mse", steps=2, batch_size=4, lr=0.1,
                        schedule="step")


# ---- the digit CNN --------------------------------------------------------------------------------


def test_feature_maps_are_the_convolutions_before_and_after_the_activation():
    net = conv.digit_cnn("relu", seed=0)
    images = conv.as_images(data.digits().X[:5])
    (pre1, post1), (pre2, post2) = conv.feature_maps(net, images)
    torch.testing.assert_close(pre1, F.conv2d(images, net[0].weight, net[0].bias, padding=1))
    torch.testing.assert_close(post1, pre1.clamp(min=0))
    torch.testing.assert_close(pre2, F.conv2d(post1, net[2].weight, net[2].bias, stride=2, padding=1))
    assert math.isclose(conv.zero_share(post2), float((pre2 <= 0).float().mean()), abs_tol=1e-6)


def test_the_cnn_takes_any_activation_the_nets_module_accepts():
    for activation in ("tanh", nn.GELU, nn.SiLU()):
        out = conv.digit_cnn(activation, seed=1)(torch.zeros(2, 1, 8, 8))
        assert out.shape == (2, 10)


# ---- diagrams -------------------------------------------------------------------------------------


def test_a_diagram_draws_every_box_and_arrow_and_rejects_unknown_kinds():
    fig, ax = plt.subplots()
    boxes = [diagrams.Box("a", 0.2, 0.8, "Question?", "question"), diagrams.Box("b", 0.8, 0.2, "Yes", "answer"),
             diagrams.Box("c", 0.2, 0.2, "Careful", "warning")]
    drawn = diagrams.draw(ax, boxes, [diagrams.Arrow("a", "b", "yes"), diagrams.Arrow("a", "c")])
    assert set(drawn) == {"a", "b", "c"}
    assert len(ax.patches) + len([c for c in ax.get_children() if type(c).__name__ == "Annotation"]) >= 2
    with pytest.raises(ValueError):
        diagrams.draw(ax, [diagrams.Box("x", 0.5, 0.5, "?", "shout")], [])
    plt.close(fig)
