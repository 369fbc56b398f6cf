"""The cheat sheet's cells against PyTorch (its spellings really run and compute the function),
against closed forms (which ends of each range are attained), and against the registry."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.special import lambertw
from torch import nn

from activation_lab import cheatsheet, functions
from activation_lab.softmax import VectorActivation

CASES = [(name, {}) for name in functions.names()] + [
    ("leaky_relu", {"alpha": 0.2}),
    ("prelu", {"alpha": 0.1}),
    ("elu", {"alpha": 2.0}),
    ("softplus", {"beta": 3.0}),
    ("swish", {"beta": 2.0}),
]
IDS = [name + "".join(f"-{k}={v}" for k, v in params.items()) for name, params in CASES]
X = np.linspace(-8, 8, 161)


def expected_values(act, x: np.ndarray) -> np.ndarray:
    """The registry's own NumPy forward pass, along the last axis for softmax and log-softmax."""
    return act(x.reshape(-1, 7)) if isinstance(act, VectorActivation) else act(x)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_the_pytorch_spellings_run_and_compute_the_function(name, params):
    act = functions.get(name, **params)
    module_text, functional_text = cheatsheet.pytorch_names(act)
    x_np = np.linspace(-8, 8, 14 * 7) if isinstance(act, VectorActivation) else X
    x = torch.from_numpy(x_np.reshape(-1, 7) if isinstance(act, VectorActivation) else x_np)
    weight = torch.full((1,), params.get("alpha", 0.25), dtype=torch.float64)
    namespace = {"torch": torch, "nn": nn, "F": F, "x": x, "weight": weight}
    expected = expected_values(act, x_np)
    if module_text is not None:
        module = eval(module_text, namespace).double()
        if name == "prelu":
            with torch.no_grad():
                module.weight.copy_(weight)
        with torch.no_grad():
            np.testing.assert_allclose(module(x).numpy(), expected, rtol=1e-10, atol=1e-10)
    if functional_text is not None:
        np.testing.assert_allclose(eval(functional_text, namespace).numpy(), expected, rtol=1e-10, atol=1e-10)


def test_only_functions_without_a_pytorch_builtin_have_no_spelling():
    missing = {name for name, _ in CASES for text in cheatsheet.pytorch_names(functions.get(name)) if text is None}
    # The step and Swish with beta != 1 are the registry's own; identity needs no function call.
    assert missing == {"step", "identity"}
    assert cheatsheet.pytorch_names(functions.get("swish", beta=2.0)) == (None, None)


def test_non_default_parameters_are_spelled_out():
    assert cheatsheet.pytorch_names(functions.get("elu", alpha=2.0)) == ("nn.ELU(alpha=2.0)", "F.elu(x, alpha=2.0)")
    assert cheatsheet.pytorch_names(functions.get("gelu_tanh"))[1] == "F.gelu(x, approximate='tanh')"
    assert cheatsheet.pytorch_names(functions.get("softplus", beta=3.0))[1] == "F.softplus(x, beta=3.0)"


# Closed forms: a bound is attained ("[") exactly where the function reaches it at a finite x.
RANGES = {
    "relu": "[0, ∞)",  # relu(x) = 0 for every x <= 0
    "sigmoid": "(0, 1)",  # 0 < 1/(1+e^-x) < 1 for every finite x
    "tanh": "(−1, 1)",
    "softplus": "(0, ∞)",  # log(1+e^x) > 0
    "elu": "(−1, ∞)",  # e^x - 1 > -1
    "hard_sigmoid": "[0, 1]",  # flat at 0 below -3 and at 1 above 3
    "hard_tanh": "[−1, 1]",
    "relu6": "[0, 6]",
    "leaky_relu": "(−∞, ∞)",
    "identity": "(−∞, ∞)",
    "step": "{0, 1}",  # two values, nothing between them
    "softmax": "(0, 1)",  # e^z / sum > 0 and < 1 with at least two finite logits
    "log_softmax": "(−∞, 0)",
}


@pytest.mark.parametrize("name", sorted(RANGES))
def test_range_brackets_follow_the_closed_forms(name):
    assert cheatsheet.interval(functions.get(name)) == RANGES[name]


def test_interior_minima_are_attained_and_rounded_honestly():
    # Swish with beta attains its minimum -W(1/e)/beta at x = -(1 + W(1/e))/beta.
    minimum = -lambertw(1 / math.e).real / 2
    assert cheatsheet.interval(functions.get("swish", beta=2.0)) == f"[≈−{abs(minimum):.4f}, ∞)"
    for name in ("gelu", "gelu_tanh", "silu", "mish"):
        assert cheatsheet.interval(functions.get(name)).startswith("[≈−")
    assert cheatsheet.interval(functions.get("selu")).startswith("(≈−1.7581")  # -lambda * alpha, never reached


def test_tidy_latex_removes_unit_coefficients_only():
    assert cheatsheet.tidy_latex(r"x\,\sigma(1x)") == r"x\,\sigma(x)"
    assert cheatsheet.tidy_latex(r"1e^x") == "e^x"
    for kept in (r"\max(0.01x,\ x)", r"\min(1, \max(0, x/6 + 1/2))", r"\frac{1}{1+e^{-x}}", r"x\,\sigma(2x)",
                 r"(1+0.134145x^2)", r"1-\tanh^2(x)"):
        assert cheatsheet.tidy_latex(kept) == kept


def test_the_table_has_one_row_per_name_and_every_cell_filled():
    acts = [functions.get(name) for name in functions.names() if name != "swish"]
    table = cheatsheet.rows(acts)
    assert set(cheatsheet.TYPICAL_USE) == set(functions.names())
    markdown = cheatsheet.markdown_table(table)
    lines = markdown.splitlines()
    assert len(lines) == 2 + len(acts)
    columns = len(table[0])
    assert all(line.count("|") == columns + 1 for line in lines)  # no stray "|" inside a cell
    assert all(value for row in table for value in row.values())
    assert all(cheatsheet.TYPICAL_USE[act.name] in row["function and typical use"] for act, row in zip(acts, table))
    assert all(cheatsheet.derivative_formula(act) for act in acts)
