"""Checkers for the chapter "Output layers and loss functions".

>>> import numpy as np
>>> def cross_entropy_grad(logits, labels):
...     z = logits - logits.max(axis=1, keepdims=True)
...     p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
...     p[np.arange(len(labels)), labels] -= 1
...     return p / len(labels)
>>> logit_gradient_check(cross_entropy_grad)
Correct: your gradient matches autograd on every batch, extreme logits included: it is
(p - y) / n.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from activation_lab import losses
from activation_lab.exercises.feedback import (
    Feedback,
    call_learner,
    check_number,
    compare,
    correct,
    shape_of,
    to_array,
    unchanged,
    wrong,
)

_PRECISIONS = {"float32": np.float32, "float64": np.float64}


def overflow_logit_check(answer, precision: str = "float32") -> Feedback:
    """Widget exercise: the smallest logit on the explorer's slider at which the naive loss is inf."""
    if precision not in _PRECISIONS:
        return wrong(f"precision should be 'float32' or 'float64', not {precision!r}.")
    expected = losses.first_infinite_logit(_PRECISIONS[precision])
    if not isinstance(answer, bool) and shape_of(answer) == ():
        value = float(np.asarray(answer, dtype=float))
        if np.isfinite(value) and value not in losses.EXPLORER_LOGITS:
            return wrong(f"{value:g} is not one of the logits on the explorer's slider "
                         f"({', '.join(map(str, losses.EXPLORER_LOGITS))}).")
    return check_number(answer, expected=expected, tolerance=0.5,
                        what=f"the smallest logit at which the naive {precision} loss is inf",
                        hint="Move the slider up one step at a time and read the naive loss under the picture.")


def _batches(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray]]:
    batches = [
        ("a batch of 6 examples with 4 classes", rng.standard_normal((6, 4)), rng.integers(0, 4, 6)),
        ("a batch of 3 examples with 2 classes", 3 * rng.standard_normal((3, 2)), rng.integers(0, 2, 3)),
        ("a single example with 10 classes", rng.standard_normal((1, 10)), np.array([7])),
    ]
    extreme = np.array([[1000.0, 0.0, -1000.0], [-800.0, 800.0, 0.0]])
    batches.append(("extreme logits (±1000)", extreme, np.array([2, 1])))
    return batches


def logit_gradient_check(cross_entropy_grad) -> Feedback:
    """Check ``cross_entropy_grad(logits, labels)``: the gradient of the *mean* cross-entropy.

    ``logits`` has shape (n, k), ``labels`` holds n class indices; the answer must match
    PyTorch's autograd through ``F.cross_entropy``, also for logits of size 1000.
    """
    rng = np.random.default_rng(13)
    for inputs, logits, labels in _batches(rng):
        before = [logits.copy(), labels.copy()]
        with np.errstate(all="ignore"):  # an overflowing exp in the learner's code is reported below, not warned
            result = call_learner(cross_entropy_grad, logits, labels, name="cross_entropy_grad", inputs=inputs)
        if isinstance(result, Feedback):
            return result
        changed = unchanged(before, [logits, labels], name="cross_entropy_grad", labels=["logits", "labels"])
        if changed is not None:
            return changed
        grad = to_array(result, what=f"For {inputs}, your gradient", shape=logits.shape)
        if isinstance(grad, Feedback):
            if "NaN" in grad.message or "infinite" in grad.message:
                return wrong(grad.message + " Subtract each row's largest logit before exponentiating.")
            return grad
        z = torch.tensor(logits, requires_grad=True)
        F.cross_entropy(z, torch.as_tensor(labels)).backward()
        expected = z.grad.numpy()
        if np.allclose(grad, expected * len(labels), rtol=1e-6, atol=1e-9) and len(labels) > 1:
            return wrong(f"for {inputs} your gradient is n times too large: the loss is the *mean* "
                         "over the batch, so divide by the number of examples.")
        if np.allclose(grad, -expected, rtol=1e-6, atol=1e-9):
            return wrong(f"for {inputs} your gradient has the wrong sign: it is p - y, not y - p.")
        mismatch = compare(grad, expected, what="the gradient", inputs=inputs, rtol=1e-6, atol=1e-9)
        if mismatch is not None:
            return mismatch
    return correct("your gradient matches autograd on every batch, extreme logits included: it is (p - y) / n.")


