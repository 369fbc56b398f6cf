"""One benchmark of hidden activations: the same network, every activation, several tasks and seeds.

For each task, :func:`run` trains one :class:`ParallelMLP` per seed. A ``ParallelMLP`` holds
one copy of the architecture for every activation, all starting from the *same* initial
weights (drawn once from the seed), and computes them together as one batch; the seeds are
batched on top of that by :class:`~activation_lab.nets.Ensemble`. So nine activations times
five seeds are one computation, and activation ``a`` and ``b`` on seed ``s`` differ only in
their activation: a paired comparison.

>>> task = tasks()["spirals"]
>>> result = run(task, activations=("tanh", "relu"), seeds=range(2), steps=20)
>>> result.test_metric.shape            # (activations, seeds, records)
(2, 2, 5)
>>> separated([0.90, 0.91, 0.92], [0.93, 0.95, 0.94]), separated([0.90, 0.94], [0.93, 0.95])
(True, False)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from activation_lab import data, diagnostics, functions, nets, training

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "silu", "mish")
SEEDS = tuple(range(5))
HIDDEN = (32, 32)


@dataclass(frozen=True)
class Task:
    """A data set and the fixed training recipe every activation gets on it."""

    name: str
    dataset: data.Dataset  # with a held-out test split
    loss: str  # "cross_entropy" (accuracy is reported) or "mse" (RMSE is reported)
    steps: int
    lr: float
    threshold: float  # the training metric level whose first crossing is "steps to threshold"
    record_every: int = 5

    @property
    def higher_is_better(self) -> bool:
        return self.loss != "mse"

    @property
    def metric_name(self) -> str:
        return "RMSE" if self.loss == "mse" else "accuracy"

    @property
    def out_features(self) -> int:
        return self.dataset.classes or self.dataset.y.shape[1]


def tasks() -> dict[str, Task]:
    """The benchmark's three tasks: two real data sets from scikit-learn and one synthetic.

    Full-batch Adam, one learning rate and step budget per task, the same for every activation.
    """
    train, test = data.spirals(noise=0.5, seed=0), data.spirals(noise=0.5, seed=1)
    spirals = data.Dataset("spirals", train.X, train.y, train.classes, X_test=test.X, y_test=test.y)
    return {
        "digits": Task("digits", data.digits(), "cross_entropy", steps=50, lr=0.025, threshold=0.95),
        "diabetes": Task("diabetes", data.diabetes(), "mse", steps=50, lr=0.01, threshold=0.70),
        "spirals": Task("spirals", spirals, "cross_entropy", steps=150, lr=0.02, threshold=0.90),
    }


class ParallelMLP(nn.Module):
    """One MLP per activation, all with the same initial weights, computed as one batch.

    Layer ``k`` stores its weights as ``(activations, fan_in, fan_out)``; ``forward`` maps a
    batch ``(samples, features)`` to ``(activations, samples, outputs)``. Copy ``a`` computes
    exactly what ``nets.mlp(..., activation=activations[a], seed=seed)`` computes.
    """

    def __init__(self, in_features: int, hidden: Sequence[int], out_features: int,
                 activations: Sequence[str], seed: int):
        super().__init__()
        self.activations = tuple(activations)
        self.functions = [functions.get(name).torch_function for name in self.activations]
        template = nets.mlp(in_features, hidden, out_features, activation=None, seed=seed)
        linears = [m for m in template if isinstance(m, nn.Linear)]
        copies = len(self.activations)
        self.layers = len(linears)
        for k, linear in enumerate(linears):
            weight = linear.weight.detach().T.expand(copies, -1, -1).clone()  # x @ W, as in chapter 1
            bias = linear.bias.detach().expand(copies, 1, -1).clone()
            self.register_parameter(f"weight{k}", nn.Parameter(weight))
            self.register_parameter(f"bias{k}", nn.Parameter(bias))

    def hidden_outputs(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The output of every hidden layer after its activation, each ``(activations, samples, width)``."""
        outputs, h = [], x
        for k in range(self.layers - 1):
            h = h @ getattr(self, f"weight{k}") + getattr(self, f"bias{k}")
            # Each copy gets its own activation; unbind/stack keep the backward pass cheap.
            h = torch.stack([f(h_a) for f, h_a in zip(self.functions, h.unbind(0))])
            outputs.append(h)
        return outputs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.hidden_outputs(x)[-1] if self.layers > 1 else x
        last = self.layers - 1
        return h @ getattr(self, f"weight{last}") + getattr(self, f"bias{last}")


