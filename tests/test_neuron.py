"""The integrate-and-fire neuron: simulation against its closed-form firing rate."""

import numpy as np
import pytest

from activation_lab import neuron


def test_silent_at_and_below_the_threshold_current():
    cell = neuron.LIF()
    for current in [0.0, 0.5, cell.threshold_current]:
        assert cell.rate(current) == 0.0
        assert len(cell.simulate(current, duration=0.3).spike_times) == 0


@pytest.mark.parametrize("current", [1.8, 2.5, 4.0, 8.0])
def test_simulated_rate_matches_the_closed_form(current):
    cell = neuron.LIF()
    dt = 2e-5
    intervals = np.diff(cell.simulate(current, duration=1.0, dt=dt).spike_times)
    # Each interval is refractory period + time to threshold, rounded to the time step.
    assert np.all(np.abs(intervals - 1 / cell.rate(current)) <= 3 * dt)


def test_the_rate_rises_with_the_current_and_stays_below_the_refractory_ceiling():
    cell = neuron.LIF()
    rates = cell.rates(np.linspace(1.7, 200, 50))
    assert np.all(np.diff(rates) > 0) and rates[-1] < 1 / cell.refractory
    assert rates[-1] > 0.9 / cell.refractory


def test_the_voltage_settles_at_the_steady_state_below_threshold():
    cell = neuron.LIF()
    trace = cell.simulate(1.0, duration=0.2, onset=0.05)
    assert trace.voltage[0] == cell.v_rest
    assert trace.voltage[-1] == pytest.approx(cell.v_rest + cell.resistance * 1.0, abs=1e-3)
    assert trace.voltage.max() < cell.v_threshold
