"""The naive and stable losses against PyTorch, against each other, and against closed forms."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import losses

logits = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)
labels = st.sampled_from([0.0, 1.0])


@settings(max_examples=200, deadline=None)
@given(logits, labels)
def test_stable_bce_equals_pytorchs_bce_with_logits(z, y):
    expected = F.binary_cross_entropy_with_logits(torch.tensor(z, dtype=torch.float64),
                                                  torch.tensor(y, dtype=torch.float64)).item()
    # PyTorch forms log(exp(a) + exp(b)) where we use log1p, so tiny losses differ in their last
    # digits (ours is the more accurate one there): compare to an absolute 1e-12 as well.
    assert math.isclose(float(losses.stable_bce(z, y)), expected, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=100, deadline=None)
@given(logits, st.floats(min_value=0.0, max_value=1.0))
def test_stable_bce_with_soft_labels_equals_pytorch_and_is_finite_in_float32(z, y):
    expected = F.binary_cross_entropy_with_logits(torch.tensor(z, dtype=torch.float64),
                                                  torch.tensor(y, dtype=torch.float64)).item()
    assert math.isclose(float(losses.stable_bce(z, y)), expected, rel_tol=1e-9, abs_tol=1e-12)
    assert np.isfinite(losses.stable_bce(z, y, dtype=np.float32))


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-5, max_value=5), labels)
def test_naive_and_stable_bce_agree_where_nothing_rounds_away(z, y):
    assert math.isclose(float(losses.naive_bce(z, y)), float(losses.stable_bce(z, y)), rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize(("dtype", "torch_dtype"), [(np.float32, torch.float32), (np.float64, torch.float64)])
def test_the_naive_loss_breaks_where_pytorchs_own_naive_computation_does(dtype, torch_dtype):
    grid = torch.tensor(losses.EXPLORER_LOGITS, dtype=torch_dtype)
    torch_naive = -torch.log(1 - torch.sigmoid(grid))  # label 0, every step in PyTorch
    first_torch = next(int(z) for z, v in zip(losses.EXPLORER_LOGITS, torch_naive) if not torch.isfinite(v))
    assert losses.first_infinite_logit(dtype) == first_torch
    # and where sigmoid(z) rounds to 1, derived from the precision: z >= t ln 2
    bits = np.finfo(dtype).nmant + 1
    assert first_torch == min(z for z in losses.EXPLORER_LOGITS if z >= bits * math.log(2))


def test_a_confident_correct_answer_gives_nan_by_hand_and_no_overflow_gives_none():
    assert np.isnan(losses.naive_bce(40.0, 1.0, dtype=np.float32))  # 0 * log(0)
    assert losses.first_infinite_logit(np.float64, logits=[0, 1, 2]) is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=2, max_size=6), st.data())
def test_stable_cross_entropy_equals_pytorchs(z, data):
    label = data.draw(st.integers(min_value=0, max_value=len(z) - 1))
    expected = F.cross_entropy(torch.tensor([z], dtype=torch.float64), torch.tensor([label])).item()
    assert math.isclose(float(losses.stable_cross_entropy(z, label)), expected, rel_tol=1e-9, abs_tol=1e-9)


def test_naive_cross_entropy_overflows_where_the_stable_one_does_not():
    z = np.array([1000.0, 0.0, -1000.0])
    assert not np.isfinite(losses.naive_cross_entropy(z, 1))
    assert float(losses.stable_cross_entropy(z, 2)) == pytest.approx(2000.0)
    assert float(losses.naive_cross_entropy([1.0, 2.0, 3.0], 0)) == pytest.approx(
        float(losses.stable_cross_entropy([1.0, 2.0, 3.0], 0)))


@pytest.mark.parametrize("classes", [2, 3, 10, 100])
def test_the_double_softmax_floor_is_cross_entropy_of_a_one_hot_probability_vector(classes):
    one_hot = F.one_hot(torch.tensor([0]), classes).double()  # the best probabilities a model can give
    assert losses.double_softmax_floor(classes) == pytest.approx(F.cross_entropy(one_hot, torch.tensor([0])).item())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=-30, max_value=30), min_size=3, max_size=3))
def test_no_probability_vector_goes_below_the_floor(z):
    p = torch.softmax(torch.tensor([z], dtype=torch.float64), dim=1)
    for true_class in range(3):
        assert F.cross_entropy(p, torch.tensor([true_class])).item() >= losses.double_softmax_floor(3) - 1e-12


def test_a_floor_needs_two_classes():
    with pytest.raises(ValueError, match="at least 2"):
        losses.double_softmax_floor(1)
