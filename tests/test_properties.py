"""The property measurements must be able to say no: each is tried on functions built to fail it."""

import math

import numpy as np

from activation_lab import properties


class Probe:
    """A minimal activation: a function and its derivative."""

    def __init__(self, f, df):
        self.f, self.derivative = f, df

    def __call__(self, x):
        return self.f(np.asarray(x, dtype=float))


def test_a_kink_is_not_smooth_and_a_jump_is_not_smooth():
    abs_probe = Probe(np.abs, np.sign)
    jump = Probe(lambda x: np.where(x > 0.5, 1.0, 0.0), np.zeros_like)
    smooth = Probe(np.sin, np.cos)
    assert not properties.measure(abs_probe).smooth
    assert not properties.measure(jump).smooth
    assert properties.measure(smooth).smooth


def test_monotonic_catches_a_small_dip():
    # f' = 1 + 2 cos(10x) is negative on short stretches; f falls by about 0.03 on each.
    wobble = Probe(lambda x: x + 0.2 * np.sin(10 * x), lambda x: 1 + 2 * np.cos(10 * x))
    assert not properties.measure(wobble).monotonic
    assert properties.measure(Probe(np.arctan, lambda x: 1 / (1 + x**2))).monotonic


def test_range_infinite_only_when_still_growing_far_out():
    log_growth = Probe(lambda x: np.sign(x) * np.log1p(np.abs(x)), lambda x: 1 / (1 + np.abs(x)))
    lo, hi = properties.measure(log_growth).output_range
    assert lo == -math.inf and hi == math.inf  # log(1e4) - log(1e3) > 1: still growing
    lo, hi = properties.measure(Probe(np.arctan, lambda x: 1 / (1 + x**2))).output_range
    assert lo == np.arctan(-1e4) and hi == np.arctan(1e4)


def test_zero_centred_uses_the_standard_normal_mean():
    assert properties.measure(Probe(lambda x: x**3, lambda x: 3 * x**2)).zero_centred
    shifted = Probe(lambda x: np.tanh(x) + 0.01, lambda x: 1 - np.tanh(x) ** 2)
    assert not properties.measure(shifted).zero_centred
    assert abs(properties.standard_normal_mean(lambda x: x**2) - 1.0) < 1e-9


def test_saturation_is_one_sided_when_it_should_be():
    softplus_like = Probe(lambda x: np.logaddexp(0, x), lambda x: 0.5 * (1 + np.tanh(x / 2)))
    measured = properties.measure(softplus_like)
    assert measured.saturates_left and not measured.saturates_right


def test_agree_compares_ranges_with_tolerance_and_flags_exactly():
    base = properties.Properties((0.0, 1.0), False, True, True, True, True)
    close = properties.Properties((0.00001, 1.0), False, True, True, True, True)
    other = properties.Properties((0.0, 1.0), True, True, True, True, True)
    assert properties.agree(close, base) and not properties.agree(other, base)
    assert base.bounded and base.saturating
    assert base.row()["saturates"] == "left and right"


def test_reached_bounds_are_closed_and_limits_are_open():
    # exp(-x^2) reaches its maximum 1 at x = 0 and only approaches 0 in the tails; a clipped
    # line reaches both ends.
    bump = properties.measure(Probe(lambda x: np.exp(-x * x), lambda x: -2 * x * np.exp(-x * x)))
    assert (bump.attains_low, bump.attains_high) == (False, True)
    assert bump.row()["range"] == "(0, 1]"
    clipped = properties.measure(Probe(lambda x: np.clip(x, -2.0, 3.0), lambda x: ((x > -2) & (x < 3)) * 1.0))
    assert clipped.row()["range"] == "[−2, 3]"
    arctan = properties.measure(Probe(np.arctan, lambda x: 1 / (1 + x**2)))
    assert arctan.row()["range"].startswith("(") and arctan.row()["range"].endswith(")")
