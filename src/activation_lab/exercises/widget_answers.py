"""A check shared by the widget exercises: is the learner's answer one of the explorer's values?

>>> not_offered(3, (1, 2, 4), "width")
Not yet: 3 is not one of the explorer's values of width (1, 2, 4).
>>> not_offered(2, (1, 2, 4), "width") is None
True
"""

from __future__ import annotations

import numpy as np

from activation_lab.exercises.feedback import Feedback, shape_of, wrong


def not_offered(answer, values, symbol: str) -> Feedback | None:
    """Feedback if ``answer`` is a finite number the explorer does not offer; otherwise None.

    Anything that is not a single number is left to ``check_number``, which explains it.
    """
    if isinstance(answer, bool) or shape_of(answer) != ():
        return None
    value = float(np.asarray(answer, dtype=float))
    if np.isfinite(value) and not any(np.isclose(value, v, rtol=1e-9, atol=1e-12) for v in values):
        shown = ", ".join(f"{v:g}" for v in values)
        return wrong(f"{value:g} is not one of the explorer's values of {symbol} ({shown}).")
    return None
