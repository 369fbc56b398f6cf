"""A leaky integrate-and-fire neuron: the membrane model behind the threshold unit.

The membrane potential V (in millivolts) leaks towards rest and is pushed up by an input
current I (in nanoamperes) through the membrane resistance R (in megaohms):

    tau dV/dt = -(V - V_rest) + R I.

When V reaches the threshold the neuron fires a spike, V is reset, and the neuron stays
silent for a refractory period. This is Lapicque's model (1907); the parameters are typical
values for a cortical neuron (Dayan & Abbott, 2001, chapter 5).

For a constant current the firing rate has a closed form: zero below the threshold current,
then rising steeply and levelling off at 1 / refractory period. That curve, not the single
spike, is what an artificial unit's output stands for.

>>> cell = LIF()
>>> round(cell.threshold_current, 2)             # nA: below this the neuron never fires
1.6
>>> cell.rate(1.5), round(cell.rate(2.0), 1)     # spikes per second
(0.0, 45.1)
>>> len(cell.simulate(2.0, duration=0.5).spike_times)   # about 0.5 s x 45 spikes/s
22
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Trace:
    """A simulated membrane potential and the times of its spikes."""

    time: np.ndarray  # seconds
    voltage: np.ndarray  # millivolts
    spike_times: np.ndarray  # seconds


@dataclass(frozen=True)
class LIF:
    """A leaky integrate-and-fire neuron (units: millivolts, seconds, nanoamperes, megaohms)."""

    v_rest: float = -70.0
    v_threshold: float = -54.0
    v_reset: float = -80.0
    resistance: float = 10.0  # megaohms: 1 nA moves the steady state by 10 mV
    tau: float = 0.010  # membrane time constant, seconds
    refractory: float = 0.002  # seconds

    @property
    def threshold_current(self) -> float:
        """The smallest constant current (nA) whose steady-state voltage reaches threshold."""
        return (self.v_threshold - self.v_rest) / self.resistance

    def rate(self, current: float) -> float:
        """Firing rate (spikes per second) for a constant current, from the closed form.

        From the reset, V approaches V_inf = V_rest + R I exponentially and reaches the
        threshold after tau log((V_inf - V_reset) / (V_inf - V_threshold)), when V_inf exceeds
        the threshold at all.
        """
        v_inf = self.v_rest + self.resistance * current
        if v_inf <= self.v_threshold:
            return 0.0
        to_threshold = self.tau * math.log((v_inf - self.v_reset) / (v_inf - self.v_threshold))
        return 1.0 / (self.refractory + to_threshold)

    def rates(self, currents) -> np.ndarray:
        """``rate`` for each current in an array."""
        return np.array([self.rate(float(c)) for c in np.ravel(currents)]).reshape(np.shape(currents))

    def simulate(self, current: float, duration: float, dt: float = 1e-4, onset: float = 0.0) -> Trace:
        """Integrate the membrane equation exactly over steps of ``dt`` seconds.

        The current is 0 before ``onset`` and ``current`` after it. Between steps the input is
        constant, so each step uses the exact solution (stable for any dt). A spike is
        recorded when V crosses the threshold; V is then held at the reset for the refractory
        period.
        """
        steps = int(round(duration / dt))
        time = np.arange(steps + 1) * dt
        voltage = np.empty(steps + 1)
        v, silent_until, spikes = self.v_rest, -1.0, []
        decay = math.exp(-dt / self.tau)
        for k, t in enumerate(time):
            voltage[k] = v
            if t < silent_until:
                continue
            v_inf = self.v_rest + self.resistance * (current if t >= onset else 0.0)
            v = v_inf + (v - v_inf) * decay
            if v >= self.v_threshold:
                spikes.append(t + dt)
                v, silent_until = self.v_reset, t + dt + self.refractory
        return Trace(time, voltage, np.array(spikes))
