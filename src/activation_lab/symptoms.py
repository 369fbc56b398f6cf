"""Six ways a training run goes wrong, each reproduced in well under a second on two moons.

Every case is a small network trained with one deliberate mistake (``run(key)``) and then with
the fix (``run(key, fixed=True)``), five seeds at once as an :class:`~activation_lab.nets.Ensemble`.
A run records its *vital signs* (:class:`Vitals`): the loss curves, the gradient norm of every
layer at the first step, and the share of dead and saturated units at the end. The
troubleshooting chapter draws them, and its exercises check a diagnosis against :data:`CASES`.

>>> sorted(CASES)
['dead', 'exploding', 'nan', 'overconfident', 'saturated', 'stuck']
>>> result = run("nan", seeds=range(2))
>>> result.vitals.loss.shape[0], bool(np.isnan(result.vitals.loss[:, -1]).any())
(2, True)
>>> bool(np.isfinite(run("nan", fixed=True, seeds=range(2)).vitals.loss).all())
True
>>> diagnose(result.vitals)
'nan'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import torch

from activation_lab import data, diagnostics, nets, training

# The fixes a learner can name, one per symptom (the options of the chapter's widget exercise).
FIXES = ("relu", "logits", "leaky relu", "standardise", "he init", "temperature")


@dataclass(frozen=True)
class Case:
    """One symptom: how it shows, what causes it in the reproduction, and what fixes it."""

    key: str
    symptom: str
    cause: str
    fix: str  # one of FIXES
    remedy: str  # the fix in words


CASES = {
    case.key: case
    for case in [
        Case("stuck", "loss stuck at its starting value",
             "vanishing gradients: six sigmoid layers, each multiplying the gradient by at most 1/4",
             "relu", "ReLU hidden layers with He (Kaiming) initialisation"),
        Case("nan", "loss becomes NaN",
             "-[y log p + (1 - y) log(1 - p)] computed from p = sigmoid(z): once |z| > 17, p rounds to "
             "0 or 1 and 0 * log 0 = NaN",
             "logits", "compute the loss from the logits (BCEWithLogitsLoss)"),
        Case("dead", "many dead units",
             "a learning rate so large that a step pushes ReLU units negative on every input",
             "leaky relu", "Leaky ReLU, which keeps a gradient on the negative side (or a smaller step)"),
        Case("saturated", "saturated layers",
             "inputs in raw units (up to thousands) drive tanh units to -1 or +1, where their slope is 0",
             "standardise", "standardise the inputs (and keep initialisation scaled to the layer width)"),
        Case("exploding", "exploding gradients",
             "eight ReLU layers initialised with twice He's gain: the signal doubles layer by layer",
             "he init", "He (Kaiming) initialisation with gain 1; clipping the gradient norm only limits the damage"),
        Case("overconfident", "overconfident outputs",
             "a network that fits a small, noisy training set exactly, and keeps growing its logits",
             "temperature", "temperature scaling on held-out data (or early stopping)"),
    ]
}


@dataclass(frozen=True)
class Vitals:
    """What one case recorded, one row per seed."""

    steps: np.ndarray  # (records,)
    loss: np.ndarray  # (runs, records) training loss; NaN or inf once the run broke
    test_loss: np.ndarray  # (runs, records) loss on fresh points
    grad_norms: np.ndarray  # (runs, layers) weight-gradient norm at the first step, input side first
    dead: np.ndarray  # (runs, hidden layers) share of units that output 0 for every input, at the end
    saturated: np.ndarray  # (runs, hidden layers) share of outputs with |a| > 0.97 (tanh, sigmoid-like)
    test_accuracy: np.ndarray  # (runs,) at the end
    confidence: np.ndarray  # (runs,) mean probability of the predicted class on the test points


@dataclass
class Run:
    """A finished case: its vital signs, the trained ensemble and the data it saw."""

    vitals: Vitals
    model: nets.Ensemble
    train: data.Dataset
    test: data.Dataset


def naive_bce(outputs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy the naive way, -[y log p + (1 - y) log(1 - p)], per run.

    With p = sigmoid(z) rounded to 1 (z > 17 in float32) the second term is 0 * log 0 = NaN.
    """
    p = torch.sigmoid(training.as_runs(outputs)[..., 0])
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean(dim=-1)


