"""Why non-zero-centred inputs make gradient descent zig-zag: a unit with two weights.

A unit computes y = h . w from two inputs h = (h1, h2), the outputs of two units of the layer
below, and is trained by gradient descent on the squared error L(w) = mean (h . w - t)^2 / 2
against targets t = h . w_star. The inputs are ``offset + tanh(u / 2) / 2`` with u standard
normal: with ``offset = 0.5`` they are exactly sigmoid outputs sigma(u), always positive; with
``offset = 0`` the same numbers are centred on zero.

The Hessian of L is E[h h^T] = Cov(h) + mean(h) mean(h)^T. A non-zero mean adds a large
eigenvalue along (1, 1), which caps the learning rate, so gradient descent bounces across a
long narrow valley instead of walking down it.

>>> positive = unit_inputs(offset=0.5)
>>> bool(positive.min() > 0)                     # sigmoid outputs are all positive
True
>>> bool(condition_number(positive) > 10 * condition_number(unit_inputs(offset=0.0)))
True
"""

from __future__ import annotations

import numpy as np

W_STAR = np.array([1.0, -1.0])  # the weights that fit the targets exactly
W_START = np.array([-1.0, 1.5])  # where every path starts


def unit_inputs(offset: float = 0.5, n: int = 200, seed: int = 0) -> np.ndarray:
    """``n`` input pairs with mean about ``offset``: sigma(u) for offset 0.5, centred for 0."""
    u = np.random.default_rng(seed).standard_normal((n, 2))
    return offset + np.tanh(u / 2) / 2


def targets(h: np.ndarray, w_star: np.ndarray = W_STAR) -> np.ndarray:
    return h @ w_star


def loss(w, h: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The mean squared error / 2 at weights ``w``; ``w`` may be a grid of shape (..., 2)."""
    w = np.asarray(w, dtype=float)
    residual = w @ h.T - t  # (..., n)
    return 0.5 * np.mean(residual**2, axis=-1)


def gradient(w, h: np.ndarray, t: np.ndarray) -> np.ndarray:
    """h^T (h w - t) / n."""
    return h.T @ (h @ np.asarray(w, dtype=float) - t) / len(h)


def hessian(h: np.ndarray) -> np.ndarray:
    """E[h h^T], the same at every w (the loss is quadratic)."""
    return h.T @ h / len(h)


def condition_number(h: np.ndarray) -> float:
    """Largest over smallest eigenvalue of the Hessian: how elongated the valley is."""
    eigenvalues = np.linalg.eigvalsh(hessian(h))
    return float(eigenvalues[-1] / eigenvalues[0])


def best_learning_rate(h: np.ndarray) -> float:
    """2 / (lambda_min + lambda_max): the constant step that converges fastest on this quadratic."""
    eigenvalues = np.linalg.eigvalsh(hessian(h))
    return float(2 / (eigenvalues[0] + eigenvalues[-1]))


def descent_path(h: np.ndarray, t: np.ndarray, lr: float, steps: int, w0=W_START) -> np.ndarray:
    """The weights after 0, 1, ..., ``steps`` full-batch gradient steps; shape (steps + 1, 2)."""
    path = [np.array(w0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - lr * gradient(path[-1], h, t))
    return np.array(path)


def steps_to_converge(path: np.ndarray, w_star=W_STAR, tolerance: float = 1e-3) -> int | None:
    """The first step at which the distance to ``w_star`` is below ``tolerance`` times the
    starting distance, or None if the path never gets there."""
    distance = np.linalg.norm(path - np.asarray(w_star), axis=1)
    close = np.flatnonzero(distance <= tolerance * distance[0])
    return int(close[0]) if close.size else None


def same_sign_share(h: np.ndarray, t: np.ndarray, w) -> float:
    """The share of examples whose own gradient (h_i (h_i . w - t_i)) has two components of
    the same sign: such a step can only raise both weights or lower both."""
    per_example = h * (h @ np.asarray(w, dtype=float) - t)[:, None]
    return float(np.mean(np.sign(per_example[:, 0]) == np.sign(per_example[:, 1])))
