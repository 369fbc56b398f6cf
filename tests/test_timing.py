"""Forward and backward timing: the bookkeeping, not the (machine-dependent) numbers."""

import numpy as np
import torch

from activation_lab import cost, timing


def test_relative_costs_normalise_by_relu_and_skip_a_missing_backward():
    result = timing.relative_costs(["tanh", "step", "identity"], elements=2048, repeats=4, calls=2,
                                   extra={"linear": timing.linear_layer(64)})
    assert set(result) == {"relu", "tanh", "step", "identity", "linear"}
    assert np.allclose(result["relu"].forward, 1.0) and np.allclose(result["relu"].backward, 1.0)
    assert result["step"].backward is None and result["step"].forward.shape == (4,)
    for name in ["tanh", "identity", "linear"]:
        assert np.all(result[name].forward > 0) and np.all(result[name].backward > 0)


def test_linear_layer_is_one_affine_map_per_row_of_width_elements():
    layer = timing.linear_layer(8, seed=0)
    x, zero = torch.randn(32), torch.zeros(32)
    assert layer(x).shape == x.shape
    assert torch.allclose(layer(2 * x) - layer(x), layer(x) - layer(zero), atol=1e-5)  # affine
    changed = x.clone()
    changed[:8] += 1.0  # only the first row of 8 elements
    assert torch.equal(layer(changed)[8:], layer(x)[8:]) and not torch.equal(layer(changed)[:8], layer(x)[:8])


def test_cost_ratios_time_forward_and_backward_against_the_reference():
    ratios = cost.cost_ratios({"relu": torch.relu, "sigmoid": torch.sigmoid}, rounds=3, calls=2, elements=1024)
    assert np.allclose(ratios["relu"], 1.0) and ratios["sigmoid"].shape == (3,) and np.all(ratios["sigmoid"] > 0)
    try:
        cost.cost_ratios({"sigmoid": torch.sigmoid}, rounds=1, calls=1)
    except KeyError as error:
        assert "relu" in str(error)
    else:
        raise AssertionError("a missing reference must raise KeyError")
