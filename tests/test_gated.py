"""Plain and gated feed-forward blocks against their formulas, PyTorch's F.glu, and the
parameter counts of Shazeer (2020)."""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import gated, nets, training

PHI = {"relu": torch.relu, "gelu": F.gelu, "glu": torch.sigmoid, "bilinear": lambda z: z, "reglu": torch.relu,
       "geglu": F.gelu, "swiglu": lambda z: z * torch.sigmoid(z)}


@pytest.mark.parametrize("kind", gated.KINDS)
def test_each_block_computes_its_formula(kind):
    torch.manual_seed(0)
    block = gated.FeedForward(d_model=5, d_hidden=7, kind=kind).double()
    x = torch.randn(9, 5, dtype=torch.float64)
    W, W2 = block.hidden.weight.T, block.out.weight.T
    h = PHI[kind](x @ W)
    if kind in gated.GATES:
        h = h * (x @ block.value.weight.T)
    torch.testing.assert_close(block(x), h @ W2)


def test_glu_block_matches_pytorch_glu():
    torch.manual_seed(1)
    block = gated.FeedForward(d_model=4, d_hidden=3, kind="glu").double()
    x = torch.randn(6, 4, dtype=torch.float64)
    both = torch.cat([block.value(x), block.hidden(x)], dim=-1)
    torch.testing.assert_close(block(x), block.out(F.glu(both, dim=-1)))


@settings(max_examples=30, deadline=None)
@given(d_model=st.integers(1, 64), thirds=st.integers(1, 50))
def test_matched_widths_give_equal_parameter_counts(d_model, thirds):
    plain_width = 3 * thirds
    plain = gated.FeedForward(d_model, plain_width, "gelu")
    for kind in gated.GATES:
        block = gated.FeedForward(d_model, gated.matched_hidden(plain_width), kind)
        assert gated.parameter_count(block) == gated.parameter_count(plain) == 2 * d_model * plain_width


def test_widths_that_cannot_match_are_refused_and_unknown_kinds_too():
    with pytest.raises(ValueError, match="not divisible by 3"):
        gated.matched_hidden(100)
    with pytest.raises(ValueError, match="unknown kind"):
        gated.FeedForward(4, 6, "swish")


def test_every_kind_of_ffn_network_has_the_same_size_and_trains_in_an_ensemble():
    sizes = {gated.parameter_count(gated.ffn_network(kind, 2, 1, d_model=8, plain_hidden=24)) for kind in gated.KINDS}
    assert len(sizes) == 1
    X = torch.rand(64, 2) * 4 - 2
    y = (X[:, 0] * X[:, 1]).reshape(-1, 1)
    runs = nets.Ensemble(lambda seed: gated.ffn_network("bilinear", 2, 1, 8, 24, seed=seed), range(2))
    history = training.train(runs, X, y, loss="mse", steps=300, lr=0.03, record_every=300)
    assert history.metric[:, -1].max() < 0.05  # a product of two projections represents x1 x2


def test_residual_adds_the_input():
    block = gated.Residual(torch.nn.Identity())
    x = torch.randn(3, 4)
    torch.testing.assert_close(block(x), 2 * x)
