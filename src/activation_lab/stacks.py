"""Many deep MLPs of different depths and seeds, run as one batched computation.

Studying gradient flow means training the same kind of network at many depths and from many
seeds. :class:`DeepStacks` holds all of them in a few tensors with a leading *run* dimension:
run ``r`` is an MLP with ``depths[r]`` hidden layers of ``width`` units, initialised from
``seeds[r]``. Every run is padded to the largest depth; in a shorter run the extra layers are
skipped (the hidden state passes through them unchanged, and so does its gradient, while their
weights get no gradient at all). One forward pass then costs one batched matrix product per
layer, whatever the number of runs.

Each run computes exactly what :func:`activation_lab.nets.mlp` builds (``to_sequential``
returns that module with the run's weights; the tests check the two agree, gradients
included). Two options reproduce the remedies of the chapter on initialisation and
normalisation:

* ``norm="batch"``: batch normalisation before every activation, always with the statistics
  of the current batch (no running averages). The book trains full-batch, so this is what
  ``nn.BatchNorm1d`` computes in training mode, and it keeps the computation free of in-place
  updates, which batching over runs does not allow;
* ``residual=True``: every hidden layer after the first adds its input to its output,
  h <- h + phi(h W + b), as in a residual network.

>>> runs = DeepStacks(2, 8, 3, "tanh", depths=[1, 4, 4], seeds=[0, 0, 1])
>>> runs(torch.zeros(5, 2)).shape          # (runs, samples, outputs)
torch.Size([3, 5, 3])
>>> runs.to_sequential(1)[:4]
Sequential(
  (0): Linear(in_features=2, out_features=8, bias=True)
  (1): Tanh()
  (2): Linear(in_features=8, out_features=8, bias=True)
  (3): Tanh()
)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from activation_lab import nets

NORMS = (None, "batch")
BATCH_NORM_EPS = 1e-5  # nn.BatchNorm1d's default


def _draw(generator: torch.Generator, shape: tuple[int, ...], fan_in: int, fan_out: int, scheme: str,
          gain: float, bias: bool) -> torch.Tensor:
    """Weights (or biases) of one layer, drawn as ``nets.initialise`` would for ``scheme``."""
    if scheme == "default":  # nn.Linear's own: uniform on +-1/sqrt(fan_in), weights and biases
        bound = 1 / math.sqrt(fan_in)
        values = (torch.rand(shape, generator=generator) * 2 - 1) * bound
        return values if bias else values * gain
    if bias:
        return torch.zeros(shape)
    variance = {"xavier": 2.0 / (fan_in + fan_out), "kaiming": 2.0 / fan_in, "lecun": 1.0 / fan_in}[scheme]
    return torch.randn(shape, generator=generator) * math.sqrt(variance) * gain


class DeepStacks(nn.Module):
    """MLPs Linear -> [norm] -> activation -> ... -> Linear, one per (depth, seed) pair.

    ``depths[r]`` counts the hidden layers of run ``r`` (at least 1); ``init`` is one of
    ``nets.INITIALISATIONS`` and ``gain`` multiplies every weight (2.0 doubles the standard
    deviation). Calling the module on a batch ``X`` of shape (samples, in_features) returns
    (runs, samples, out_features), which :func:`activation_lab.training.train` accepts.

    Weights follow the book's convention ``h @ W + b``: ``hidden_weight`` has shape
    (runs, max_depth - 1, width, width), ``input_weight`` (runs, in_features, width) and
    ``output_weight`` (runs, width, out_features).
    """

    def __init__(self, in_features: int, width: int, out_features: int, activation, depths: Sequence[int],
                 seeds: Sequence[int], *, init: str = "default", gain: float = 1.0, norm: str | None = None,
                 residual: bool = False):
        super().__init__()
        depths, seeds = [int(d) for d in depths], [int(s) for s in seeds]
        if len(depths) != len(seeds) or not depths:
            raise ValueError("give one depth and one seed for every run (at least one run)")
        if min(depths) < 1:
            raise ValueError("every run needs at least one hidden layer")
        if init not in nets.INITIALISATIONS:
            raise ValueError(f"unknown initialisation {init!r}; choose one of {nets.INITIALISATIONS}")
        if norm not in NORMS:
            raise ValueError(f"unknown normalisation {norm!r}; choose None or 'batch'")
        self.sizes = (in_features, width, out_features)
        self.activation_spec, self.init, self.gain, self.norm, self.residual = activation, init, gain, norm, residual
        self.depths, self.seeds, self.max_depth = depths, seeds, max(depths)
        self.activation = nets.activation_module(activation)
        layer = torch.arange(self.max_depth)
        self.register_buffer("active", layer[None, :] < torch.tensor(depths)[:, None])  # (runs, max_depth)
        self._same_depth = len(set(depths)) == 1  # then no layer is ever skipped

        draws = {name: [] for name in ("w_in", "b_in", "w_hid", "b_hid", "w_out", "b_out")}
        hidden = (self.max_depth - 1, width, width)
        for seed in seeds:
            g = torch.Generator().manual_seed(seed)
            draws["w_in"].append(_draw(g, (in_features, width), in_features, width, init, gain, False))
            draws["b_in"].append(_draw(g, (width,), in_features, width, init, gain, True))
            draws["w_hid"].append(_draw(g, hidden, width, width, init, gain, False))
            draws["b_hid"].append(_draw(g, hidden[:2], width, width, init, gain, True))
            draws["w_out"].append(_draw(g, (width, out_features), width, out_features, init, gain, False))
            draws["b_out"].append(_draw(g, (out_features,), width, out_features, init, gain, True))
        stack = {name: nn.Parameter(torch.stack(values)) for name, values in draws.items()}
        self.input_weight, self.input_bias = stack["w_in"], stack["b_in"]
        self.hidden_weight, self.hidden_bias = stack["w_hid"], stack["b_hid"]
        self.output_weight, self.output_bias = stack["w_out"], stack["b_out"]
        if norm == "batch":
            self.norm_scale = nn.Parameter(torch.ones(len(seeds), self.max_depth, width))
            self.norm_shift = nn.Parameter(torch.zeros(len(seeds), self.max_depth, width))

    @property
    def runs(self) -> int:
        return len(self.seeds)

    def _normalise(self, z: torch.Tensor, layer: int) -> torch.Tensor:
        if self.norm is None:
            return z
        mean = z.mean(dim=1, keepdim=True)
        var = z.var(dim=1, unbiased=False, keepdim=True)
        z_hat = (z - mean) / torch.sqrt(var + BATCH_NORM_EPS)
        return z_hat * self.norm_scale[:, None, layer] + self.norm_shift[:, None, layer]

    def pre_activations(self, X: torch.Tensor) -> list[torch.Tensor]:
        """The input of every activation layer, each (runs, samples, width), input side first.

        After a run's last hidden layer the entries repeat that layer's values (the run has
        no further layers); use ``self.active`` to ignore them.
        """
        return self._forward(X, keep=True)[1]

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return self._forward(X, keep=False)[0]

    def _forward(self, X: torch.Tensor, keep: bool) -> tuple[torch.Tensor, list[torch.Tensor]]:
        kept = []
        z = self._normalise(torch.matmul(X, self.input_weight) + self.input_bias[:, None], 0)
        kept.append(z)
        h = self.activation(z)
        for layer in range(1, self.max_depth):
            z = torch.baddbmm(self.hidden_bias[:, None, layer - 1], h, self.hidden_weight[:, layer - 1])
            z = self._normalise(z, layer)
            out = self.activation(z)
            if self.residual:
                out = h + out
            if self._same_depth:
                h = out
                if keep:
                    kept.append(z)
                continue
            on = self.active[:, layer, None, None]
            if keep:
                kept.append(torch.where(on, z, kept[-1]))
            h = torch.where(on, out, h)
        return torch.baddbmm(self.output_bias[:, None], h, self.output_weight), kept

    def layer_weights(self) -> list[torch.Tensor]:
        """The weight tensor of every linear layer, each (runs, fan_in, fan_out), input side first.

        Entries 1 to max_depth - 1 are views of ``hidden_weight``; for a run of depth d the
        layers from d on are unused. The last entry is the output layer.
        """
        return [self.input_weight, *self.hidden_weight.unbind(1), self.output_weight]

    def to_sequential(self, run: int) -> nn.Sequential:
        """Run ``run`` as an ordinary ``nets.mlp`` module holding a copy of its weights."""
        inputs, width, outputs = self.sizes
        depth = self.depths[run]
        model = nets.mlp(inputs, [width] * depth, outputs, self.activation_spec, batch_norm=self.norm is not None,
                         residual=self.residual)
        linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
        norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm1d)]
        weights = [self.input_weight[run]] + [self.hidden_weight[run, k] for k in range(depth - 1)]
        weights.append(self.output_weight[run])
        biases = [self.input_bias[run]] + [self.hidden_bias[run, k] for k in range(depth - 1)]
        biases.append(self.output_bias[run])
        with torch.no_grad():
            for linear, W, b in zip(linears, weights, biases):
                linear.weight.copy_(W.T)
                linear.bias.copy_(b)
            for k, bn in enumerate(norms):
                bn.weight.copy_(self.norm_scale[run, k])
                bn.bias.copy_(self.norm_shift[run, k])
        return model
