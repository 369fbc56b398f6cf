"""One registry of the element-wise activation functions the book teaches.

Each entry carries a NumPy forward pass and derivative written from the formulas (numerically
stable for any finite input), the matching PyTorch callables, and the properties the book
claims for it. The tests check every one of those claims numerically.

>>> from activation_lab import functions
>>> relu = functions.get("relu")
>>> relu([-1.0, 0.0, 2.0])
array([0., 0., 2.])
>>> relu.derivative([-1.0, 0.0, 2.0])    # PyTorch's convention: 0 at the kink
array([0., 0., 1.])
>>> functions.get("elu", alpha=0.5).properties.output_range
(-0.5, inf)

Softmax and log-softmax map vectors to vectors: their entries (``VectorActivation``, from
``activation_lab.softmax``) have a Jacobian and a Jacobian-vector product instead of a derivative.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from scipy.special import erf
from torch import nn

from activation_lab._arrays import as_float_array, keep_nan
from activation_lab.properties import Properties
from activation_lab.softmax import VectorActivation

Array = np.ndarray

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
GELU_TANH_COEFF = 0.044715


@dataclass(frozen=True)
class Activation:
    """An element-wise activation function with its derivative and PyTorch counterparts."""

    name: str
    label: str
    formula: str  # LaTeX for f(x)
    derivative_formula: str  # LaTeX for f'(x), with the value used at any kink
    _forward: Callable[[Array], Array] = field(repr=False)
    _derivative: Callable[[Array], Array] = field(repr=False)
    torch_function: Callable[[torch.Tensor], torch.Tensor] = field(repr=False)
    torch_module: Callable[[], nn.Module] = field(repr=False)
    properties: Properties = field(repr=False)
    params: dict[str, float] = field(default_factory=dict)

    def __call__(self, x) -> Array:
        """f(x) for any array-like; float32 stays float32, everything else becomes float64."""
        x = as_float_array(x)
        return keep_nan(x, self._forward(x))

    def derivative(self, x) -> Array:
        """f'(x), using PyTorch's autograd convention at points where f has a kink."""
        x = as_float_array(x)
        return keep_nan(x, self._derivative(x))


class TorchFunction(nn.Module):
    """An ``nn.Module`` around a tensor function, for activations PyTorch has no module for."""

    def __init__(self, function: Callable[[torch.Tensor], torch.Tensor], name: str):
        super().__init__()
        self.function, self.name = function, name

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.function(x)

    def extra_repr(self) -> str:
        return self.name


# Stable building blocks, shared by several entries below.


def _sigmoid(x: Array) -> Array:
    # exp(-|x|) never overflows; choose the algebraically equal form that avoids 1 - 1.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _softplus(x: Array) -> Array:
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _normal_pdf(x: Array) -> Array:
    return np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _normal_cdf(x: Array) -> Array:
    return 0.5 * (1 + erf(x / math.sqrt(2)))


def _gelu_tanh_inner(x: Array) -> Array:
    return math.sqrt(2 / math.pi) * (x + GELU_TANH_COEFF * x**3)


def _step(x: torch.Tensor) -> torch.Tensor:
    return torch.heaviside(x, torch.ones((), dtype=x.dtype))


def _swish_torch(x: torch.Tensor, beta: float) -> torch.Tensor:
    return x * torch.sigmoid(beta * x)


def _elu(x: Array, alpha: float) -> Array:
    # expm1 of min(x, 0) so the unused branch cannot overflow for large positive x.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _elu_derivative(x: Array, alpha: float) -> Array:
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))


def _coef(value: float) -> str:
    """A coefficient as LaTeX writes it: nothing for 1 (x, not 1x), else the number."""
    return "" if value == 1 else f"{value:g}"


def _props(lo, hi, *, zc=False, mono=True, smooth=False, left=False, right=False, closed="") -> Properties:
    """``closed`` names the bounds the function reaches: "lo", "hi" or "lo hi" ([0, 6] for ReLU6)."""
    return Properties((float(lo), float(hi)), zc, mono, smooth, left, right,
                      attains_low="lo" in closed.split(), attains_high="hi" in closed.split())


def _fixed(module_class: type[nn.Module], **kwargs) -> Callable[[], nn.Module]:
    return functools.partial(module_class, **kwargs)


INF = math.inf


def identity() -> Activation:
    return Activation(
        "identity", "Identity", r"x", r"1",
        lambda x: x.copy(), np.ones_like,
        lambda x: x, nn.Identity, _props(-INF, INF, zc=True, smooth=True),
    )


def step() -> Activation:
    return Activation(
        "step", "Step", r"\begin{cases}1 & x \ge 0\\ 0 & x < 0\end{cases}",
        r"0 \ (x \ne 0;\ \text{undefined at } 0)",
        lambda x: (x >= 0).astype(x.dtype), np.zeros_like,
        _step, _fixed(TorchFunction, function=_step, name="step"),
        _props(0, 1, left=True, right=True, closed="lo hi"),
    )


def sigmoid() -> Activation:
    return Activation(
        "sigmoid", "Sigmoid", r"\frac{1}{1+e^{-x}}", r"\sigma(x)\,(1-\sigma(x))",
        _sigmoid, lambda x: _sigmoid(x) * (1 - _sigmoid(x)),
        torch.sigmoid, nn.Sigmoid, _props(0, 1, smooth=True, left=True, right=True),
    )


def tanh() -> Activation:
    return Activation(
        "tanh", "Tanh", r"\frac{e^{x}-e^{-x}}{e^{x}+e^{-x}}", r"1-\tanh^2(x)",
        np.tanh, lambda x: 1 - np.tanh(x) ** 2,
        torch.tanh, nn.Tanh, _props(-1, 1, zc=True, smooth=True, left=True, right=True),
    )


def relu() -> Activation:
    return Activation(
        "relu", "ReLU", r"\max(0, x)", r"\begin{cases}1 & x>0\\ 0 & x\le 0\end{cases}",
        lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(x.dtype),
        torch.relu, nn.ReLU, _props(0, INF, left=True, closed="lo"),
    )


def leaky_relu(alpha: float = 0.01) -> Activation:
    return Activation(
        "leaky_relu", f"Leaky ReLU (α={alpha:g})", rf"\max({alpha:g}x,\ x)",
        rf"\begin{{cases}}1 & x>0\\ {alpha:g} & x\le 0\end{{cases}}",
        lambda x: np.where(x >= 0, x, alpha * x), lambda x: np.where(x > 0, 1.0, alpha).astype(x.dtype),
        functools.partial(F.leaky_relu, negative_slope=alpha),
        _fixed(nn.LeakyReLU, negative_slope=alpha),
        _props(-INF, INF), {"alpha": alpha},
    )


def prelu(alpha: float = 0.25) -> Activation:
    """PReLU at its initial slope; in a network ``torch_module()`` learns alpha."""
    base = leaky_relu(alpha)
    return Activation(
        "prelu", f"PReLU (α={alpha:g} at start)", base.formula, base.derivative_formula,
        base._forward, base._derivative,
        lambda x: F.prelu(x, torch.full((1,), alpha, dtype=x.dtype)),
        _fixed(nn.PReLU, init=alpha), base.properties, {"alpha": alpha},
    )


def elu(alpha: float = 1.0) -> Activation:
    return Activation(
        "elu", f"ELU (α={alpha:g})", rf"\begin{{cases}}x & x>0\\ {_coef(alpha)}(e^x-1) & x\le 0\end{{cases}}",
        rf"\begin{{cases}}1 & x>0\\ {_coef(alpha)}e^x & x\le 0\end{{cases}}",
        lambda x: _elu(x, alpha).astype(x.dtype), lambda x: _elu_derivative(x, alpha).astype(x.dtype),
        functools.partial(F.elu, alpha=alpha), _fixed(nn.ELU, alpha=alpha),
        _props(-alpha, INF, smooth=(alpha == 1.0), left=True), {"alpha": alpha},
    )


def selu() -> Activation:
    return Activation(
        "selu", "SELU", r"\lambda\begin{cases}x & x>0\\ \alpha(e^x-1) & x\le 0\end{cases}",
        r"\lambda\begin{cases}1 & x>0\\ \alpha e^x & x\le 0\end{cases}",
        lambda x: (SELU_SCALE * _elu(x, SELU_ALPHA)).astype(x.dtype),
        lambda x: (SELU_SCALE * _elu_derivative(x, SELU_ALPHA)).astype(x.dtype),
        F.selu, nn.SELU, _props(-SELU_SCALE * SELU_ALPHA, INF, zc=True, left=True),
        {"alpha": SELU_ALPHA, "scale": SELU_SCALE},
    )


def softplus(beta: float = 1.0) -> Activation:
    return Activation(
        "softplus", f"Softplus (β={beta:g})",
        (rf"\tfrac{{1}}{{{beta:g}}}" if beta != 1 else "") + rf"\log(1+e^{{{_coef(beta)}x}})",
        rf"\sigma({_coef(beta)}x)",
        lambda x: _softplus(beta * x) / beta, lambda x: _sigmoid(beta * x),
        functools.partial(F.softplus, beta=beta), _fixed(nn.Softplus, beta=beta),
        _props(0, INF, smooth=True, left=True), {"beta": beta},
    )


def gelu() -> Activation:
    return Activation(
        "gelu", "GELU", r"x\,\Phi(x)", r"\Phi(x) + x\,\varphi(x)",
        lambda x: x * _normal_cdf(x), lambda x: _normal_cdf(x) + x * _normal_pdf(x),
        F.gelu, nn.GELU, _props(-0.16997120747990983, INF, mono=False, smooth=True, left=True, closed="lo"),
    )


def gelu_tanh() -> Activation:
    def derivative(x: Array) -> Array:
        t = np.tanh(_gelu_tanh_inner(x))
        inner_slope = math.sqrt(2 / math.pi) * (1 + 3 * GELU_TANH_COEFF * x**2)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t**2) * inner_slope

    return Activation(
        "gelu_tanh", "GELU (tanh approx.)",
        r"\tfrac{x}{2}\left(1+\tanh\left(\sqrt{2/\pi}\,(x+0.044715x^3)\right)\right)",
        r"\tfrac12(1+t) + \tfrac{x}{2}(1-t^2)\sqrt{2/\pi}\,(1+0.134145x^2),\ "
        r"t=\tanh\bigl(\sqrt{2/\pi}\,(x+0.044715x^3)\bigr)",
        lambda x: 0.5 * x * (1 + np.tanh(_gelu_tanh_inner(x))), derivative,
        functools.partial(F.gelu, approximate="tanh"), _fixed(nn.GELU, approximate="tanh"),
        _props(-0.17004075057125406, INF, mono=False, smooth=True, left=True, closed="lo"),
    )


def swish(beta: float = 1.0) -> Activation:
    def derivative(x: Array) -> Array:
        s = _sigmoid(beta * x)
        return s + beta * x * s * (1 - s)

    is_silu = beta == 1.0
    torch_function = F.silu if is_silu else functools.partial(_swish_torch, beta=beta)
    module = nn.SiLU if is_silu else _fixed(TorchFunction, function=torch_function, name=f"swish(beta={beta:g})")
    # The minimum of x*sigmoid(beta*x) is the SiLU minimum scaled by 1/beta.
    return Activation(
        "silu" if is_silu else "swish", "SiLU" if is_silu else f"Swish (β={beta:g})",
        rf"x\,\sigma({_coef(beta)}x)",
        rf"\sigma({_coef(beta)}x)\,\bigl(1+{_coef(beta)}x\,(1-\sigma({_coef(beta)}x))\bigr)",
        lambda x: x * _sigmoid(beta * x), derivative, torch_function, module,
        _props(-0.2784645427610738 / beta, INF, mono=False, smooth=True, left=True, closed="lo"), {"beta": beta},
    )


def mish() -> Activation:
    def derivative(x: Array) -> Array:
        t = np.tanh(_softplus(x))
        return t + x * (1 - t**2) * _sigmoid(x)

    return Activation(
        "mish", "Mish", r"x\tanh(\operatorname{softplus}(x))",
        r"\tanh(s) + x\,(1-\tanh^2 s)\,\sigma(x),\ s=\operatorname{softplus}(x)",
        lambda x: x * np.tanh(_softplus(x)), derivative, F.mish, nn.Mish,
        _props(-0.30884341301725043, INF, mono=False, smooth=True, left=True, closed="lo"),
    )


def hard_sigmoid() -> Activation:
    return Activation(
        "hard_sigmoid", "Hard sigmoid", r"\min(1, \max(0, x/6 + 1/2))",
        r"\begin{cases}1/6 & -3<x<3\\ 0 & \text{otherwise}\end{cases}",
        lambda x: np.clip(x / 6 + 0.5, 0, 1), lambda x: np.where(np.abs(x) < 3, 1 / 6, 0.0).astype(x.dtype),
        F.hardsigmoid, nn.Hardsigmoid, _props(0, 1, left=True, right=True, closed="lo hi"),
    )


def hard_tanh() -> Activation:
    return Activation(
        "hard_tanh", "Hard tanh", r"\min(1, \max(-1, x))",
        r"\begin{cases}1 & -1<x<1\\ 0 & \text{otherwise}\end{cases}",
        lambda x: np.clip(x, -1, 1), lambda x: (np.abs(x) < 1).astype(x.dtype),
        F.hardtanh, nn.Hardtanh, _props(-1, 1, zc=True, left=True, right=True, closed="lo hi"),
    )


def relu6() -> Activation:
    return Activation(
        "relu6", "ReLU6", r"\min(6, \max(0, x))", r"\begin{cases}1 & 0<x<6\\ 0 & \text{otherwise}\end{cases}",
        lambda x: np.clip(x, 0, 6), lambda x: ((x > 0) & (x < 6)).astype(x.dtype),
        F.relu6, nn.ReLU6, _props(0, 6, left=True, right=True, closed="lo hi"),
    )


REGISTRY: dict[str, Callable[..., Activation | VectorActivation]] = {
    "identity": identity, "step": step, "sigmoid": sigmoid, "tanh": tanh, "relu": relu,
    "leaky_relu": leaky_relu, "prelu": prelu, "elu": elu, "selu": selu, "softplus": softplus,
    "gelu": gelu, "gelu_tanh": gelu_tanh, "silu": swish, "swish": swish, "mish": mish,
    "hard_sigmoid": hard_sigmoid, "hard_tanh": hard_tanh, "relu6": relu6,
    "softmax": VectorActivation.softmax, "log_softmax": VectorActivation.log_softmax,
}
ELEMENTWISE = [name for name in REGISTRY if name not in ("softmax", "log_softmax")]


def names() -> list[str]:
    """Every registered name, in the order the book introduces them."""
    return list(REGISTRY)


def get(name: str, **params: float) -> Activation | VectorActivation:
    """The activation called ``name``, with optional parameters such as ``alpha`` or ``beta``.

    >>> get("leaky_relu", alpha=0.1)([-2.0])
    array([-0.2])
    """
    try:
        factory = REGISTRY[name]
    except KeyError:
        raise KeyError(f"no activation called {name!r}; choose one of {', '.join(REGISTRY)}") from None
    if name == "silu" and params:
        raise TypeError("silu has no parameters; use get('swish', beta=...) for the scaled form")
    return factory(**params)
