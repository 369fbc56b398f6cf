"""Logistic regression from scratch in NumPy: a sigmoid output trained with binary cross-entropy.

The model turns a score (the *logit*) z = x . w + b into a probability p = sigma(z). Its loss
on labels y in {0, 1} is the binary cross-entropy

    L(w, b) = mean_i  -[y_i log p_i + (1 - y_i) log(1 - p_i)]  =  mean_i  softplus(z_i) - y_i z_i,

and the right-hand form, computed from the logits, never overflows and never takes log(0).
The gradient is X^T (p - y) / n and the Hessian X~^T diag(p (1 - p)) X~ / n (X~ is X with a
column of ones for the bias), which is positive semi-definite everywhere: the loss is convex.

>>> X = np.array([[-2.0], [-1.0], [1.0], [3.0]])
>>> y = np.array([0, 1, 0, 1])
>>> model = fit(X, y, lr=0.5, steps=500)
>>> bool(model.losses[-1] < model.losses[0])
True
>>> bool(np.linalg.eigvalsh(hessian(model.w, model.b, X, y)).min() >= 0)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from activation_lab import functions

_sigmoid = functions.get("sigmoid")


def log_sigmoid(z) -> np.ndarray:
    """log sigma(z) = -log(1 + e^{-z}) for any finite z, without overflow or log(0).

    >>> log_sigmoid([-1000.0, 0.0, 1000.0]).round(4).tolist()
    [-1000.0, -0.6931, 0.0]
    """
    z = np.asarray(z, dtype=float)
    return np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))


def bce_with_logits(z, y) -> float:
    """Mean binary cross-entropy of labels ``y`` given logits ``z`` (PyTorch's BCEWithLogitsLoss).

    Uses -log sigma(z) = softplus(-z) and -log(1 - sigma(z)) = -log sigma(-z) = softplus(z).
    """
    z, y = np.asarray(z, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean(-y * log_sigmoid(z) - (1 - y) * log_sigmoid(-z)))


def logits(w, b: float, X) -> np.ndarray:
    """The scores z = X w + b, one per row of ``X``."""
    return np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b


def loss(w, b: float, X, y) -> float:
    """The binary cross-entropy of the model (w, b) on the data (X, y)."""
    return bce_with_logits(logits(w, b, X), y)


def gradient(w, b: float, X, y) -> tuple[np.ndarray, float]:
    """(dL/dw, dL/db) = (X^T (p - y) / n, mean(p - y)): the prediction error, weighted by the inputs."""
    X = np.asarray(X, dtype=float)
    error = _sigmoid(logits(w, b, X)) - np.asarray(y, dtype=float)
    return X.T @ error / len(X), float(np.mean(error))


def hessian(w, b: float, X, y=None) -> np.ndarray:
    """The (d + 1) x (d + 1) matrix of second derivatives in (w, b), bias last.

    It is X~^T diag(p (1 - p)) X~ / n and does not depend on the labels (``y`` is accepted
    only so that every function here has the same signature).
    """
    X = np.asarray(X, dtype=float)
    X1 = np.column_stack([X, np.ones(len(X))])
    p = _sigmoid(logits(w, b, X))
    return (X1 * (p * (1 - p))[:, None]).T @ X1 / len(X)


@dataclass
class LogisticModel:
    """A fitted logistic regression: weights, bias, and the loss after every step."""

    w: np.ndarray
    b: float
    losses: np.ndarray  # losses[k] is the loss after k steps (losses[0] at the start)

    def decision(self, X) -> np.ndarray:
        """The logits X w + b."""
        return logits(self.w, self.b, X)

    def predict_proba(self, X) -> np.ndarray:
        """P(y = 1 | x) for every row of ``X``."""
        return _sigmoid(self.decision(X))

    def predict(self, X) -> np.ndarray:
        """The class with the larger probability: 1 where the logit is positive."""
        return (self.decision(X) > 0).astype(int)


def fit(X, y, *, lr: float, steps: int, w0=None, b0: float = 0.0) -> LogisticModel:
    """Full-batch gradient descent on the binary cross-entropy, from zero weights by default."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    b = float(b0)
    losses = [loss(w, b, X, y)]
    for _ in range(steps):
        grad_w, grad_b = gradient(w, b, X, y)
        w, b = w - lr * grad_w, b - lr * grad_b
        losses.append(loss(w, b, X, y))
    return LogisticModel(w, b, np.array(losses))