class _ActivationMajor(nn.Module):
    """Seeds x activations as one run dimension (activation-major), the shape training.train expects."""

    def __init__(self, ensemble: nets.Ensemble):
        super().__init__()
        self.ensemble = ensemble

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.ensemble(x)  # (seeds, activations, samples, outputs)
        return out.transpose(0, 1).reshape(-1, *out.shape[2:])


@dataclass(frozen=True)
class Result:
    """Everything one task of the benchmark recorded, indexed (activation, seed, record)."""

    task: Task
    activations: tuple[str, ...]
    seeds: tuple[int, ...]
    steps: np.ndarray  # (records,)
    train_metric: np.ndarray  # (activations, seeds, records), on the training set
    test_metric: np.ndarray  # (activations, seeds, records), on the held-out test set
    ensemble: nets.Ensemble  # the trained networks (member(s) is the ParallelMLP of seed s)

    def index(self, activation: str) -> int:
        return self.activations.index(activation)

    @property
    def final(self) -> np.ndarray:
        """The test metric after the last step, (activations, seeds)."""
        return self.test_metric[:, :, -1]

    @property
    def best_along_the_way(self) -> np.ndarray:
        """The best test metric any record reached, (activations, seeds): an optimistic oracle."""
        return self.test_metric.max(axis=2) if self.task.higher_is_better else self.test_metric.min(axis=2)

    def steps_to_threshold(self) -> np.ndarray:
        """The first recorded step whose training metric reaches the task's threshold; inf if none."""
        return np.array([[steps_to_threshold(self.steps, curve, self.task.threshold, self.task.higher_is_better)
                          for curve in runs] for runs in self.train_metric])


def run(task: Task, activations: Sequence[str] = ACTIVATIONS, seeds: Iterable[int] = SEEDS,
        hidden: Sequence[int] = HIDDEN, steps: int | None = None) -> Result:
    """Train every activation on ``task`` from every seed, as one batched computation."""
    activations, seeds = tuple(activations), tuple(seeds)
    ds = task.dataset
    ensemble = nets.Ensemble(
        lambda seed: ParallelMLP(ds.X.shape[1], hidden, task.out_features, activations, seed), seeds)
    history = training.train(
        _ActivationMajor(ensemble), ds.X, ds.y, loss=task.loss, steps=steps or task.steps, lr=task.lr,
        record_every=task.record_every, X_test=ds.X_test, y_test=ds.y_test)
    shape = (len(activations), len(seeds), -1)
    return Result(task, activations, seeds, history.steps, history.metric.reshape(shape),
                  history.test_metric.reshape(shape), ensemble)


def steps_to_threshold(steps: Sequence[int], curve: Sequence[float], threshold: float,
                       higher_is_better: bool = True) -> float:
    """The first of ``steps`` at which ``curve`` reaches ``threshold`` (>= or <=); inf if it never does.

    >>> steps_to_threshold([0, 10, 20], [0.5, 0.92, 0.97], 0.9), steps_to_threshold([0, 10], [2.0, 1.5], 1.0, False)
    (10.0, inf)
    """
    curve = np.asarray(curve, dtype=float)
    reached = curve >= threshold if higher_is_better else curve <= threshold
    hits = np.flatnonzero(reached)
    return float(np.asarray(steps)[hits[0]]) if hits.size else math.inf


