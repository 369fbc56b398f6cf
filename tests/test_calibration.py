"""Calibration measures against closed forms, PyTorch, and data drawn from a known model."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import calibration


def test_a_model_that_is_always_sure_has_ece_equal_to_its_error_rate():
    correct = np.array([1, 1, 1, 0, 0, 1, 1, 1, 1, 1])
    assert calibration.expected_calibration_error(np.ones(10), correct) == pytest.approx(0.2)


def test_predictions_drawn_from_their_own_confidence_are_nearly_calibrated():
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.5, 1.0, 200_000)
    correct = rng.uniform(size=confidence.size) < confidence
    assert calibration.expected_calibration_error(confidence, correct) < 0.01


def test_bins_are_closed_on_the_right_and_zero_goes_in_the_first():
    mean_conf, accuracy, counts = calibration.reliability([0.0, 0.1, 0.5, 0.50001, 1.0], [1, 1, 0, 1, 1], bins=10)
    assert counts.tolist() == [2, 0, 0, 0, 1, 1, 0, 0, 0, 1]
    assert np.isnan(mean_conf[1]) and np.isnan(accuracy[1])
    assert mean_conf[9] == 1.0 and accuracy[4] == 0.0


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError, match="differ in length"):
        calibration.reliability([0.5, 0.6], [1])


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=0.2, max_value=5.0))
def test_negative_log_likelihood_equals_pytorchs_cross_entropy(seed, temperature):
    rng = np.random.default_rng(seed)
    logits, labels = 3 * rng.standard_normal((20, 4)), rng.integers(0, 4, 20)
    expected = F.cross_entropy(torch.tensor(logits) / temperature, torch.tensor(labels)).item()
    assert math.isclose(calibration.negative_log_likelihood(logits, labels, temperature), expected, rel_tol=1e-9)


@pytest.mark.parametrize("true_temperature", [0.5, 2.0, 4.0])
def test_the_fitted_temperature_recovers_the_one_the_labels_were_drawn_with(true_temperature):
    rng = np.random.default_rng(1)
    logits = 3 * rng.standard_normal((20_000, 3))
    p = torch.softmax(torch.tensor(logits) / true_temperature, dim=1).numpy()
    labels = (rng.uniform(size=(len(p), 1)) > p.cumsum(axis=1)).sum(axis=1)  # a draw from each row of p
    fitted = calibration.fit_temperature(logits, labels)
    assert fitted == pytest.approx(true_temperature, rel=0.05)
    assert calibration.negative_log_likelihood(logits, labels, fitted) <= calibration.negative_log_likelihood(
        logits, labels, 1.0)


def test_temperature_never_changes_the_predicted_class():
    rng = np.random.default_rng(2)
    logits = rng.standard_normal((100, 5))
    for t in (0.1, 1.0, 7.0):
        scaled = torch.softmax(torch.tensor(logits / t), dim=1).numpy()
        assert (scaled.argmax(axis=1) == logits.argmax(axis=1)).all()