def _bce(outputs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return training.per_run_loss(outputs, y, "bce")


def _cross_entropy(outputs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return training.per_run_loss(outputs, y, "cross_entropy")


@dataclass(frozen=True)
class _Recipe:
    make: Callable[[int], torch.nn.Module]
    loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    optimizer: str
    lr: float
    steps: int
    datasets: Callable[[], tuple[data.Dataset, data.Dataset]]
    clip: float | None = None


def _moons() -> tuple[data.Dataset, data.Dataset]:
    return data.two_moons(n=200, seed=0), data.two_moons(n=200, seed=1)


def _noisy_moons() -> tuple[data.Dataset, data.Dataset]:
    """Few, noisy points: a network can memorise them, and then grows its logits."""
    return data.two_moons(n=100, noise=0.3, seed=0), data.two_moons(n=500, noise=0.3, seed=1)


def _breast_cancer(standardised: bool) -> tuple[data.Dataset, data.Dataset]:
    """The breast-cancer split of ``data.breast_cancer``, standardised or in raw units."""
    ds = data.breast_cancer()
    if not standardised:
        from sklearn.datasets import load_breast_cancer
        from sklearn.model_selection import train_test_split

        bunch = load_breast_cancer()  # the same split as data.breast_cancer, before standardising
        X_train, X_test, _, _ = train_test_split(bunch.data, bunch.target, test_size=0.25, random_state=0,
                                                 stratify=bunch.target)
        as_tensor = lambda a: torch.as_tensor(a, dtype=torch.float32)
        return (data.Dataset("breast cancer, raw units", as_tensor(X_train), ds.y, 2),
                data.Dataset("breast cancer, raw units", as_tensor(X_test), ds.y_test, 2))
    return ds, data.Dataset(ds.name, ds.X_test, ds.y_test, 2)


def _recipe(key: str, fixed: bool) -> _Recipe:
    if key == "stuck":
        act, init = ("relu", "kaiming") if fixed else ("sigmoid", "default")
        return _Recipe(lambda s: nets.mlp(2, [16] * 6, 2, act, init=init, seed=s), _cross_entropy, "sgd", 0.5, 60,
                       _moons)
    if key == "nan":
        return _Recipe(lambda s: nets.mlp(2, [32], 1, "relu", seed=s), _bce if fixed else naive_bce, "adam", 0.1, 80,
                       _moons)
    if key == "dead":
        act = "leaky_relu" if fixed else "relu"
        return _Recipe(lambda s: nets.mlp(2, [16, 16], 2, act, seed=s), _cross_entropy, "sgd", 4.0, 60, _moons)
    if key == "saturated":
        return _Recipe(lambda s: nets.mlp(30, [16, 16], 2, "tanh", seed=s), _cross_entropy, "sgd", 0.1, 60,
                       lambda: _breast_cancer(standardised=fixed))
    if key == "exploding":
        gain = 1.0 if fixed else 2.0
        return _Recipe(lambda s: nets.initialise(nets.mlp(2, [16] * 8, 2, "relu", seed=s), "kaiming", gain),
                       _cross_entropy, "sgd", 0.05, 60, _moons)
    if key == "overconfident":
        return _Recipe(lambda s: nets.mlp(2, [32, 32], 2, "relu", seed=s), _cross_entropy, "adam", 0.05, 120,
                       _noisy_moons)
    if key == "mystery":
        return _Recipe(lambda s: nets.mlp(2, [32, 32, 32], 2, "relu", seed=s), _cross_entropy, "sgd", 4.0, 60,
                       _moons)
    raise KeyError(f"unknown case {key!r}; choose one of {sorted(CASES)} or 'mystery'")


def run(key: str, fixed: bool = False, seeds: Iterable[int] = range(5), record_every: int = 5,
        clip: float | None = None) -> Run:
    """Train case ``key`` (with its mistake, or ``fixed``) for every seed; record its vitals.

    ``clip``, if given, caps each run's gradient norm at every step (``clip_each_run``).
    The overconfident case has no training-time fix here: temperature scaling is applied
    afterwards to the trained model (``calibration.fit_temperature``).
    """
    recipe = _recipe(key, fixed)
    train_set, test_set = recipe.datasets()
    classes = recipe.loss is _cross_entropy
    target, test_target = (train_set.y, test_set.y) if classes else (train_set.y.float(), test_set.y.float())
    model = nets.Ensemble(recipe.make, seeds)
    optimizer = training.make_optimizer(model.parameters(), recipe.optimizer, recipe.lr)
    records, losses, test_losses, first_grads = [], [], [], None
    for step in range(recipe.steps + 1):
        run_losses = recipe.loss(model(train_set.X), target)
        if step % record_every == 0 or step == recipe.steps:
            records.append(step)
            losses.append(run_losses.detach().numpy().copy())
            with torch.no_grad():
                test_losses.append(recipe.loss(model(test_set.X), test_target).numpy())
        if step == recipe.steps:
            break
        optimizer.zero_grad()
        run_losses.sum().backward()
        if first_grads is None:
            first_grads = layer_gradient_norms(model)
        if clip is not None:
            clip_each_run(model, clip)
        optimizer.step()
    dead, saturated = _unit_states(model, train_set.X)
    accuracy, confidence = _test_accuracy_and_confidence(model, test_set)
    vitals = Vitals(np.array(records), np.stack(losses, axis=1), np.stack(test_losses, axis=1), first_grads,
                    dead, saturated, accuracy, confidence)
    return Run(vitals, model, train_set, test_set)


def diagnose(vitals: Vitals) -> str:
    """Name the symptom that the vital signs show most clearly: a key of CASES, or "healthy".

    The checks run in the order a person debugging would run them, and the first that fires
    wins (averages over seeds):

    1. gradient norms above 10 at the first step: ``exploding``;
    2. a training loss that is NaN or inf: ``nan``;
    3. more than half the units of some layer dead, and a training loss still above 0.1:
       ``dead`` (a network that fits its data despite dead units has nothing to fix);
    4. more than half the outputs of some layer saturated: ``saturated``;
    5. a final training loss above 90% of the first: ``stuck``;
    6. mean confidence more than 5 points above test accuracy: ``overconfident``.
    """
    if np.nanmax(vitals.grad_norms.mean(axis=0)) > 10:
        return "exploding"
    if not np.isfinite(vitals.loss).all():
        return "nan"
    if vitals.dead.mean(axis=0).max() > 0.5 and vitals.loss[:, -1].mean() > 0.1:
        return "dead"
    if vitals.saturated.mean(axis=0).max() > 0.5:
        return "saturated"
    if vitals.loss[:, -1].mean() > 0.9 * vitals.loss[:, 0].mean():
        return "stuck"
    if vitals.confidence.mean() - vitals.test_accuracy.mean() > 0.05:
        return "overconfident"
    return "healthy"


def layer_gradient_norms(model: nets.Ensemble) -> np.ndarray:
    """(runs, layers): the norm of each linear layer's weight gradient, input side first."""
    weights = [p for name, p in model.named_stacked() if name.endswith("weight")]
    return np.stack([p.grad.flatten(1).norm(dim=1).numpy() for p in weights], axis=1)


def clip_each_run(model: nets.Ensemble, max_norm: float) -> None:
    """Scale each run's gradient so its global norm is at most ``max_norm``.

    ``torch.nn.utils.clip_grad_norm_`` on the stacked parameters would measure all runs
    together and couple them; this is the same rule applied to every run separately.
    """
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    norms = torch.stack([g.flatten(1).pow(2).sum(dim=1) for g in grads]).sum(dim=0).sqrt()
    scale = (max_norm / (norms + 1e-6)).clamp(max=1.0)
    for g in grads:
        g.mul_(scale.view(-1, *([1] * (g.ndim - 1))))


def saturated_share(layer: torch.nn.Module, outputs: torch.Tensor, threshold: float = 0.06) -> float:
    """Share of a tanh or sigmoid layer's outputs where its slope is below ``threshold`` of its peak.

    The slope is read off the output: 1 - a^2 for tanh, a (1 - a) / (1/4) for sigmoid; 0.06
    corresponds to |tanh| > 0.97. Other activations do not saturate this way: 0.
    """
    if isinstance(layer, torch.nn.Tanh):
        slope = 1 - outputs**2
    elif isinstance(layer, torch.nn.Sigmoid):
        slope = 4 * outputs * (1 - outputs)
    else:
        return 0.0
    return float((slope < threshold).float().mean())


def _unit_states(model: nets.Ensemble, X: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    dead, saturated = [], []
    for r in range(model.runs):
        member = model.member(r)
        outputs = diagnostics.layer_outputs(member, X)
        dead.append([diagnostics.dead_fraction(o) for o in outputs])
        layers = diagnostics.activation_layers(member)
        saturated.append([saturated_share(layer, o) for layer, o in zip(layers, outputs)])
    return np.array(dead), np.array(saturated)


def _test_accuracy_and_confidence(model: nets.Ensemble, test_set: data.Dataset) -> tuple[np.ndarray, np.ndarray]:
    outputs = training.predict(model, test_set.X)
    if outputs.shape[-1] == 1:  # one logit: p(class 1) = sigmoid(z)
        p1 = torch.sigmoid(outputs[..., 0])
        probabilities = torch.stack([1 - p1, p1], dim=-1)
    else:
        probabilities = torch.softmax(outputs, dim=-1)
    confidence, predicted = probabilities.max(dim=-1)
    accuracy = (predicted == test_set.y).float().mean(dim=1)
    return accuracy.numpy(), confidence.mean(dim=1).numpy()
