"""The cheat sheet: one row per registered activation, every cell derived from the registry.

Formula, derivative and declared properties come from :mod:`activation_lab.functions`; the
PyTorch spellings are read off the registry's ``torch_module`` and ``torch_function``; whether
an end of the output range is attained (``[`` or ``(``) is decided from the function's own
values and derivative. Only the "typical use" column is editorial text.

>>> from activation_lab import cheatsheet, functions
>>> cheatsheet.pytorch_names(functions.get("leaky_relu", alpha=0.2))
('nn.LeakyReLU(negative_slope=0.2)', 'F.leaky_relu(x, negative_slope=0.2)')
>>> cheatsheet.pytorch_names(functions.get("sigmoid"))
('nn.Sigmoid()', 'torch.sigmoid(x)')
>>> [cheatsheet.interval(functions.get(name)) for name in ("relu", "sigmoid", "hard_tanh", "step")]
['[0, ∞)', '(0, 1)', '[−1, 1]', '{0, 1}']
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from activation_lab import functions
from activation_lab.softmax import VectorActivation

# VectorActivation has no derivative_formula: softmax and log-softmax have Jacobians instead.
JACOBIAN_FORMULAS = {  # J_ij = d output_i / d z_j, with p = softmax(z / T)
    "softmax": r"\frac{\operatorname{diag}(p)-pp^{\top}}{T}",
    "log_softmax": r"\frac{I-\mathbf{1}p^{\top}}{T}",
}

TYPICAL_USE = {
    "identity": "regression output layer",
    "step": "the perceptron; history (cannot be trained by gradient descent)",
    "sigmoid": "binary-classification output; gates",
    "tanh": "hidden layers of small and recurrent networks",
    "relu": "the default for hidden layers (MLPs, CNNs)",
    "leaky_relu": "hidden layers where ReLU units die",
    "prelu": "like Leaky ReLU, with the slope learned",
    "elu": "hidden layers; smooth negative side",
    "selu": "self-normalising deep MLPs (LeCun-normal initialisation)",
    "softplus": "smooth ReLU; outputs that must be positive",
    "gelu": "transformer feed-forward layers",
    "gelu_tanh": "a cheaper approximation of GELU",
    "silu": "modern CNNs; the gate of SwiGLU",
    "swish": "SiLU with a tunable or learned β",
    "mish": "CNN hidden layers",
    "hard_sigmoid": "cheap sigmoid gates on mobile hardware",
    "hard_tanh": "cheap bounded activation",
    "relu6": "mobile and low-precision networks",
    "softmax": "multiclass output layer; attention weights",
    "log_softmax": "log-probabilities for the negative log-likelihood loss",
}

_GRID = np.linspace(-12.0, 12.0, 24_001)  # spacing 0.001; holds every kink of the registry
_RANGE_TOLERANCE = 1e-4  # SELU is within 1.1e-5 of its bound at -12; Mish's minimum is declared to 5 digits
_SKIP_ARGS = {"self", "inplace", "device", "dtype", "min_value", "max_value"}


def tidy_latex(tex: str) -> str:
    r"""Drop coefficients that are exactly 1, which the registry writes out for default parameters.

    >>> tidy_latex(r"\sigma(1x)\,\bigl(1+1x\,(1-\sigma(1x))\bigr)")
    '\\sigma(x)\\,\\bigl(1+x\\,(1-\\sigma(x))\\bigr)'
    >>> tidy_latex(r"\tfrac{1}{1}\log(1+e^{1x})")
    '\\log(1+e^{x})'
    """
    tex = tex.replace(r"\tfrac{1}{1}", "")
    # A lone 1 multiplying x, e^x or a bracket (never part of a number such as 0.1x or 1/6).
    return re.sub(r"(?<![\d./])1(?=x|e\^|\()", "", tex)


def derivative_formula(activation) -> str:
    """LaTeX for f'(x), or for the Jacobian of softmax and log-softmax."""
    formula = getattr(activation, "derivative_formula", None)
    return formula if formula is not None else JACOBIAN_FORMULAS[activation.name]


def scalar_view(activation) -> tuple[Callable, Callable]:
    """(f, f') on real numbers. A vector activation is viewed along its first of two logits,
    the other held at 0: softmax becomes the sigmoid, log-softmax becomes -softplus(-z)."""
    if not isinstance(activation, VectorActivation):
        return activation, activation.derivative

    def pair(z):
        z = np.asarray(z, dtype=float)
        return np.stack([z, np.zeros_like(z)], axis=-1)

    def f(z):
        return activation(pair(z))[..., 0]

    def df(z):
        return activation.jacobian(pair(z))[..., 0, 0]

    return f, df


def interval(activation) -> str:
    """The output range in interval notation, with ``[`` where a bound is attained.

    Bounds come from ``properties.output_range``. A bound is attained if the function reaches
    it at an interior point of a wide grid, or on a flat piece (derivative exactly 0); a bound
    approached only asymptotically is reached at the grid's edge with a non-zero slope.
    """
    lo, hi = activation.properties.output_range
    f, df = scalar_view(activation)
    values = f(_GRID)
    distinct = np.unique(values)
    if distinct.size <= 2:  # the step: two values and nothing between them
        return "{" + ", ".join(_number(v) for v in distinct) + "}"
    left = "[" if _attained(values, df, lo, np.argmin(values)) else "("
    right = "]" if _attained(values, df, hi, len(values) - 1 - np.argmax(values[::-1])) else ")"
    return f"{left}{_number(lo)}, {_number(hi)}{right}"


