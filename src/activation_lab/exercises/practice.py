"""Checkers for the chapter "Activations in practice with PyTorch".

>>> import torch
>>> class Softsign(torch.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x / (1 + x.abs())
...     @staticmethod
...     def backward(ctx, grad_output):
...         (x,) = ctx.saved_tensors
...         return grad_output / (1 + x.abs()) ** 2
>>> softsign_check(Softsign)
Correct: your Softsign matches F.softsign and its backward passes
torch.autograd.gradcheck.
>>> inplace_check({"linear": False})
Not yet: give an answer (True or False) for each of: linear, batch_norm, sigmoid, tanh,
exp, softplus; missing: batch_norm, sigmoid, tanh, exp, softplus.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from activation_lab import charlm
from activation_lab.exercises.feedback import Feedback, call_learner, check_number, correct, wrong

# -- the temperature read off the language-model explorer ------------------------------------


def temperature_check(answer, model, vocab) -> Feedback:
    """Widget exercise: the lowest explorer temperature from which no sample repeats itself."""
    if not isinstance(model, nn.Module) or not isinstance(vocab, charlm.Vocabulary):
        return wrong("pass the trained language model and its vocabulary as the second and third arguments.")
    expected = charlm.first_temperature_without_repeats(charlm.temperature_samples(model, vocab))
    if expected is None:
        return wrong("every sample of this model repeats itself, so there is no such temperature.")
    shown = ", ".join(f"{t:g}" for t in charlm.TEMPERATURES)
    if isinstance(answer, (int, float)) and not isinstance(answer, bool) and answer not in charlm.TEMPERATURES:
        return wrong(f"{answer:g} is not one of the explorer's temperatures ({shown}).")
    return check_number(answer, expected=expected, tolerance=1e-6,
                        what="the lowest temperature from which the samples stop repeating",
                        hint=f"Move the slider up from the left and read the line under the picture: it says "
                             f"whether some string of {charlm.REPEAT_LENGTH} characters occurs twice.")


# -- a custom autograd.Function ----------------------------------------------------------------


def softsign_check(function) -> Feedback:
    """Check a ``torch.autograd.Function`` for softsign(x) = x / (1 + |x|) with its own backward."""
    if function is None:
        return wrong("`Softsign` is None; define it as a class first.")
    if not (isinstance(function, type) and issubclass(function, torch.autograd.Function)):
        return wrong("`Softsign` should be a class that subclasses torch.autograd.Function, "
                     f"but it is a {type(function).__name__}.")
    x = torch.linspace(-4, 4, 17, dtype=torch.float64).requires_grad_()
    inputs = "17 inputs from -4 to 4"
    y = call_learner(function.apply, x, name="Softsign.apply", inputs=inputs)
    if isinstance(y, Feedback):
        return y
    if not isinstance(y, torch.Tensor) or y.shape != x.shape:
        return wrong(f"`Softsign.apply(x)` should return a tensor shaped like x, but returned "
                     f"{type(y).__name__ if not isinstance(y, torch.Tensor) else tuple(y.shape)}.")
    expected = F.softsign(x.detach())
    if not torch.allclose(y.detach(), expected, rtol=1e-9, atol=1e-12):
        i = int((y.detach() - expected).abs().argmax())
        return wrong(f"the forward pass is wrong: at x = {x[i].item():g} you return {y[i].item():.6g}, "
                     f"but softsign(x) = {expected[i].item():.6g}.")
    if not y.requires_grad:
        return wrong("the output does not require a gradient: did forward detach it, or run under torch.no_grad()?")
    upstream = torch.linspace(0.5, 1.5, 17, dtype=torch.float64)
    grad = call_learner(lambda: torch.autograd.grad(y, x, upstream)[0], name="Softsign.backward",
                        inputs=inputs)
    if isinstance(grad, Feedback):
        return grad
    true_grad = upstream / (1 + x.detach().abs()) ** 2
    if not torch.allclose(grad, true_grad, rtol=1e-7, atol=1e-10):
        i = int((grad - true_grad).abs().argmax())
        return wrong(f"the backward pass is wrong: at x = {x[i].item():g} the gradient should be "
                     f"grad_output × {1 / (1 + abs(x[i].item())) ** 2:.6g} = {true_grad[i].item():.6g}, "
                     f"but yours gives {grad[i].item():.6g}. Remember to multiply by grad_output.")
    probe = torch.tensor([-2.5, -0.3, 0.7, 3.1], dtype=torch.float64, requires_grad=True)
    try:
        passed = torch.autograd.gradcheck(function.apply, (probe,), raise_exception=False)
    except Exception as error:  # the learner's code raised inside gradcheck
        return wrong(f"torch.autograd.gradcheck could not run your function: {type(error).__name__}: {error}.")
    if not passed:
        return wrong("torch.autograd.gradcheck finds that your backward disagrees with finite differences.")
    return correct("your Softsign matches F.softsign and its backward passes torch.autograd.gradcheck.")


# -- which in-place ReLUs break autograd ---------------------------------------------------------

PREDECESSORS = ("linear", "batch_norm", "sigmoid", "tanh", "exp", "softplus")


def _layer(name: str):
    torch.manual_seed(0)
    return {"linear": nn.Linear(4, 4), "batch_norm": nn.BatchNorm1d(4), "sigmoid": torch.sigmoid,
            "tanh": torch.tanh, "exp": torch.exp, "softplus": F.softplus}[name]


def inplace_breaks(name: str) -> bool:
    """Run ``name`` then an in-place ReLU, then backward: True if autograd refuses."""
    x = torch.randn(8, 4, generator=torch.Generator().manual_seed(0), requires_grad=True)
    h = _layer(name)(x)
    F.relu(h, inplace=True)
    try:
        h.sum().backward()
    except RuntimeError:
        return True
    return False


def inplace_check(answers) -> Feedback:
    """``answers`` maps each of :data:`PREDECESSORS` to True if ``ReLU(inplace=True)`` right after
    it makes the backward pass fail, False if the backward pass works."""
    names = ", ".join(PREDECESSORS)
    if not isinstance(answers, dict):
        return wrong(f"give a dict that maps each of {names} to True or False, "
                     f"not a {type(answers).__name__}.")
    missing = [p for p in PREDECESSORS if p not in answers]
    if missing:
        return wrong(f"give an answer (True or False) for each of: {names}; missing: {', '.join(missing)}.")
    for name in PREDECESSORS:
        if not isinstance(answers[name], bool):
            return wrong(f"the answer for {name} should be True or False, not {answers[name]!r}.")
    wrong_ones = [p for p in PREDECESSORS if answers[p] != inplace_breaks(p)]
    if wrong_ones:
        return wrong(f"{len(wrong_ones)} of {len(PREDECESSORS)} answers are not right yet, for example "
                     f"{wrong_ones[0]}. Ask: does its backward pass need its own output?")
    return correct("an in-place ReLU breaks the backward pass exactly after the operations whose "
                   "derivative is computed from their output (sigmoid, tanh, exp).")


# -- activations from a configuration --------------------------------------------------------------

_REFERENCE = {"relu": nn.ReLU, "leaky_relu": nn.LeakyReLU, "elu": nn.ELU, "gelu": nn.GELU, "silu": nn.SiLU,
              "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "softplus": nn.Softplus, "prelu": nn.PReLU}
_CONFIGS = [{"name": "relu"}, {"name": "leaky_relu", "negative_slope": 0.2}, {"name": "elu", "alpha": 0.5},
            {"name": "gelu", "approximate": "tanh"}, {"name": "softplus", "beta": 2.0}, {"name": "prelu"},
            {"name": "tanh"}]


def activation_factory_check(make_activation) -> Feedback:
    """Check ``make_activation(config) -> nn.Module``: a new module each call, parameters honoured,
    unknown names refused with an exception."""
    x = torch.linspace(-3, 3, 13)
    for config in _CONFIGS:
        original, given = dict(config), dict(config)  # the learner gets a copy: our table stays intact
        first = call_learner(make_activation, given, name="make_activation", inputs=f"the config {original}")
        if isinstance(first, Feedback):
            return first
        if given != original:
            return wrong("`make_activation` changed the config dict it was given; read it, do not modify it "
                         "(for example, copy it before calling .pop).")
        if not isinstance(first, nn.Module):
            return wrong(f"for {original} `make_activation` should return an nn.Module, not "
                         f"{'None' if first is None else 'a ' + type(first).__name__}.")
        kwargs = {k: v for k, v in original.items() if k != "name"}
        reference = _REFERENCE[original["name"]](**kwargs)
        with torch.no_grad():
            got = first(x)
            if not isinstance(got, torch.Tensor) or not torch.allclose(got, reference(x), atol=1e-6):
                return wrong(f"for {original} the module you return computes something else than "
                             f"nn.{type(reference).__name__}(**{kwargs}); were all the settings passed on?")
        second = call_learner(make_activation, dict(original), name="make_activation",
                              inputs=f"the config {original}, a second time")
        if isinstance(second, Feedback):
            return second
        if second is first:
            return wrong(f"for {original} two calls returned the same module object; build a new one on "
                         "every call, or layers will share it (and, for PReLU, share its learnable slope).")
    unknown = {"name": "swishy"}
    try:
        result = make_activation(dict(unknown))
    except (KeyError, ValueError):
        return correct("your function builds a fresh, correctly configured module for every config and "
                       "refuses unknown names.")
    except Exception as error:
        return wrong(f"for the unknown name 'swishy' raise a ValueError (or KeyError) with a clear message, "
                     f"not {type(error).__name__}.")
    return wrong(f"for the unknown name 'swishy' `make_activation` returned {type(result).__name__} instead of "
                 "raising a ValueError: a typo in a configuration should fail loudly.")
