"""Toy data and small real data sets that ship with installed packages (nothing downloaded).

Every generator is seeded and returns a :class:`Dataset` of float32 inputs and integer
class labels (classification) or float32 targets (regression), ready for PyTorch.

>>> ds = xor(n_per_corner=25, seed=0)
>>> ds.X.shape, ds.y.shape, ds.classes
(torch.Size([100, 2]), torch.Size([100]), 2)
>>> xor_corners().y.tolist()
[0, 1, 1, 0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

# scikit-learn is imported inside the functions that use it: importing it costs about a
# second, and most chapters never need it.


@dataclass(frozen=True)
class Dataset:
    """Inputs ``X`` (n, features), targets ``y``, and an optional held-out test split."""

    name: str
    X: torch.Tensor
    y: torch.Tensor
    classes: int | None = None  # None for regression
    X_test: torch.Tensor | None = None
    y_test: torch.Tensor | None = None

    @property
    def task(self) -> str:
        return "regression" if self.classes is None else "classification"


def _classification(name, X, y, **extra) -> Dataset:
    y = np.asarray(y)
    return Dataset(name, torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y, dtype=torch.long),
                   classes=int(y.max()) + 1, **extra)


def xor_corners() -> Dataset:
    """The four points of the XOR truth table: label 1 when exactly one input is 1."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    return _classification("XOR truth table", X, [0, 1, 1, 0])


def xor(n_per_corner: int = 50, noise: float = 0.2, seed: int = 0) -> Dataset:
    """Noisy clouds around the corners (+-1, +-1); label 1 when the signs differ."""
    rng = np.random.default_rng(seed)
    corners = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=float)
    X = np.repeat(corners, n_per_corner, axis=0) + noise * rng.standard_normal((4 * n_per_corner, 2))
    y = np.repeat([0, 1, 1, 0], n_per_corner)
    return _classification("XOR", X, y)


def two_moons(n: int = 200, noise: float = 0.15, seed: int = 0) -> Dataset:
    """scikit-learn's two interleaving half circles, centred and scaled to about [-1, 1]."""
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    X = (X - np.array([0.5, 0.25])) / np.array([1.5, 0.75])
    return _classification("two moons", X, y)


def spirals(n_per_class: int = 100, classes: int = 3, noise: float = 0.2, seed: int = 0) -> Dataset:
    """Interleaved spiral arms, one per class, in the unit disc."""
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.05, 1.0, n_per_class), classes)
    arm = np.repeat(np.arange(classes), n_per_class)
    angle = 4.0 * radius + 2 * np.pi * arm / classes + noise * rng.standard_normal(radius.shape)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return _classification("spirals", X, arm)


def bumpy(x):
    """The 1-D target the book's approximation experiments fit: smooth, with several bumps."""
    x = np.asarray(x, dtype=np.float64)
    return np.sin(3.0 * x) * np.exp(-0.25 * x**2) + 0.3 * x


def bumpy_1d(n: int = 256, low: float = -2.0, high: float = 2.0) -> Dataset:
    """``bumpy`` sampled on an even grid over [low, high], without noise."""
    x = np.linspace(low, high, n)
    X = torch.as_tensor(x[:, None], dtype=torch.float32)
    return Dataset("bumpy 1-D function", X, torch.as_tensor(bumpy(x)[:, None], dtype=torch.float32))


def _standardised_split(X, y, test_fraction: float, seed: int, stratify: bool):
    """Split, then standardise every feature with the training part's mean and spread."""
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_fraction, random_state=seed, stratify=y if stratify else None
    )
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std, y_train, y_test


def breast_cancer(test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """scikit-learn's Wisconsin breast-cancer data: 569 tumours, 30 features, label 1 = benign.

    Features are standardised with the training split's statistics; the split is stratified.
    """
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer()
    X_train, X_test, y_train, y_test = _standardised_split(bunch.data, bunch.target, test_fraction, seed, True)
    return _classification(
        "breast cancer", X_train, y_train,
        X_test=torch.as_tensor(X_test, dtype=torch.float32), y_test=torch.as_tensor(y_test, dtype=torch.long),
    )


def diabetes(test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """scikit-learn's diabetes regression data: 442 patients, 10 features, a disease score.

    Features are standardised with the training split's statistics; the target is divided
    by the training targets' standard deviation (and centred), so an RMSE of 1 means
    "no better than predicting the mean".
    """
    from sklearn.datasets import load_diabetes

    bunch = load_diabetes()
    X_train, X_test, y_train, y_test = _standardised_split(bunch.data, bunch.target, test_fraction, seed, False)
    centre, scale = y_train.mean(), y_train.std()

    def target(y):
        return torch.as_tensor((y - centre) / scale, dtype=torch.float32).reshape(-1, 1)

    return Dataset("diabetes", torch.as_tensor(X_train, dtype=torch.float32), target(y_train),
                   X_test=torch.as_tensor(X_test, dtype=torch.float32), y_test=target(y_test))


def digits(test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """scikit-learn's 8x8 handwritten digits (1,797 images, shipped with the package).

    Pixels are scaled from 0..16 to 0..1; the split is stratified by class.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    X = bunch.data / 16.0
    X_train, X_test, y_train, y_test = train_test_split(
        X, bunch.target, test_size=test_fraction, random_state=seed, stratify=bunch.target
    )
    return _classification(
        "handwritten digits", X_train, y_train,
        X_test=torch.as_tensor(X_test, dtype=torch.float32), y_test=torch.as_tensor(y_test, dtype=torch.long),
    )
