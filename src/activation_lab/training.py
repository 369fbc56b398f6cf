"""A plain, seeded, full-batch training loop that records its history.

The same function trains one network or an :class:`~activation_lab.nets.Ensemble` of
several seeds at once: it treats a single network as an ensemble of one.

>>> from activation_lab import data, nets
>>> xor = data.xor(seed=0)
>>> runs = nets.Ensemble(lambda s: nets.mlp(2, [8], 2, "tanh", seed=s), seeds=range(3))
>>> history = train(runs, xor.X, xor.y, loss="cross_entropy", steps=300, lr=0.05)
>>> history.metric[:, -1].tolist()             # final training accuracy of each run
[1.0, 1.0, 1.0]
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

LOSSES = ("cross_entropy", "bce", "mse")


@dataclass
class History:
    """What a training run recorded, one row per run and one column per record."""

    steps: np.ndarray  # (records,) the step at which each record was taken
    loss: np.ndarray  # (runs, records) training loss
    metric: np.ndarray  # (runs, records) accuracy (classification) or RMSE (regression)
    metric_name: str
    test_metric: np.ndarray | None  # (runs, records), if test data was given
    seconds: float  # wall time of the whole loop

    @property
    def final_metric(self) -> np.ndarray:
        return (self.metric if self.test_metric is None else self.test_metric)[:, -1]


def as_runs(outputs: torch.Tensor) -> torch.Tensor:
    """Outputs as (runs, samples, features): a plain network's output becomes one run."""
    return outputs.unsqueeze(0) if outputs.ndim == 2 else outputs


def per_run_loss(outputs: torch.Tensor, y: torch.Tensor, loss: str) -> torch.Tensor:
    """The mean loss of each run, shape (runs,), from logits or values."""
    outputs = as_runs(outputs)
    runs, n, k = outputs.shape
    if loss == "cross_entropy":
        flat = F.cross_entropy(outputs.reshape(runs * n, k), y.repeat(runs), reduction="none")
        return flat.view(runs, n).mean(dim=1)
    target = y.reshape(1, n, -1).expand(runs, n, k)
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(outputs, target, reduction="none").mean(dim=(1, 2))
    if loss == "mse":
        return ((outputs - target) ** 2).mean(dim=(1, 2))
    raise ValueError(f"unknown loss {loss!r}; choose one of {LOSSES}")


def per_run_metric(outputs: torch.Tensor, y: torch.Tensor, loss: str) -> torch.Tensor:
    """Accuracy for classification losses, root-mean-square error for ``mse``; shape (runs,)."""
    outputs = as_runs(outputs)
    if loss == "cross_entropy":
        return (outputs.argmax(dim=2) == y).float().mean(dim=1)
    if loss == "bce":
        return ((outputs > 0).float() == y.reshape(1, len(y), -1)).float().mean(dim=(1, 2))
    return per_run_loss(outputs, y, "mse").sqrt()


def make_optimizer(parameters, name: str, lr: float) -> torch.optim.Optimizer:
    if name == "adam":
        return torch.optim.Adam(parameters, lr=lr)
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(parameters, lr=lr, momentum=0.9)
    raise ValueError(f"unknown optimizer {name!r}; choose adam, sgd or momentum")


def train(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    loss: str,
    steps: int,
    lr: float,
    optimizer: str = "adam",
    schedule: str = "constant",
    record_every: int = 10,
    X_test: torch.Tensor | None = None,
    y_test: torch.Tensor | None = None,
    callback: Callable[[int, nn.Module], None] | None = None,
) -> History:
    """Full-batch training of ``model`` (in place) for ``steps`` steps.

    ``schedule="cosine"`` lowers the learning rate from ``lr`` to 0 along a half cosine.
    ``callback(step, model)``, if given, runs after every backward pass and before the
    optimiser step, so it sees this step's gradients and the weights they are about to change
    (use it to record gradient norms or update ratios).
    Every ``record_every`` steps, and after the last, the loss and metric of each run are
    recorded. The total loss is the sum of per-run losses, so runs in an ensemble never
    influence each other's gradients.
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {LOSSES}")
    opt = make_optimizer(model.parameters(), optimizer, lr)
    if schedule not in ("constant", "cosine"):
        raise ValueError(f"unknown schedule {schedule!r}; choose constant or cosine")
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps) if schedule == "cosine" else None
    records: list[int] = []
    losses, metrics, test_metrics = [], [], []
    start = time.perf_counter()
    for step in range(steps + 1):
        outputs = model(X)
        run_losses = per_run_loss(outputs, y, loss)
        if step % record_every == 0 or step == steps:
            records.append(step)
            losses.append(run_losses.detach().numpy().copy())
            metrics.append(per_run_metric(outputs.detach(), y, loss).numpy())
            if X_test is not None:
                with torch.no_grad():
                    test_metrics.append(per_run_metric(model(X_test), y_test, loss).numpy())
        if step == steps:
            break
        opt.zero_grad()
        run_losses.sum().backward()
        if callback is not None:
            callback(step, model)
        opt.step()
        if scheduler is not None:
            scheduler.step()
    return History(
        steps=np.array(records),
        loss=np.stack(losses, axis=1),
        metric=np.stack(metrics, axis=1),
        metric_name="RMSE" if loss == "mse" else "accuracy",
        test_metric=np.stack(test_metrics, axis=1) if test_metrics else None,
        seconds=time.perf_counter() - start,
    )


def predict(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """The model's outputs as (runs, samples, features), without building a graph."""
    with torch.no_grad():
        return as_runs(model(X))