def _describe_outputs(outputs: torch.Tensor, classes: int) -> str | None:
    """A sentence if the outputs look like probabilities instead of logits, else None."""
    inside = bool(((outputs >= 0) & (outputs <= 1)).all())
    if classes == 1 and inside:
        return ("every output is between 0 and 1, as if a sigmoid were applied; return the logit and let "
                "BCEWithLogitsLoss apply the sigmoid")
    if classes > 1 and inside and torch.allclose(outputs.sum(dim=1), torch.ones(len(outputs)), atol=1e-4):
        return ("every row is between 0 and 1 and sums to 1, as if a softmax were applied; return the logits "
                "and let CrossEntropyLoss apply the softmax")
    return None


def logits_model_check(model_class) -> Feedback:
    """Check a corrected version of the seed's model: ``model_class(input_size, num_classes)``.

    The model must build for one output (binary) and for several (multiclass), accept a batch
    of shape (n, input_size), return logits of shape (n, num_classes), and train: every
    parameter gets a gradient from the matching loss.
    """
    generator = torch.Generator().manual_seed(0)
    x = 3 * torch.randn(64, 10, generator=generator)
    for classes in (1, 5):
        inputs = f"input_size=10, num_classes={classes}"
        model = call_learner(model_class, 10, classes, name="the model class", inputs=inputs)
        if isinstance(model, Feedback):
            return model
        if not isinstance(model, nn.Module):
            return wrong(f"calling your class with {inputs} gave a {type(model).__name__}, not an nn.Module; "
                         "does it inherit from nn.Module?")
        if not list(model.parameters()):
            return wrong(f"the model built with {inputs} has no parameters; did you forget super().__init__() "
                         "or the layers?")
        outputs = call_learner(model, x, name="the model's forward", inputs="a batch of shape (64, 10)")
        if isinstance(outputs, Feedback):
            return outputs
        if not isinstance(outputs, torch.Tensor):
            return wrong(f"with {inputs} the forward pass returned a {type(outputs).__name__}, not a tensor.")
        if tuple(outputs.shape) != (64, classes):
            return wrong(f"with {inputs} the output for 64 examples should have shape (64, {classes}), "
                         f"but it has shape {tuple(outputs.shape)}.")
        if not torch.isfinite(outputs).all():
            return wrong(f"with {inputs} the outputs contain NaN or inf.")
        looks_like = _describe_outputs(outputs.detach(), classes)
        if looks_like is not None:
            return wrong(f"with {inputs}, {looks_like}.")
        if classes == 1:
            loss = F.binary_cross_entropy_with_logits(outputs, torch.ones_like(outputs))
        else:
            loss = F.cross_entropy(outputs, torch.zeros(64, dtype=torch.long))
        model.zero_grad()
        loss.backward()
        frozen = [name for name, p in model.named_parameters() if p.grad is None]
        if frozen:
            return wrong(f"with {inputs} the loss does not reach the parameter {frozen[0]}; is every layer "
                         "used in forward?")
    return correct("your model returns logits of the right shape for one and for five classes, and trains "
                   "with BCEWithLogitsLoss and CrossEntropyLoss.")


def floor_check(answer, classes: int = 2) -> Feedback:
    """The lowest cross-entropy a model whose outputs are already softmax probabilities can reach."""
    return check_number(answer, expected=losses.double_softmax_floor(classes), tolerance=5e-4,
                        what=f"the lowest double-softmax loss with {classes} classes",
                        hint="Put p = (1, 0, ..., 0) on the right class into -log softmax(p).")
