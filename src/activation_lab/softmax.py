"""Softmax and log-softmax: activations that map a vector of logits to a vector.

Both subtract the largest logit before exponentiating. That changes nothing mathematically
(softmax is shift invariant) and keeps every exponent at or below zero, so no logit, however
large, can overflow.

>>> from activation_lab.softmax import softmax, softmax_jacobian
>>> softmax([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]]).round(4)
array([[0.09  , 0.2447, 0.6652],
       [0.3333, 0.3333, 0.3333]])
>>> softmax_jacobian([0.0, 0.0]).tolist()    # diag(p) - p p^T with p = (1/2, 1/2)
[[0.25, -0.25], [-0.25, 0.25]]

With a temperature T, the logits are divided by T first: T -> 0 approaches a one-hot argmax,
T -> infinity approaches the uniform distribution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from activation_lab._arrays import as_float_array, keep_nan
from activation_lab.properties import Properties


def _scaled(z, temperature: float) -> np.ndarray:
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature!r}")
    return as_float_array(z) / np.asarray(temperature, dtype=as_float_array(z).dtype)


def logsumexp(z, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """log(sum(exp(z))) along ``axis`` without overflow: m + log(sum(exp(z - m))), m = max(z)."""
    z = as_float_array(z)
    m = np.max(z, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)  # all -inf (or inf/NaN) rows: let the sum say so
    out = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def softmax(z, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """exp(z_j / T) / sum_k exp(z_k / T) along ``axis``; each slice sums to 1."""
    z = _scaled(z, temperature)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return keep_nan(z, e / np.sum(e, axis=axis, keepdims=True))


def log_softmax(z, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """log softmax(z) = z/T - logsumexp(z/T): exact even where softmax underflows to 0."""
    z = _scaled(z, temperature)
    return keep_nan(z, z - logsumexp(z, axis=axis, keepdims=True))


def softmax_jacobian(z, temperature: float = 1.0) -> np.ndarray:
    """d softmax(z)_i / d z_j = (p_i [i = j] - p_i p_j) / T, for the last axis.

    For input of shape (..., n) the result has shape (..., n, n).
    """
    p = softmax(z, axis=-1, temperature=temperature)
    jacobian = p[..., :, None] * np.eye(p.shape[-1], dtype=p.dtype) - p[..., :, None] * p[..., None, :]
    return jacobian / np.asarray(temperature, dtype=p.dtype)


def softmax_jvp(z, v, temperature: float = 1.0) -> np.ndarray:
    """The Jacobian-vector product J v = p * (v - <p, v>) / T without building J.

    J is symmetric, so this is also the vector-Jacobian product that backpropagation uses.
    """
    p = softmax(z, axis=-1, temperature=temperature)
    v = np.asarray(v, dtype=p.dtype)
    return p * (v - np.sum(p * v, axis=-1, keepdims=True)) / np.asarray(temperature, dtype=p.dtype)


def log_softmax_jacobian(z, temperature: float = 1.0) -> np.ndarray:
    """d log softmax(z)_i / d z_j = ([i = j] - p_j) / T, for the last axis."""
    p = softmax(z, axis=-1, temperature=temperature)
    n = p.shape[-1]
    return (np.eye(n, dtype=p.dtype) - p[..., None, :]) / np.asarray(temperature, dtype=p.dtype)


def log_softmax_jvp(z, v, temperature: float = 1.0) -> np.ndarray:
    """J v = (v - <p, v> 1) / T for log-softmax."""
    p = softmax(z, axis=-1, temperature=temperature)
    v = np.asarray(v, dtype=p.dtype)
    return (v - np.sum(p * v, axis=-1, keepdims=True)) / np.asarray(temperature, dtype=p.dtype)


def torch_softmax(z: torch.Tensor, dim: int = -1, temperature: float = 1.0) -> torch.Tensor:
    """PyTorch's counterpart, with the same temperature convention."""
    return torch.softmax(z / temperature, dim=dim)


def torch_log_softmax(z: torch.Tensor, dim: int = -1, temperature: float = 1.0) -> torch.Tensor:
    return torch.log_softmax(z / temperature, dim=dim)


class TemperatureSoftmax(nn.Module):
    """``nn.Softmax`` / ``nn.LogSoftmax`` with the logits divided by a temperature first."""

    def __init__(self, dim: int = -1, temperature: float = 1.0, log: bool = False):
        super().__init__()
        self.dim, self.temperature, self.log = dim, temperature, log

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        fn = torch_log_softmax if self.log else torch_softmax
        return fn(z, dim=self.dim, temperature=self.temperature)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, temperature={self.temperature:g}, log={self.log}"


@dataclass(frozen=True)
class VectorActivation:
    """Softmax or log-softmax along ``axis``, registered beside the element-wise functions.

    >>> sm = VectorActivation.softmax(axis=1)
    >>> sm([[0.0, 0.0]]).tolist()
    [[0.5, 0.5]]
    """

    name: str
    label: str
    formula: str
    axis: int
    temperature: float
    properties: Properties = field(repr=False)

    @classmethod
    def softmax(cls, axis: int = -1, temperature: float = 1.0) -> VectorActivation:
        return cls("softmax", "Softmax", r"\frac{e^{z_j/T}}{\sum_k e^{z_k/T}}", axis, temperature,
                   Properties((0.0, 1.0), False, True, True, True, True))

    @classmethod
    def log_softmax(cls, axis: int = -1, temperature: float = 1.0) -> VectorActivation:
        return cls("log_softmax", "Log-softmax", r"\frac{z_j}{T} - \log\sum_k e^{z_k/T}", axis,
                   temperature,
                   # d log p_j / d z_j = 1 - p_j tends to 1 as z_j falls: only the right side saturates
                   Properties((-math.inf, 0.0), False, True, True, False, True))

    @property
    def params(self) -> dict[str, float]:
        return {"axis": self.axis, "temperature": self.temperature}

    def __call__(self, z) -> np.ndarray:
        fn = log_softmax if self.name == "log_softmax" else softmax
        return fn(z, axis=self.axis, temperature=self.temperature)

    def jacobian(self, z) -> np.ndarray:
        """Shape (..., n, n) for the slices along ``axis`` (moved to the end)."""
        fn = log_softmax_jacobian if self.name == "log_softmax" else softmax_jacobian
        return fn(np.moveaxis(as_float_array(z), self.axis, -1), temperature=self.temperature)

    def jvp(self, z, v) -> np.ndarray:
        fn = log_softmax_jvp if self.name == "log_softmax" else softmax_jvp
        z_last = np.moveaxis(as_float_array(z), self.axis, -1)
        v_last = np.moveaxis(np.asarray(v), self.axis, -1)
        return np.moveaxis(fn(z_last, v_last, temperature=self.temperature), -1, self.axis)

    def torch_function(self, z: torch.Tensor) -> torch.Tensor:
        fn = torch_log_softmax if self.name == "log_softmax" else torch_softmax
        return fn(z, dim=self.axis, temperature=self.temperature)

    def torch_module(self) -> nn.Module:
        if self.temperature == 1.0:
            return nn.LogSoftmax(dim=self.axis) if self.name == "log_softmax" else nn.Softmax(dim=self.axis)
        return TemperatureSoftmax(self.axis, self.temperature, log=self.name == "log_softmax")
