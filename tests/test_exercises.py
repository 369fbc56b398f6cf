"""Every checker turns bad learner input into one clear sentence, never a traceback."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from activation_lab import approximation
from activation_lab.exercises import feedback
from activation_lab.exercises import nonlinearity as check
from conftest import verdict


def good_collapse(layers):
    W, b = layers[0]
    for W_next, b_next in layers[1:]:
        W, b = W @ W_next, b @ W_next + b_next
    return W, b



# ---- collapse_check: each kind of wrong function ----------------------------------------


def test_a_correct_collapse_passes_and_says_so():
    result = check.collapse_check(good_collapse)
    assert result.passed and repr(result).startswith("Correct:")


def test_torch_tensors_and_nested_lists_are_accepted_as_answers():
    as_torch = lambda layers: tuple(torch.from_numpy(a) for a in good_collapse(layers))
    as_lists = lambda layers: tuple(a.tolist() for a in good_collapse(layers))
    assert check.collapse_check(as_torch).passed and check.collapse_check(as_lists).passed


@pytest.mark.parametrize(
    ("learner", "fragments"),
    [
        (None, ["`collapse` is None"]),
        (42, ["should be a function", "int"]),
        (lambda: None, ["could not be called"]),
        (lambda layers: 1 / 0, ["raised ZeroDivisionError", "division by zero", "1 / 0"]),
        (lambda layers: "W" + 1, ["raised TypeError", '"W" + 1']),
        (lambda layers: None, ["returned None"]),
        (lambda layers: "W and b", ["should return a pair (W, b)", "str"]),
        (lambda layers: (1, 2, 3), ["should return a pair (W, b)", "3 items"]),
        (lambda layers: layers[0], ["shape (2, 1)", "(2, 5)"]),
        (lambda layers: (good_collapse(layers)[0].astype(complex), good_collapse(layers)[1]), ["complex numbers"]),
        (lambda layers: (good_collapse(layers)[0] > 0, good_collapse(layers)[1]), ["True/False"]),
        (lambda layers: (np.full_like(good_collapse(layers)[0], np.nan), good_collapse(layers)[1]), ["NaN"]),
        (lambda layers: (good_collapse(layers)[0], np.full_like(good_collapse(layers)[1], np.inf)), ["infinite"]),
        (lambda layers: (np.array(["a"] * 6).reshape(3, 2), np.zeros(2)), ["real numbers"]),
        (lambda layers: (good_collapse(layers)[0], good_collapse(layers)[1] + 1e-3), ["x @ W + b is wrong", "entry"]),
    ],
    ids=["none", "not-callable", "bad-signature", "raises", "type-error-inside", "returns-none", "returns-text",
         "three-items", "wrong-shape", "complex", "bool", "nan", "inf", "strings", "slightly-wrong"],
)
def test_bad_collapse_functions_get_specific_feedback(learner, fragments):
    verdict(check.collapse_check(learner), *fragments)


def test_mutating_the_input_is_caught():
    def mutating(layers):
        W, b = layers[0]
        W += 0.0  # no change in value ...
        W *= 2.0  # ... but this one changes the caller's array
        return good_collapse(layers)

    verdict(check.collapse_check(mutating), "changed its input in place (W of layer 1)", "copy")


def test_a_function_that_never_returns_is_stopped(monkeypatch):
    monkeypatch.setattr(feedback, "TIME_LIMIT_SECONDS", 1)

    def forever(layers):
        while True:
            pass

    verdict(check.collapse_check(forever), "more than 1 s")


def test_exceptions_from_numpy_inside_learner_code_name_the_learner_line():
    def shapes_wrong(layers):
        return layers[0][0] @ layers[0][0], layers[0][1]  # (3, 2) @ (3, 2) cannot multiply

    verdict(check.collapse_check(shapes_wrong), "ValueError", "layers[0][0] @ layers[0][0]")


# ---- the other checkers ------------------------------------------------------------


def test_xor_network_accepts_column_and_scalar_shapes_and_rejects_wrong_weights():
    assert check.xor_network_check(np.ones((2, 2)), [0, -1], [1, -2], 0).passed
    assert check.xor_network_check(np.ones((2, 2)), [0, -1], [[1], [-2]], [0]).passed
    assert check.xor_network_check(torch.ones(2, 2), torch.tensor([0.0, -1.0]), [1, -2], 0.0).passed
    verdict(check.xor_network_check(np.eye(2), [0, -1], [1, -2], 0), "for the input (0, 1)", "XOR is 1")
    verdict(check.xor_network_check(np.ones((2, 2)), None, [1, -2], 0), "b1 is None", "replace None")
    verdict(check.xor_network_check(np.ones((3, 2)), [0, -1], [1, -2], 0), "W1 should have shape (2, 2)")
    verdict(check.xor_network_check(np.ones((2, 2)), [0, np.nan], [1, -2], 0), "b1 contains NaN")


def test_pieces_checker():
    assert check.pieces_check(lambda width: width + 1).passed
    verdict(check.pieces_check(lambda width: 2 * width), "too large")
    verdict(check.pieces_check(lambda width: None), "returned None")
    verdict(check.pieces_check(lambda width: [width + 1]), "should be a number", "list")
    verdict(check.pieces_check(lambda width: float("nan")), "finite")


def test_widget_exercise_uses_the_library_value():
    expected = approximation.smallest_width("relu", 0.1)
    assert approximation.fit_bumpy("relu", expected).max_error < 0.1
    previous = approximation.WIDTHS[approximation.WIDTHS.index(expected) - 1]
    assert approximation.fit_bumpy("relu", previous).max_error >= 0.1
    assert check.smallest_width_check(expected).passed
    assert check.smallest_width_check(np.int64(expected)).passed
    verdict(check.smallest_width_check(previous), "too small")
    verdict(check.smallest_width_check(13), "not one of the explorer's widths")
    verdict(check.smallest_width_check(str(expected)), "text")
    verdict(check.smallest_width_check(None), "still None")
    verdict(check.smallest_width_check(True), "should be a number", "bool")
    verdict(check.smallest_width_check([expected, expected]), "should be a number", "list")


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [(None, "still None"), ("0.25", "the text"), (True, "bool"), (np.array([0.25, 0.5]), "one number"),
     (float("nan"), "finite"), (float("inf"), "finite"), (0.3, "too large"), (0.2, "too small"),
     ({"a": 1}, "dict")],
)
def test_check_number_bad_answers(answer, fragment):
    verdict(feedback.check_number(answer, expected=0.25, tolerance=1e-3, what="x"), fragment)


def test_check_number_accepts_numpy_scalars_and_one_element_arrays():
    assert feedback.check_number(np.float32(0.25), expected=0.25, tolerance=1e-6, what="x").passed
    assert feedback.check_number(np.array([0.25]), expected=0.25, tolerance=1e-6, what="x").passed


anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5) | st.binary(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=3), children, max_size=2),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(returned=anything)
def test_whatever_a_learner_function_returns_the_checkers_answer_with_feedback(returned):
    for result in (
        check.collapse_check(lambda layers: returned),
        check.pieces_check(lambda width: returned),
        check.smallest_width_check(returned),
        check.xor_network_check(returned, returned, returned, returned),
    ):
        assert isinstance(result, feedback.Feedback)
        assert not result.passed or returned in (32, 32.0)


@pytest.mark.parametrize(
    ("answer", "passed", "fragment"),
    [("relu", True, "is relu"), (" ReLU", True, "is relu"), ("tanh", False, "not the best choice"),
     ("swish", False, "not one of the options"), (None, False, "still None"), (3, False, "int")],
)
def test_check_choice(answer, passed, fragment):
    result = feedback.check_choice(answer, expected="relu", options=["sigmoid", "tanh", "relu"], what="the choice")
    assert result.passed is passed and fragment in result.message