def _attained(values: np.ndarray, df: Callable, bound: float, index: int) -> bool:
    if not math.isfinite(bound):
        return False
    if abs(values[index] - bound) > _RANGE_TOLERANCE:
        raise ValueError(f"declared bound {bound} disagrees with the function's extreme value {values[index]}")
    interior = 0 < index < len(values) - 1
    return bool(interior or df(_GRID[index : index + 1])[0] == 0)


def _number(v: float) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    text = f"{v:g}" if float(v).is_integer() else f"≈{v:.4f}"
    return text.replace("-", "−")


def _parameters(func) -> list[tuple[str, object]] | None:
    """(name, default) of each parameter, from the signature or a builtin's first doc line."""
    try:
        return [(p.name, p.default) for p in inspect.signature(func).parameters.values()
                if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    except (TypeError, ValueError):
        match = re.match(r"\w+\((.*?)\)", (func.__doc__ or "").strip())
        if match is None:
            return None
        params = []
        for part in match.group(1).split(","):
            name, _, default = (s.strip() for s in part.partition("="))
            if name and name != "*":
                params.append((name, default or inspect.Parameter.empty))
        return params


def _public_name(func) -> str | None:
    name = getattr(func, "__name__", None)
    for prefix, namespace in (("F", F), ("torch", torch)):
        if name and getattr(namespace, name, None) is func:
            return f"{prefix}.{name}"
    return None


def _module_kwargs(module: nn.Module) -> dict[str, object]:
    """The constructor arguments of ``module`` that differ from their defaults."""
    kwargs = {}
    for name, default in _parameters(type(module).__init__) or []:
        if name not in _SKIP_ARGS and hasattr(module, name) and getattr(module, name) != default:
            kwargs[name] = getattr(module, name)
    return kwargs


def _call(name: str, positional: list[str], kwargs: dict[str, object]) -> str:
    args = positional + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{name}({', '.join(args)})"


def pytorch_names(activation) -> tuple[str | None, str | None]:
    """How to write the activation in PyTorch: (module form, functional form).

    None means PyTorch has no built-in for it (the registry then wraps its own function).
    """
    module = activation.torch_module()
    if isinstance(module, functions.TorchFunction):
        module_name, module_kwargs = None, {}
    else:
        module_kwargs = _module_kwargs(module)
        module_name = _call(f"nn.{type(module).__name__}", [], module_kwargs)

    func, kwargs = activation.torch_function, {}
    while hasattr(func, "func") and hasattr(func, "keywords"):  # functools.partial
        func, kwargs = func.func, {**func.keywords, **kwargs}
    public = _public_name(func)
    if public is None and module_name is not None:
        # A wrapper around a built-in: look for the functional twin of the module class.
        class_name = type(module).__name__
        snake = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", class_name).lower()
        for candidate in (class_name.lower(), snake):
            if callable(getattr(F, candidate, None)):
                func, public, kwargs = getattr(F, candidate), f"F.{candidate}", module_kwargs
                break
    if public is None:
        return module_name, None
    params = _parameters(func) or []
    defaults = dict(params)
    required = [name for name, default in params[1:] if default is inspect.Parameter.empty]
    # Keep what the function accepts (a module may hold more, e.g. PReLU's init) and what differs.
    shown = {k: v for k, v in kwargs.items() if k in defaults and not _same(defaults[k], v)}
    return module_name, _call(public, ["x", *required], shown)


def _same(default, value) -> bool:
    if isinstance(default, str) and not isinstance(value, str):  # a default parsed from a doc line
        try:
            return float(default) == float(value)
        except (TypeError, ValueError):
            return default.strip("'\"") == str(value)
    if isinstance(default, str):
        return default.strip("'\"") == value
    return default == value


def properties_text(activation) -> str:
    """The declared properties that hold, as a short list (absent means "no")."""
    row = activation.properties.row()
    tags = [tag for tag in ("bounded", "zero-centred", "monotonic", "smooth") if row[tag] == "yes"]
    if row["saturates"] != "no":
        tags.append("saturates " + row["saturates"].replace("left and right", "both sides"))
    return ", ".join(tags)


def rows(activations) -> list[dict[str, str]]:
    """One dict per activation, with the cells of the cheat sheet.

    Cells hold two lines (joined by ``<br>``) so the table fits a page: the function with its
    typical use, the formula with its derivative, the range with the properties, and the two
    PyTorch spellings. Formulas are set ``\\small`` for the same reason.
    """
    out = []
    for act in activations:
        spellings = [f"`{text}`" for text in pytorch_names(act) if text is not None]
        derivative = "J" if isinstance(act, VectorActivation) else "f'"
        out.append({
            "function and typical use": f"**{act.label}**<br>{TYPICAL_USE[act.name]}",
            "formula and derivative": (f"$\\small f = {tidy_latex(act.formula)}$<br>"
                                       f"$\\small {derivative} = {tidy_latex(derivative_formula(act))}$"),
            "range and properties": f"{interval(act)}<br>{properties_text(act)}",
            "PyTorch: module, functional": "<br>".join(spellings) or "—",
        })
    return out


def markdown_table(table: list[dict[str, str]]) -> str:
    """The rows as a Markdown table (cells must not contain ``|``)."""
    header = list(table[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row[h] for h in header) + " |" for row in table]
    return "\n".join(lines)