def separated(a: Sequence[float], b: Sequence[float]) -> bool:
    """True if the ranges [min, max] of the two samples do not overlap (touching counts as overlap)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return bool(a.max() < b.min() or b.max() < a.min())


def chance_of_separation(n_a: int, n_b: int | None = None) -> float:
    """P(the ranges of two samples do not overlap) when all n_a + n_b values come from one
    continuous distribution: 2 / C(n_a + n_b, n_a) (the proposition of the chapter).

    >>> round(chance_of_separation(5), 5)
    0.00794
    """
    n_b = n_a if n_b is None else n_b
    return 2 / math.comb(n_a + n_b, n_a)


@dataclass(frozen=True)
class Row:
    """One line of a ranking table."""

    activation: str
    mean: float
    low: float
    high: float
    rank: int
    behind_best: bool  # its range lies entirely on the wrong side of the best activation's range
    steps_mean: float  # mean steps to threshold over the seeds that reached it (inf if none did)
    reached: int  # how many seeds reached the threshold


def behind_best(values: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """For (activations, seeds) results: which activations' ranges lie wholly behind the range of
    the activation with the best mean (never the best itself)."""
    values = np.asarray(values, dtype=float)
    means = values.mean(axis=1)
    best = int(np.argmax(means) if higher_is_better else np.argmin(means))
    return np.array([a != best and separated(values[a], values[best]) for a in range(len(values))])


def ranking(result: Result) -> list[Row]:
    """The activations from best to worst mean final test metric, with their spread over seeds."""
    final, sign = result.final, (1 if result.task.higher_is_better else -1)
    order = np.argsort(-sign * final.mean(axis=1), kind="stable")
    behind = behind_best(final, result.task.higher_is_better)
    steps = result.steps_to_threshold()
    rows = []
    for rank, a in enumerate(order, start=1):
        done = steps[a][np.isfinite(steps[a])]
        rows.append(Row(result.activations[a], float(final[a].mean()), float(final[a].min()),
                        float(final[a].max()), rank, bool(behind[a]),
                        float(done.mean()) if done.size else math.inf, int(done.size)))
    return rows


def label(activation: str) -> str:
    """The short name of an activation for tables and plots ("Leaky ReLU", not "Leaky ReLU (α=0.01)")."""
    return functions.get(activation).label.split(" (")[0]


def format_ranking(result: Result) -> str:
    """The ranking as a plain-text table, rounded so it reads the same on every run."""
    task, percent = result.task, result.task.higher_is_better
    value = (lambda v: f"{v:.1%}") if percent else (lambda v: f"{v:.3f}")
    lines = [f"{task.name}: test {task.metric_name} after {task.steps} steps; steps until the training "
             f"{task.metric_name} reaches {value(task.threshold)}",
             f"{'rank':>4}  {'activation':<11}{'mean':>8}  {'min–max':<15}{'steps':>6}  vs the best"]
    for row in ranking(result):
        steps = f"{row.steps_mean:.0f}" if row.reached == len(result.seeds) else f"{row.reached} of {len(result.seeds)}"
        verdict = "behind" if row.behind_best else ("best" if row.rank == 1 else "within spread")
        lines.append(f"{row.rank:>4}  {label(row.activation):<11}{value(row.mean):>8}  "
                     f"{value(row.low) + '–' + value(row.high):<15}{steps:>6}  {verdict}")
    return "\n".join(lines)


def dead_fraction(result: Result, activation: str = "relu") -> np.ndarray:
    """Per seed, the share of hidden units of ``activation``'s network that output 0 for every
    training input after training: dead units, which no training input can revive."""
    a, X = result.index(activation), result.task.dataset.X
    shares = []
    for run in range(len(result.seeds)):
        outputs = result.ensemble.member(run).hidden_outputs(X)
        shares.append(diagnostics.dead_fraction(torch.cat([h[a] for h in outputs], dim=1).detach()))
    return np.array(shares)
