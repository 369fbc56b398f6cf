"""Checkers for the chapter "Choosing an activation: the evidence".

>>> chance_check(2 / 252)
Correct: the chance that two sets of five results from one distribution have separate
ranges is 0.0079.
>>> output_check("softmax")
Not yet: softmax is not the best choice for the output activation of a multi-label
tagger. Softmax makes the tags compete: their probabilities must add up to 1, so a photo
cannot be both 'beach' and 'sunset' with high confidence.
"""

from __future__ import annotations

import math

import numpy as np

from activation_lab import benchmark
from activation_lab.exercises.feedback import (
    Feedback,
    call_learner,
    check_choice,
    check_number,
    correct,
    wrong,
)


def chance_check(answer) -> Feedback:
    """P(two samples of five have disjoint ranges | one distribution) = 2 / C(10, 5)."""
    return check_number(answer, expected=benchmark.chance_of_separation(5), tolerance=1e-4,
                        what="the chance that two sets of five results from one distribution have separate ranges",
                        hint="Count the orderings of the ten results in which one set holds the five lowest "
                             "or the five highest ranks.")


def seeds_needed_check(answer) -> Feedback:
    """The smallest n (seeds per activation) with 2 / C(2n, n) below 0.1 %."""
    needed = next(n for n in range(1, 50) if benchmark.chance_of_separation(n) < 0.001)
    if isinstance(answer, float) and math.isfinite(answer) and not answer.is_integer():
        return wrong(f"{answer:g} is not a whole number of seeds.")
    return check_number(answer, expected=needed, tolerance=0,
                        what="the smallest number of seeds per activation that brings the chance below 0.1 %",
                        hint="Evaluate 2 / math.comb(2 * n, n) for n = 5, 6, 7, ...")


# (steps, curve, threshold, higher_is_better, what it tests)
_CASES = [
    ([0, 10, 20, 30], [0.2, 0.6, 0.93, 0.99], 0.9, True, "a rising accuracy curve"),
    ([0, 10, 20, 30], [0.2, 0.6, 0.9, 0.99], 0.9, True, "a curve that lands exactly on the threshold"),
    ([0, 5, 10, 15], [1.0, 0.8, 0.69, 0.6], 0.7, False, "a falling error curve (lower is better)"),
    ([0, 10, 20], [0.3, 0.5, 0.6], 0.9, True, "a curve that never reaches the threshold"),
    ([0, 10, 20, 30, 40], [0.5, 0.95, 0.85, 0.97, 0.99], 0.9, True, "a curve that dips again after crossing"),
    ([0, 25, 50], [0.96, 0.97, 0.98], 0.9, True, "a curve that starts above the threshold"),
]


def steps_to_threshold_check(steps_to_threshold) -> Feedback:
    """Check ``steps_to_threshold(steps, curve, threshold, higher_is_better)``."""
    for steps, curve, threshold, higher, what in _CASES:
        steps_in, curve_in = np.array(steps), np.array(curve)
        inputs = f"{what} (steps {steps}, curve {curve}, threshold {threshold}, higher_is_better={higher})"
        result = call_learner(steps_to_threshold, steps_in, curve_in, threshold, higher,
                              name="steps_to_threshold", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        if not (np.array_equal(steps_in, steps) and np.array_equal(curve_in, curve)):
            return wrong("`steps_to_threshold` changed the arrays it was given; read them, do not modify them.")
        expected = benchmark.steps_to_threshold(steps, curve, threshold, higher)
        if result is None:
            return wrong(f"`steps_to_threshold` returned None for {inputs}; did you forget a `return`?")
        if isinstance(result, (bool, np.bool_)) or not isinstance(result, (int, float, np.integer, np.floating)):
            return wrong(f"`steps_to_threshold` should return a number (math.inf when the curve never gets "
                         f"there), but for {inputs} it returned a {type(result).__name__}.")
        value = float(result)
        if value == expected or (math.isnan(value) and math.isnan(expected)):
            continue
        if math.isinf(expected):
            return wrong(f"for {inputs} the threshold is never reached, so the answer should be math.inf, "
                         f"not {value:g}.")
        position = steps.index(int(expected))
        if value == position:
            return wrong(f"for {inputs} you returned {value:g}, the position in the list; return the step "
                         f"itself, {expected:g}.")
        return wrong(f"for {inputs} you returned {value:g}, but the first step that reaches the threshold "
                     f"is {expected:g}.")
    return correct("your function finds the first recorded step at which a curve reaches its threshold.")


def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def fastest_check(answer, result) -> Feedback:
    """Widget exercise: an activation that reaches the task's threshold in the fewest steps.

    Every activation whose range of steps overlaps the fastest one's range counts as right:
    with five seeds, the benchmark cannot tell them apart.
    """
    if not isinstance(result, benchmark.Result):
        return wrong("pass the benchmark's result for the task as the second argument, "
                     "for example `results[\"spirals\"]`.")
    names = {_normalise(a): a for a in result.activations}
    names.update({_normalise(benchmark.label(a)): a for a in result.activations})
    options = ", ".join(benchmark.label(a) for a in result.activations)
    if answer is None:
        return wrong(f"the answer is still None; replace None with one of: {options}.")
    if not isinstance(answer, str):
        return wrong(f"give the activation's name as text (one of: {options}), not a {type(answer).__name__}.")
    if _normalise(answer) not in names:
        return wrong(f"{answer!r} is not one of the benchmark's activations: {options}.")
    steps = result.steps_to_threshold()
    if not np.isfinite(steps).any():
        return wrong("no activation reached the threshold on this task, so none is fastest.")
    means = np.where(np.isfinite(steps).all(axis=1), steps.mean(axis=1), np.inf)
    fastest = int(np.argmin(means))
    tied = [a for a in range(len(result.activations))
            if np.isfinite(means[a]) and not benchmark.separated(steps[a], steps[fastest])]
    chosen = result.activations.index(names[_normalise(answer)])
    shown = benchmark.label(result.activations[chosen])
    task = result.task.name
    if chosen in tied:
        others = [benchmark.label(result.activations[a]) for a in tied if a != chosen]
        tie = f" Its range of steps overlaps that of {', '.join(others)}, so they are tied." if others else ""
        return correct(f"{shown} reaches the threshold on {task} after {means[chosen]:.0f} steps on average, "
                       f"the fewest or within the seed-to-seed spread of the fewest.{tie}")
    return wrong(f"{shown} needs {means[chosen]:.0f} steps on average on {task}; read the steps under the "
                 "explorer's picture for every activation and pick the smallest.")


def output_check(answer) -> Feedback:
    """Scenario: the output activation of a multi-label photo tagger (several tags may apply)."""
    return check_choice(
        answer, expected="sigmoid", options=["identity", "sigmoid", "softmax", "relu", "tanh"],
        what="the output activation of a multi-label tagger",
        why="Each tag gets its own independent probability, and the loss is binary cross-entropy on "
            "the logits (BCEWithLogitsLoss), one term per tag.",
        hint="Softmax makes the tags compete: their probabilities must add up to 1, so a photo cannot be "
             "both 'beach' and 'sunset' with high confidence." if str(answer).strip().lower() == "softmax"
        else "Each tag is its own yes/no question, and the output should be a probability for each.",
    )
