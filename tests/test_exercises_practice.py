"""Checkers of the chapter on activations in practice: right answers pass, wrong ones get a sentence."""

import pytest
import torch
from torch import nn

from activation_lab import charlm
from activation_lab.exercises import practice as check
from conftest import verdict


def softsign_class(forward, backward):
    return type("Softsign", (torch.autograd.Function,), {"forward": staticmethod(forward),
                                                         "backward": staticmethod(backward)})


def save_and_softsign(ctx, x):
    ctx.save_for_backward(x)
    return x / (1 + x.abs())


def right_backward(ctx, g):
    (x,) = ctx.saved_tensors
    return g / (1 + x.abs()) ** 2


def test_a_correct_softsign_passes():
    assert check.softsign_check(softsign_class(save_and_softsign, right_backward)).passed


@pytest.mark.parametrize(("learner", "fragments"), [
    (None, ["is None"]),
    (42, ["subclasses torch.autograd.Function"]),
    (softsign_class(lambda ctx, x: None, right_backward), ["NoneType"]),
    (softsign_class(lambda ctx, x: x.sum(), right_backward), ["shaped like x"]),
    (softsign_class(lambda ctx, x: torch.tanh(x), right_backward), ["forward pass is wrong"]),
    (softsign_class(lambda ctx, x: 1 / 0, right_backward), ["ZeroDivisionError"]),
    (softsign_class(save_and_softsign, lambda ctx, g: g), ["backward pass is wrong"]),
    (softsign_class(save_and_softsign, lambda ctx, g: 1 / (1 + ctx.saved_tensors[0].abs()) ** 2),
     ["multiply by grad_output"]),
    (softsign_class(lambda ctx, x: x / (1 + x.abs()), right_backward), ["Softsign.backward"]),
])
def test_each_wrong_softsign_gets_a_sentence(learner, fragments):
    verdict(check.softsign_check(learner), *fragments)


def test_inplace_truth_comes_from_running_it():
    assert [check.inplace_breaks(p) for p in check.PREDECESSORS] == [False, False, True, True, True, False]
    right = {p: check.inplace_breaks(p) for p in check.PREDECESSORS}
    assert check.inplace_check(right).passed
    verdict(check.inplace_check({**right, "tanh": False}), "1 of 6", "tanh")
    verdict(check.inplace_check({**right, "exp": "yes"}), "True or False")
    verdict(check.inplace_check([True] * 6), "dict")
    verdict(check.inplace_check({"linear": False}), "missing")


ALLOWED = {"relu": nn.ReLU, "leaky_relu": nn.LeakyReLU, "elu": nn.ELU, "gelu": nn.GELU, "silu": nn.SiLU,
           "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "softplus": nn.Softplus, "prelu": nn.PReLU}


def good_factory(config):
    if config["name"] not in ALLOWED:
        raise ValueError(config["name"])
    return ALLOWED[config["name"]](**{k: v for k, v in config.items() if k != "name"})


def popping_factory(config):
    name = config.pop("name")
    return ALLOWED[name](**config)


SHARED = {}


def caching_factory(config):
    key = str(sorted(config.items()))
    SHARED.setdefault(key, good_factory(config))
    return SHARED[key]


def test_a_correct_factory_passes():
    assert check.activation_factory_check(good_factory).passed


@pytest.mark.parametrize(("learner", "fragments"), [
    (None, ["is None"]),
    (lambda config: None, ["should return an nn.Module", "None"]),
    (lambda config: "relu", ["should return an nn.Module", "str"]),
    (lambda config: ALLOWED[config["name"]](), ["computes something else", "negative_slope"]),
    (popping_factory, ["changed the config"]),
    (caching_factory, ["same module object"]),
    (lambda config: ALLOWED.get(config["name"], nn.ReLU)(**{k: v for k, v in config.items() if k != "name"}),
     ["swishy", "raising a ValueError"]),
    (lambda config: good_factory(config) if config["name"] in ALLOWED else 1 / 0, ["ZeroDivisionError"]),
])
def test_each_wrong_factory_gets_a_sentence(learner, fragments):
    verdict(check.activation_factory_check(learner), *fragments)


@pytest.fixture(scope="module")
def tiny_model():
    vocab = charlm.Vocabulary.from_text(charlm.PROMPT + "abcdefghijklmnopqrstuvwxyz")
    torch.manual_seed(0)
    return charlm.CharMLP(vocab.size, context=3, embedding=4, hidden=16), vocab


def test_temperature_check_compares_with_the_library(tiny_model):
    model, vocab = tiny_model
    expected = charlm.first_temperature_without_repeats(charlm.temperature_samples(model, vocab))
    if expected is None:
        verdict(check.temperature_check(0.5, model, vocab), "every sample")
        return
    assert check.temperature_check(expected, model, vocab).passed
    verdict(check.temperature_check(0.33, model, vocab), "not one of the explorer's temperatures")
    verdict(check.temperature_check(None, model, vocab), "None")
    verdict(check.temperature_check("hot", model, vocab), "text")
    verdict(check.temperature_check(expected, "model", vocab), "language model")
