"""Training on minibatches, for data sets where a full batch at every step costs too much.

:func:`train` is the minibatch sibling of :func:`activation_lab.training.train`: the same
losses, the same treatment of ensembles (the loss is a sum of per-run losses, so runs never
influence each other) and the same :class:`~activation_lab.training.History`. Each epoch
visits the training set once, in an order drawn from ``seed``, so a run is reproducible.

>>> from activation_lab import data, nets
>>> moons = data.two_moons(seed=0)
>>> runs = nets.Ensemble(lambda s: nets.mlp(2, [16], 2, "relu", seed=s), seeds=range(3))
>>> history = train(runs, moons.X, moons.y, loss="cross_entropy", steps=200, batch_size=32, lr=0.02)
>>> bool(history.metric[:, -1].min() > 0.9)           # training accuracy of the last batches
True
"""

from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn

from activation_lab.training import LOSSES, History, make_optimizer, per_run_loss, per_run_metric, predict


def batches(n: int, batch_size: int, seed: int):
    """Index tensors of ``batch_size`` samples out of ``n``, epoch after epoch, without end.

    Every epoch is a fresh random permutation; the last, smaller batch of an epoch is kept.
    """
    generator = torch.Generator().manual_seed(seed)
    while True:
        order = torch.randperm(n, generator=generator)
        yield from order.split(batch_size)


def train(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    loss: str,
    steps: int,
    batch_size: int,
    lr: float,
    seed: int = 0,
    optimizer: str = "adam",
    schedule: str = "constant",
    record_every: int = 50,
    X_test: torch.Tensor | None = None,
    y_test: torch.Tensor | None = None,
) -> History:
    """Train ``model`` in place for ``steps`` minibatch steps.

    Every ``record_every`` steps, and after the last, the history records each run's loss and
    metric averaged over the batches since the previous record, and (if test data is given)
    the metric on the whole test set. ``schedule="cosine"`` lowers the learning rate to 0
    along a half cosine.
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {LOSSES}")
    if schedule not in ("constant", "cosine"):
        raise ValueError(f"unknown schedule {schedule!r}; choose constant or cosine")
    opt = make_optimizer(model.parameters(), optimizer, lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps) if schedule == "cosine" else None
    records, losses, metrics, test_metrics = [], [], [], []
    since_record: list[tuple[np.ndarray, np.ndarray]] = []
    start = time.perf_counter()
    for step, index in zip(range(steps), batches(len(X), batch_size, seed)):
        outputs = model(X[index])
        run_losses = per_run_loss(outputs, y[index], loss)
        since_record.append((run_losses.detach().numpy(), per_run_metric(outputs.detach(), y[index], loss).numpy()))
        opt.zero_grad()
        run_losses.sum().backward()
        opt.step()
        if scheduler is not None:
            scheduler.step()
        if step % record_every == 0 or step == steps - 1:
            records.append(step + 1)
            losses.append(np.mean([s[0] for s in since_record], axis=0))
            metrics.append(np.mean([s[1] for s in since_record], axis=0))
            since_record = []
            if X_test is not None:
                test_metrics.append(per_run_metric(predict(model, X_test), y_test, loss).numpy())
    return History(
        steps=np.array(records),
        loss=np.stack(losses, axis=1),
        metric=np.stack(metrics, axis=1),
        metric_name="RMSE" if loss == "mse" else "accuracy",
        test_metric=np.stack(test_metrics, axis=1) if test_metrics else None,
        seconds=time.perf_counter() - start,
    )
