"""Checkers of the chapter on choosing an activation: right answers pass, every wrong one gets a sentence."""

import math

import numpy as np
import pytest

from activation_lab import benchmark, data
from activation_lab.exercises import choosing as check
from conftest import verdict


def test_chance_and_seeds_needed_accept_the_right_numbers():
    assert check.chance_check(2 / math.comb(10, 5)).passed
    assert check.seeds_needed_check(7).passed and check.seeds_needed_check(np.int64(7)).passed


@pytest.mark.parametrize("answer", [None, "0.0079", 0.5, float("nan"), [0.1, 0.2], True])
def test_chance_rejects_bad_answers(answer):
    verdict(check.chance_check(answer))


@pytest.mark.parametrize(("answer", "fragment"), [(6, "too small"), (8, "too large"), (6.5, "whole number"),
                                                  (None, "None"), ("seven", "text")])
def test_seeds_needed_rejects_bad_answers(answer, fragment):
    verdict(check.seeds_needed_check(answer), fragment)


def first_crossing(steps, curve, threshold, higher_is_better=True):
    for step, value in zip(steps, curve):
        if (value >= threshold) if higher_is_better else (value <= threshold):
            return step
    return math.inf


def test_a_correct_steps_to_threshold_passes():
    assert check.steps_to_threshold_check(first_crossing).passed
    assert check.steps_to_threshold_check(benchmark.steps_to_threshold).passed


def last_crossing(steps, curve, threshold, higher_is_better=True):
    hits = [s for s, v in zip(steps, curve) if (v >= threshold if higher_is_better else v <= threshold)]
    return hits[-1] if hits else math.inf


def mutating(steps, curve, threshold, higher_is_better=True):
    curve[0] = 99
    return first_crossing(steps, curve, threshold, higher_is_better)


@pytest.mark.parametrize(("learner", "fragments"), [
    (None, ["None"]),
    ("f", ["should be a function"]),
    (lambda steps: 0, ["could not be called"]),
    (lambda s, c, t, h: 1 / 0, ["ZeroDivisionError"]),
    (lambda s, c, t, h: None, ["returned None"]),
    (lambda s, c, t, h: "10", ["should return a number", "str"]),
    (lambda s, c, t, h: True, ["should return a number"]),
    (lambda s, c, t, h: first_crossing(s, c, t, True), ["falling error curve"]),
    (lambda s, c, t, h: first_crossing(s, c, t, h) if math.isfinite(first_crossing(s, c, t, h)) else -1, ["math.inf"]),
    (lambda s, c, t, h: list(s).index(first_crossing(s, c, t, h)), ["position in the list"]),
    (last_crossing, ["first step that reaches the threshold is 20"]),
    (lambda s, c, t, h: first_crossing(s, [v for v in c], t + 1e-9, h), ["exactly on the threshold"]),
    (mutating, ["changed the arrays"]),
])
def test_each_wrong_steps_to_threshold_gets_its_own_sentence(learner, fragments):
    verdict(check.steps_to_threshold_check(learner), *fragments)


@pytest.fixture(scope="module")
def spirals_result():
    train, test = data.spirals(n_per_class=30, seed=0), data.spirals(n_per_class=30, seed=1)
    ds = data.Dataset("spirals", train.X, train.y, 3, X_test=test.X, y_test=test.y)
    task = benchmark.Task("spirals", ds, "cross_entropy", steps=60, lr=0.03, threshold=0.6)
    return benchmark.run(task, activations=("sigmoid", "tanh", "relu"), seeds=range(3))


def test_fastest_accepts_every_activation_tied_with_the_fastest(spirals_result):
    steps = spirals_result.steps_to_threshold()
    fastest = int(np.argmin(np.where(np.isfinite(steps).all(1), steps.mean(1), np.inf)))
    for a, name in enumerate(spirals_result.activations):
        tied = np.isfinite(steps[a]).all() and not benchmark.separated(steps[a], steps[fastest])
        assert check.fastest_check(name, spirals_result).passed == bool(tied)
    assert check.fastest_check(benchmark.label(spirals_result.activations[fastest]).upper(), spirals_result).passed


@pytest.mark.parametrize(("answer", "fragment"), [(None, "still None"), (3, "as text"), ("swish", "not one of")])
def test_fastest_rejects_bad_answers(spirals_result, answer, fragment):
    verdict(check.fastest_check(answer, spirals_result), fragment)


def test_fastest_needs_the_result_object():
    verdict(check.fastest_check("relu", {"spirals": 1}), "benchmark's result")


def test_output_check():
    assert check.output_check(" Sigmoid").passed
    verdict(check.output_check("softmax"), "compete")
    verdict(check.output_check("relu"), "probability")
    verdict(check.output_check(None), "None")
    verdict(check.output_check("linear"), "not one of the options")
