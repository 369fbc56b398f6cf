"""The machinery behind every exercise checker: run learner code safely, inspect what it
returned, and say in one plain sentence what is right or wrong.

A checker never lets an exception from the learner's code (or its own) reach the learner as
a traceback. Each step returns either a usable value or a :class:`Feedback` that explains
what went wrong and for which input; checkers stop at the first ``Feedback``.

>>> check_number(0.25, expected=0.25, tolerance=1e-6, what="the maximum of σ'")
Correct: the maximum of σ' is 0.25.
>>> check_number("a quarter", expected=0.25, tolerance=1e-6, what="the maximum of σ'")
Not yet: the maximum of σ' should be a number, but you gave the text 'a quarter'.
"""

from __future__ import annotations

import inspect
import math
import numbers
import os
import signal
import textwrap
import threading
import traceback
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

TIME_LIMIT_SECONDS = 10
_OUR_FILES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer. It prints as one sentence and is truthy when correct.

    Helpers that return ``Feedback | None`` use None for "nothing wrong": test them with
    ``is not None``, never with truthiness (a failing Feedback is falsy).
    """

    passed: bool
    message: str

    def __repr__(self) -> str:
        # Wrapped, so the sentence reads without scrolling in a notebook or on the page.
        return textwrap.fill(("Correct: " if self.passed else "Not yet: ") + self.message, width=88)

    def __bool__(self) -> bool:
        return self.passed


def correct(message: str) -> Feedback:
    return Feedback(True, message)


def wrong(message: str) -> Feedback:
    return Feedback(False, message)


class _TimeLimit(Exception):
    pass


@contextmanager
def _time_limit(seconds: int):
    """Interrupt the learner's code after ``seconds`` (only possible in the main thread)."""
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def interrupt(_signum, _frame):
        raise _TimeLimit

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _where_in_learner_code(error: BaseException) -> str:
    """ " (in the line `...`)" for the deepest frame outside this package, if any."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith(_OUR_FILES)]
    learner = [f for f in frames if "site-packages" not in f.filename and "/lib/python" not in f.filename]
    frame = (learner or frames or [None])[-1]
    return f" (in the line `{frame.line.strip()}`)" if frame is not None and frame.line else ""


def _signature_refuses(function: Any, args: tuple) -> bool:
    """True if ``function``'s parameters cannot take ``args`` (so the call itself failed).

    A TypeError raised inside the learner's code, such as adding a string to a number, is
    then told apart from one about the number of arguments.
    """
    try:
        inspect.signature(function).bind(*args)
    except TypeError:
        return True
    except ValueError:  # some built-ins have no signature to inspect
        return False
    return False


def call_learner(function: Any, *args, name: str, inputs: str) -> Any:
    """Call the learner's ``function(*args)``; a :class:`Feedback` if that cannot be done.

    ``name`` is how the message refers to the function, ``inputs`` describes the arguments.
    """
    if function is None:
        return wrong(f"`{name}` is None; define it as a function first.")
    if not callable(function):
        return wrong(f"`{name}` should be a function, but it is a {type(function).__name__}.")
    try:
        with _time_limit(TIME_LIMIT_SECONDS):
            return function(*args)
    except _TimeLimit:
        return wrong(f"`{name}` ran for more than {TIME_LIMIT_SECONDS} s on {inputs}; is there a loop that never ends?")
    except TypeError as error:
        if _signature_refuses(function, args):
            return wrong(f"`{name}` could not be called with {inputs}: {error}.")
        return wrong(f"`{name}` raised TypeError on {inputs}: {error}{_where_in_learner_code(error)}.")
    except Exception as error:  # anything the learner's code raises becomes feedback
        return wrong(f"`{name}` raised {type(error).__name__} on {inputs}: {error}{_where_in_learner_code(error)}.")


def to_array(value: Any, *, what: str, shape: tuple[int, ...],
             if_none: str = "did you forget a `return`?") -> np.ndarray | Feedback:
    """``value`` as a float64 array of exactly ``shape``, or feedback saying why it is not.

    ``if_none`` is the advice given when ``value`` is None.
    """
    if value is None:
        return wrong(f"{what} is None; {if_none}")
    if isinstance(value, str):
        return wrong(f"{what} should be numbers, but it is the text {value!r}.")
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a PyTorch tensor
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value)
    except Exception:
        return wrong(f"{what} could not be read as an array of numbers ({type(value).__name__}).")
    if array.dtype == object or array.dtype.kind not in "biuf":
        kind = "complex numbers" if array.dtype.kind == "c" else f"values of type {array.dtype}"
        return wrong(f"{what} should hold real numbers, but it holds {kind}.")
    if array.dtype.kind == "b":
        return wrong(f"{what} holds True/False values; it should hold numbers.")
    if array.shape != shape:
        return wrong(f"{what} should have shape {shape}, but it has shape {array.shape}.")
    array = array.astype(np.float64)
    if np.isnan(array).any():
        return wrong(f"{what} contains NaN at index {_first(np.isnan(array))}.")
    if np.isinf(array).any():
        return wrong(f"{what} contains an infinite value at index {_first(np.isinf(array))}.")
    return array


def shape_of(value: Any) -> tuple[int, ...] | None:
    """The array shape of ``value``, or None if it is not a regular array of numbers."""
    if value is None or isinstance(value, (str, bytes, dict)):
        return None
    try:
        return np.shape(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        return None


def _first(mask: np.ndarray) -> tuple[int, ...] | int:
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return index[0] if len(index) == 1 else index


def compare(actual: np.ndarray, expected: np.ndarray, *, what: str, inputs: str,
            rtol: float = 1e-6, atol: float = 1e-8) -> Feedback | None:
    """None if the arrays agree; otherwise feedback naming the first entry that differs."""
    close = np.isclose(actual, expected, rtol=rtol, atol=atol)
    if close.all():
        return None
    i = _first(~close)
    return wrong(f"{what} is wrong for {inputs}: entry {i} is {float(actual[i]):.6g}, "
                 f"but it should be {float(expected[i]):.6g}.")


def unchanged(before: list[np.ndarray], after: list[Any], *, name: str, labels: list[str]) -> Feedback | None:
    """None if the learner's function left its input arrays as they were.

    ``labels`` names each array for the message ("W of layer 1", ...).
    """
    for label, old, new in zip(labels, before, after):
        if not np.array_equal(old, np.asarray(new), equal_nan=True):
            return wrong(f"`{name}` changed its input in place ({label}); work on a copy "
                         "(for example `W = W.copy()`) or build new arrays.")
    return None


def check_integer_formula(function: Any, arguments: Iterable[int], expected: Callable[[int], int], *, name: str,
                          hint: str = "") -> Feedback | None:
    """Call the learner's ``function(n)`` for every ``n`` in ``arguments``; the first feedback
    where a result is not exactly ``expected(n)``, or None when every one is."""
    for n in arguments:
        result = call_learner(function, n, name=name, inputs=f"width = {n}")
        if isinstance(result, Feedback):
            return result
        if result is None:
            return wrong(f"`{name}({n})` returned None; did you forget a `return`?")
        verdict = check_number(result, expected=expected(n), tolerance=0, what=f"{name}({n})", hint=hint)
        if not verdict:
            return verdict
    return None


def check_number(answer: Any, *, expected: float, tolerance: float, what: str, hint: str = "") -> Feedback:
    """Check a single number the learner read off an explorer or worked out by hand.

    ``tolerance`` is absolute. ``hint`` is added when the answer is wrong.
    """
    if answer is None:
        return wrong(f"{what} is still None; replace None with your answer.")
    if isinstance(answer, str):
        return wrong(f"{what} should be a number, but you gave the text {answer!r}.")
    if isinstance(answer, bool) or not isinstance(answer, (numbers.Real, np.number, np.ndarray)):
        return wrong(f"{what} should be a number, but you gave a {type(answer).__name__}.")
    value = np.asarray(answer, dtype=float)
    if value.size != 1:
        return wrong(f"{what} should be one number, but you gave {value.size} of them.")
    value = float(value.reshape(()))
    if not math.isfinite(value):
        return wrong(f"{what} should be a finite number, but you gave {value}.")
    if abs(value - expected) <= tolerance:
        return correct(f"{what} is {_round(expected, tolerance)}.")
    direction = "too large" if value > expected else "too small"
    return wrong(f"{value:g} is {direction} for {what}." + (f" {hint}" if hint else ""))


def _round(value: float, tolerance: float) -> str:
    decimals = max(0, -int(math.floor(math.log10(tolerance)))) if tolerance > 0 else 6
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:g}"




def check_choice(answer: Any, *, expected: str, options: list[str], what: str, why: str = "",
                 hint: str = "") -> Feedback:
    """Check one choice among named ``options`` (case and surrounding spaces are ignored).

    ``why`` is added when the answer is right, ``hint`` when it is a valid but wrong option.

    >>> check_choice("ReLU ", expected="relu", options=["sigmoid", "tanh", "relu"], what="the hidden activation")
    Correct: the hidden activation is relu.
    """
    if answer is None:
        return wrong(f"{what} is still None; replace None with one of: {', '.join(options)}.")
    if not isinstance(answer, str):
        return wrong(f"{what} should be one of the names {', '.join(options)} (as text), "
                     f"but you gave a {type(answer).__name__}.")
    chosen = answer.strip().lower()
    names = {o.lower(): o for o in options}
    if chosen not in names:
        return wrong(f"{answer!r} is not one of the options for {what}: {', '.join(options)}.")
    if chosen == expected.lower():
        return correct(f"{what} is {names[chosen]}." + (f" {why}" if why else ""))
    return wrong(f"{names[chosen]} is not the best choice for {what}." + (f" {hint}" if hint else ""))
