"""Call learner code and treat a floating-point warning as a mistake worth one sentence.

Numerically stable code is the point of several exercises: a function that returns the right
numbers while NumPy warns "overflow encountered in exp" has not solved them. :func:`call_quietly`
runs the learner's function through :func:`~.feedback.call_learner` and turns the first
warning it raises into feedback.

>>> import numpy as np
>>> call_quietly(lambda x: 1 / (1 + np.exp(-x)), np.array([-1000.0]), name="sigmoid", inputs="x = [-1000]")
Not yet: `sigmoid` made NumPy warn "overflow encountered in exp" for x = [-1000]; a
stable version never computes exp of a large positive number.
>>> call_quietly(lambda x: x + 1, 1.0, name="f", inputs="x = 1")
2.0
"""

from __future__ import annotations

import warnings
from typing import Any

from activation_lab.exercises.feedback import Feedback, call_learner, wrong


def call_quietly(function: Any, *args, name: str, inputs: str, allowed: tuple[str, ...] = ()) -> Any:
    """``function(*args)``, or a :class:`Feedback` if it fails or emits a warning.

    Warnings whose message contains one of the ``allowed`` fragments are ignored (for example
    "divide by zero encountered in log" where log(0) = -inf is the right answer).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call_learner(function, *args, name=name, inputs=inputs)
    if isinstance(result, Feedback):
        return result
    caught = [w for w in caught if not any(fragment in str(w.message) for fragment in allowed)]
    if caught:
        message = str(caught[0].message).strip().rstrip(".")
        return wrong(f'`{name}` made NumPy warn "{message}" for {inputs}; {_advice(message)}')
    return result


def _advice(message: str) -> str:
    if "overflow" in message:
        return "a stable version never computes exp of a large positive number."
    if "divide by zero" in message:
        return "something became exactly 0 before a log or a division; work with logs from the start."
    if "invalid value" in message:
        return ("an intermediate value became inf - inf or inf / inf (NaN); look for a maximum or a sum that "
                "is infinite, for example in a row that is entirely -inf.")
    return "a numerically stable version runs without warnings."
