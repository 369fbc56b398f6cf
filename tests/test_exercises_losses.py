"""The output-layer chapter's checkers: right answers pass, every kind of wrong answer gets one sentence."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from activation_lab.exercises import losses as check
from conftest import verdict


def good_gradient(logits, labels):
    shifted = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1.0
    return p / len(labels)


# ---- overflow_logit_check (widget exercise) ---------------------------------------------


def test_the_overflow_logits_follow_from_the_precision():
    # 1 + exp(-z) rounds to 1 once exp(-z) <= 2^-t: the first slider value at or above t ln 2.
    assert check.overflow_logit_check(17, "float32").passed  # 24 ln 2 = 16.6
    assert check.overflow_logit_check(37.0, "float64").passed  # 53 ln 2 = 36.7
    assert check.overflow_logit_check(np.int64(17)).passed


@pytest.mark.parametrize(
    ("answer", "precision", "fragments"),
    [
        (None, "float32", ["still None"]),
        ("17", "float32", ["the text '17'"]),
        (True, "float32", ["should be a number", "bool"]),
        ([17, 37], "float32", ["should be a number", "list"]),
        (np.array([17, 37]), "float32", ["one number", "2 of them"]),
        (float("inf"), "float32", ["finite"]),
        (18, "float32", ["too large"]),
        (16, "float32", ["too small"]),
        (19, "float32", ["not one of the logits on the explorer's slider"]),
        (17, "float16", ["'float32' or 'float64'"]),
    ],
)
def test_wrong_overflow_answers_get_specific_feedback(answer, precision, fragments):
    verdict(check.overflow_logit_check(answer, precision), *fragments)


# ---- logit_gradient_check -------------------------------------------------------------------


def test_a_stable_gradient_passes_also_as_a_tensor_or_nested_list():
    assert check.logit_gradient_check(good_gradient).passed
    assert check.logit_gradient_check(lambda z, y: torch.from_numpy(good_gradient(z, y))).passed
    assert check.logit_gradient_check(lambda z, y: good_gradient(z, y).tolist()).passed


def naive_softmax_gradient(logits, labels):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1.0
    return p / len(labels)


def mutating(logits, labels):
    logits -= logits.max(axis=1, keepdims=True)  # changes the caller's array
    return good_gradient(logits, labels)


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (None, ["`cross_entropy_grad` is None"]),
        ("grad", ["should be a function", "str"]),
        (lambda z: z, ["could not be called"]),
        (lambda z, y: 1 / 0, ["raised ZeroDivisionError"]),
        (lambda z, y: None, ["is None", "return"]),
        (lambda z, y: good_gradient(z, y)[:, :-1], ["should have shape (6, 4)"]),
        (lambda z, y: good_gradient(z, y) * len(y), ["n times too large", "mean"]),
        (lambda z, y: -good_gradient(z, y), ["wrong sign", "p - y"]),
        (lambda z, y: good_gradient(z, y) + 1e-3, ["the gradient is wrong", "entry (0, 0)"]),
        (naive_softmax_gradient, ["extreme logits", "NaN", "Subtract each row's largest logit"]),
        (mutating, ["changed its input in place (logits)"]),
        (lambda z, y: np.full(z.shape, "x"), ["real numbers"]),
    ],
    ids=["none", "text", "signature", "raises", "returns-none", "shape", "sum-not-mean", "sign", "off",
         "overflow", "mutates", "strings"],
)
def test_wrong_gradients_get_specific_feedback(learner, fragments):
    verdict(check.logit_gradient_check(learner), *fragments)


@settings(max_examples=20, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=3)))
def test_any_garbage_return_value_becomes_feedback(garbage):
    verdict(check.logit_gradient_check(lambda z, y: garbage))


def test_the_checkers_own_reference_is_autograd_not_the_formula():
    # A gradient that is right for the sum over the batch but not the mean: the checker knows
    # the difference only because it asks autograd about F.cross_entropy (mean reduction).
    verdict(check.logit_gradient_check(lambda z, y: good_gradient(z, y) * len(y)), "too large")


# ---- logits_model_check -----------------------------------------------------------------------


class Layers(nn.Module):
    def __init__(self, input_size, num_classes):
        super().__init__()
        self.num_classes = num_classes
        self.hidden = nn.Linear(input_size, 16)
        self.out = nn.Linear(16, num_classes)

    def logits(self, x):
        return self.out(torch.relu(self.hidden(x)))


class Good(Layers):
    def forward(self, x):
        return self.logits(x)


class Probabilities(Layers):
    def forward(self, x):
        z = self.logits(x)
        return torch.sigmoid(z) if self.num_classes == 1 else torch.softmax(z, dim=1)


class SoftmaxOnly(Layers):
    def forward(self, x):
        z = self.logits(x)
        return z if self.num_classes == 1 else torch.softmax(z, dim=1)


class GlobalName(Layers):
    def forward(self, x):
        return self.logits(x) if num_classes == 1 else self.logits(x)  # noqa: F821 -- the seed's bug


class Unused(Layers):
    def __init__(self, input_size, num_classes):
        super().__init__(input_size, num_classes)
        self.spare = nn.Linear(3, 3)

    def forward(self, x):
        return self.logits(x)


class Flat(Layers):
    def forward(self, x):
        return self.logits(x).sum(dim=1)


class NoParameters(nn.Module):
    def __init__(self, input_size, num_classes):
        super().__init__()

    def forward(self, x):
        return x


class NotAModule:
    def __init__(self, input_size, num_classes):
        pass


def test_a_model_that_returns_logits_passes():
    assert check.logits_model_check(Good).passed


@pytest.mark.parametrize(
    ("model_class", "fragments"),
    [
        (None, ["is None"]),
        (Probabilities, ["num_classes=1", "sigmoid", "BCEWithLogitsLoss"]),
        (SoftmaxOnly, ["num_classes=5", "sums to 1", "CrossEntropyLoss"]),
        (GlobalName, ["raised NameError", "num_classes"]),
        (Unused, ["does not reach the parameter spare.weight"]),
        (Flat, ["shape (64, 1)"]),
        (NoParameters, ["no parameters"]),
        (NotAModule, ["not an nn.Module"]),
        (lambda i, k: (lambda x: "logits"), ["not an nn.Module"]),
    ],
    ids=["none", "sigmoid", "softmax", "global-name", "unused-layer", "wrong-shape", "no-parameters",
         "not-a-module", "function"],
)
def test_wrong_models_get_specific_feedback(model_class, fragments):
    verdict(check.logits_model_check(model_class), *fragments)


# ---- floor_check ------------------------------------------------------------------------------


def test_the_two_class_floor_is_log_of_one_plus_one_over_e():
    assert check.floor_check(float(np.log(1 + np.exp(-1))), classes=2).passed
    verdict(check.floor_check(0.0), "too small")
    verdict(check.floor_check("0.31"), "text")
