"""Exercise checkers, one module per chapter, all built on :mod:`.feedback`.

In a chapter: ``from activation_lab.exercises import nonlinearity as check``, then
``check.collapse(my_function)``. Every checker returns a :class:`~.feedback.Feedback`, which
prints as one sentence beginning "Correct:" or "Not yet:".
"""

from activation_lab.exercises.feedback import Feedback

__all__ = ["Feedback"]
