"""Is a classifier's confidence honest? Reliability bins, expected calibration error, and
temperature scaling (Guo, Pleiss, Sun & Weinberger, 2017).

A model is *calibrated* when, among the inputs it answers with confidence c, a fraction c
are right. The expected calibration error (ECE) averages the gap |accuracy - confidence| over
equal-width confidence bins, weighted by how many predictions fall in each bin.

>>> confidence = np.array([0.9, 0.9, 0.9, 0.9, 0.6, 0.6])
>>> correct = np.array([1, 1, 1, 0, 1, 0])
>>> round(expected_calibration_error(confidence, correct, bins=10), 4)   # (4 * 0.15 + 2 * 0.1) / 6
0.1333
>>> logits = np.array([[4.0, 0.0], [0.0, 4.0], [4.0, 0.0], [0.0, 4.0]])
>>> round(fit_temperature(logits, np.array([0, 1, 1, 0])), 1) > 10      # half wrong: flatten a lot
True
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

from activation_lab.softmax import log_softmax


def reliability(confidence, correct, bins: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per confidence bin ((k/bins, (k+1)/bins], the first bin includes 0): mean confidence,
    accuracy and count. Empty bins have NaN confidence and accuracy and count 0."""
    confidence = np.asarray(confidence, dtype=float).ravel()
    correct = np.asarray(correct, dtype=float).ravel()
    if confidence.shape != correct.shape:
        raise ValueError(f"confidence and correct differ in length: {confidence.size} and {correct.size}")
    which = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    counts = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_confidence = np.bincount(which, weights=confidence, minlength=bins) / counts
        accuracy = np.bincount(which, weights=correct, minlength=bins) / counts
    return mean_confidence, accuracy, counts


def expected_calibration_error(confidence, correct, bins: int = 10) -> float:
    """sum over bins of (count / n) * |accuracy - mean confidence|."""
    mean_confidence, accuracy, counts = reliability(confidence, correct, bins)
    used = counts > 0
    return float(np.sum(counts[used] * np.abs(accuracy[used] - mean_confidence[used])) / counts.sum())


def negative_log_likelihood(logits, labels, temperature: float = 1.0) -> float:
    """Mean cross-entropy of softmax(logits / temperature) on integer ``labels``."""
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels, dtype=int)
    log_p = log_softmax(logits, axis=-1, temperature=temperature)
    return float(-log_p[np.arange(len(labels)), labels].mean())


def fit_temperature(logits, labels, low: float = 0.05, high: float = 100.0) -> float:
    """The temperature T in [low, high] that minimises the NLL of softmax(logits / T).

    Dividing every logit by the same T > 0 never changes which class is predicted, so
    accuracy is untouched; only the confidence moves. Fit T on data the model was not trained on.
    """
    result = minimize_scalar(lambda log_t: negative_log_likelihood(logits, labels, float(np.exp(log_t))),
                             bounds=(np.log(low), np.log(high)), method="bounded", options={"xatol": 1e-4})
    return float(np.exp(result.x))
