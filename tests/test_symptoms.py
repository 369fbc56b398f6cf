"""Each reproduction shows its symptom, each fix removes it, and the instruments agree with autograd."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from activation_lab import diagnostics, nets, symptoms, training

SEEDS = range(3)  # enough to check the mechanisms; the chapter uses five


@pytest.fixture(scope="module")
def broken():
    return {key: symptoms.run(key, seeds=SEEDS) for key in symptoms.CASES}


@pytest.fixture(scope="module")
def fixed():
    return {key: symptoms.run(key, fixed=True, seeds=SEEDS) for key in symptoms.CASES if key != "overconfident"}


def test_every_case_names_a_fix_the_learner_can_choose():
    assert sorted(case.fix for case in symptoms.CASES.values()) == sorted(symptoms.FIXES)


def test_each_reproduction_shows_its_own_symptom(broken):
    v = {key: result.vitals for key, result in broken.items()}
    assert v["stuck"].loss[:, -1] == pytest.approx(math.log(2), abs=0.01)  # two balanced classes, chance level
    assert (v["stuck"].grad_norms[:, 0] < 1e-3 * v["stuck"].grad_norms[:, -1]).all()
    assert not np.isfinite(v["nan"].loss[:, -1]).any() and np.isfinite(v["nan"].loss[:, 0]).all()
    assert v["dead"].dead[:, -1].mean() > 0.5
    assert (v["saturated"].saturated[:, 0] > 0.9).all()
    assert (v["exploding"].grad_norms.max(axis=1) > 10).all() and (v["exploding"].loss[:, 0] > 10).all()
    assert v["overconfident"].confidence.mean() - v["overconfident"].test_accuracy.mean() > 0.05


def test_each_fix_removes_the_symptom(broken, fixed):
    assert (fixed["stuck"].vitals.loss[:, -1] < 0.5).all()
    assert np.isfinite(fixed["nan"].vitals.loss).all()
    assert fixed["dead"].vitals.dead.max() == 0.0  # a Leaky ReLU output is never exactly zero
    assert (fixed["saturated"].vitals.saturated[:, 0] < 0.2).all()
    assert np.isfinite(fixed["exploding"].vitals.loss).all()


def test_the_rule_based_diagnosis_names_every_case_and_every_fixed_run_healthy(broken, fixed):
    for key, result in broken.items():
        assert symptoms.diagnose(result.vitals) == key
    for key, result in fixed.items():
        assert symptoms.diagnose(result.vitals) == "healthy", key
    assert symptoms.diagnose(symptoms.run("mystery", seeds=SEEDS).vitals) == "dead"


def test_unknown_cases_are_named_in_the_error():
    with pytest.raises(KeyError, match="unknown case"):
        symptoms.run("tired")


def test_the_naive_loss_equals_bce_with_logits_while_logits_are_moderate():
    z = torch.linspace(-8, 8, 33).reshape(1, -1, 1)
    y = (torch.arange(33) % 2).float()
    expected = F.binary_cross_entropy_with_logits(z[0, :, 0], y)
    assert symptoms.naive_bce(z, y).item() == pytest.approx(expected.item(), rel=1e-5)
    assert math.isnan(symptoms.naive_bce(torch.tensor([[[40.0]]]), torch.tensor([1.0])).item())


def _ensemble_and_loss():
    runs = nets.Ensemble(lambda s: nets.mlp(2, [8] * 11, 2, "tanh", seed=s), range(2))  # 12 layers: "10" < "2"
    X, y = torch.randn(30, 2, generator=torch.Generator().manual_seed(0)), torch.arange(30) % 2
    return runs, X, y


def test_layer_gradient_norms_are_in_forward_order_and_match_each_member_alone():
    runs, X, y = _ensemble_and_loss()
    training.per_run_loss(runs(X), y, "cross_entropy").sum().backward()
    ours = symptoms.layer_gradient_norms(runs)
    for r in range(runs.runs):
        member = runs.member(r)
        F.cross_entropy(member(X), y).backward()
        assert ours[r] == pytest.approx(diagnostics.gradient_norms(member), rel=1e-5)


def test_clipping_each_run_equals_pytorchs_clipping_of_each_member():
    runs, X, y = _ensemble_and_loss()
    (100 * training.per_run_loss(runs(X), y, "cross_entropy")).sum().backward()
    members = [runs.member(r) for r in range(runs.runs)]
    symptoms.clip_each_run(runs, max_norm=0.5)
    for r, member in enumerate(members):
        (100 * F.cross_entropy(member(X), y)).backward()
        nn.utils.clip_grad_norm_(member.parameters(), max_norm=0.5)  # adds 1e-6 to the norm, as we do
        ours = {name.replace("/", "."): p.grad[r] for name, p in runs.stacked.items()}
        for name, p in member.named_parameters():
            assert torch.allclose(ours[name], p.grad, rtol=1e-4, atol=1e-7), name


def test_saturated_share_reads_the_slope_off_the_output():
    outputs = torch.tensor([[0.0, 0.99], [0.5, -0.999]])
    assert symptoms.saturated_share(nn.Tanh(), outputs) == 0.5
    assert symptoms.saturated_share(nn.Sigmoid(), torch.tensor([[0.5, 0.999, 0.001, 0.2]])) == 0.5
    assert symptoms.saturated_share(nn.ReLU(), outputs) == 0.0
