"""Small PyTorch networks, parameterised by activation, depth, width and initialisation.

:func:`mlp` builds one ordinary ``nn.Sequential``. :class:`Ensemble` runs several copies of a
network, each initialised from its own seed, as one batched computation (``torch.func.vmap``
over stacked parameters): five seeds cost little more than one, so every comparison in the
book can show its seed-to-seed spread.

>>> net = mlp(2, [16, 16], 1, activation="tanh", seed=0)
>>> net
Sequential(
  (0): Linear(in_features=2, out_features=16, bias=True)
  (1): Tanh()
  (2): Linear(in_features=16, out_features=16, bias=True)
  (3): Tanh()
  (4): Linear(in_features=16, out_features=1, bias=True)
)
>>> runs = Ensemble(lambda seed: mlp(2, [16], 1, seed=seed), seeds=range(5))
>>> runs(torch.zeros(10, 2)).shape                # (runs, samples, outputs)
torch.Size([5, 10, 1])
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Sequence

import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap

from activation_lab import functions

INITIALISATIONS = ("default", "xavier", "kaiming", "lecun")


def activation_module(activation) -> nn.Module:
    """An ``nn.Module`` for a registry name, an ``Activation``, a module factory, or ``None``.

    ``None`` and ``"identity"`` both give ``nn.Identity()``: a linear network.
    """
    if activation is None:
        return nn.Identity()
    if isinstance(activation, str):
        return functions.get(activation).torch_module()
    if isinstance(activation, nn.Module):
        return copy.deepcopy(activation)
    if hasattr(activation, "torch_module"):
        return activation.torch_module()
    if callable(activation):
        return activation()
    raise TypeError(f"cannot make an activation module from {activation!r}")


def initialise(model: nn.Module, scheme: str = "default", gain: float = 1.0) -> nn.Module:
    """Re-initialise every ``nn.Linear`` and convolution in place; biases start at zero.

    ``default`` keeps PyTorch's own initialisation (weights and biases uniform in
    +-1/sqrt(fan_in)). ``xavier`` (Glorot & Bengio, 2010) draws weights with variance
    2 gain^2 / (fan_in + fan_out); ``kaiming`` (He et al., 2015) 2 gain^2 / fan_in;
    ``lecun`` gain^2 / fan_in (the initialisation SELU expects).
    """
    if scheme not in INITIALISATIONS:
        raise ValueError(f"unknown initialisation {scheme!r}; choose one of {INITIALISATIONS}")
    if scheme == "default":
        return model
    for layer in model.modules():
        if not isinstance(layer, (nn.Linear, nn.Conv1d, nn.Conv2d)):
            continue
        fan_out, fan_in = layer.weight.shape[0], layer.weight[0].numel()
        variance = {
            "xavier": 2.0 / (fan_in + fan_out),
            "kaiming": 2.0 / fan_in,
            "lecun": 1.0 / fan_in,
        }[scheme] * gain**2
        with torch.no_grad():
            layer.weight.normal_(0.0, math.sqrt(variance))
            if layer.bias is not None:
                layer.bias.zero_()
    return model


def mlp(
    in_features: int,
    hidden: Sequence[int],
    out_features: int,
    activation="relu",
    *,
    init: str = "default",
    batch_norm: bool = False,
    seed: int | None = None,
    residual: bool = False,
) -> nn.Sequential:
    """A multilayer perceptron: Linear, [BatchNorm], activation, ..., Linear.

    The output layer has no activation: it returns logits (classification) or values
    (regression), which is what PyTorch's losses expect. With ``activation=None`` every
    layer is linear, and the whole network is one affine map in disguise (chapter 1).
    With ``residual=True`` every hidden layer whose input and output widths agree becomes a
    :class:`Residual` block, h + activation(h W + b).

    >>> mlp(2, [4, 4], 1, "relu", residual=True)[2]
    Residual(
      (block): Sequential(
        (0): Linear(in_features=4, out_features=4, bias=True)
        (1): ReLU()
      )
    )
    """
    if seed is not None:
        torch.manual_seed(seed)
    layers: list[nn.Module] = []
    width_in = in_features
    for width in hidden:
        block = [nn.Linear(width_in, width)]
        if batch_norm:
            block.append(nn.BatchNorm1d(width))
        block.append(activation_module(activation))
        layers += [Residual(nn.Sequential(*block))] if residual and width_in == width else block
        width_in = width
    layers.append(nn.Linear(width_in, out_features))
    return initialise(nn.Sequential(*layers), init)


class Residual(nn.Module):
    """A skip connection around ``block``: x + block(x) (He et al., 2016).

    The identity path carries the gradient past the block unchanged, whatever the block's
    activation derivatives are.
    """

    def __init__(self, block: nn.Module):
        super().__init__()
        self.block = block

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.block(x)


class Ensemble(nn.Module):
    """Independent copies of one architecture, run and trained together.

    ``make_model(seed)`` must build the network for one seed. Calling the ensemble on a
    batch ``x`` of shape (samples, features) returns (runs, samples, outputs), run ``r``
    computed with the weights of seed ``seeds[r]``. The stacked parameters are ordinary leaf
    tensors with a leading run dimension, so any element-wise optimiser (SGD, Adam) trains
    the runs independently when the loss is a sum of per-run losses.
    """

    def __init__(self, make_model: Callable[[int], nn.Module], seeds: Iterable[int]):
        super().__init__()
        self.seeds = list(seeds)
        self.make_model = make_model
        if not self.seeds:
            raise ValueError("an ensemble needs at least one seed")
        members = [make_model(seed) for seed in self.seeds]
        params, buffers = stack_module_state(members)
        self.stacked = nn.ParameterDict({k.replace(".", "/"): nn.Parameter(v) for k, v in params.items()})
        self._order = list(params)
        self._buffers_stacked = buffers
        # Kept in a tuple so that nn.Module does not register the template as a submodule:
        # its meta-device parameters would otherwise appear in ensemble.parameters().
        self._template_holder = (copy.deepcopy(members[0]).to("meta"),)

    @property
    def runs(self) -> int:
        return len(self.seeds)

    @property
    def _template(self) -> nn.Module:
        return self._template_holder[0]

    def _params(self) -> dict[str, torch.Tensor]:
        """The stacked parameters under their member names, in the member's own order.

        ``self.stacked`` is an ``nn.ParameterDict``, which keeps keys sorted by name
        ("10/weight" before "2/weight"); this dictionary follows ``named_parameters()`` of
        one member instead, so layer 2 comes before layer 10.
        """
        return {name: self.stacked[name.replace(".", "/")] for name in self._order}

    def named_stacked(self) -> list[tuple[str, nn.Parameter]]:
        """(member parameter name, stacked parameter) pairs, input side first."""
        return list(self._params().items())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        def one_run(params, buffers, inputs):
            return functional_call(self._template, (params, buffers), (inputs,))

        return vmap(one_run, in_dims=(0, 0, None))(self._params(), self._buffers_stacked, x)

    def member(self, run: int) -> nn.Module:
        """An ordinary module holding run ``run``'s current weights (for plots and hooks)."""
        model = self.make_model(self.seeds[run])
        state = {k: v[run].detach().clone() for k, v in self._params().items()}
        state.update({k: v[run].clone() for k, v in self._buffers_stacked.items()})
        model.load_state_dict(state)
        return model
