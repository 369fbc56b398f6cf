"""A small convolutional network for scikit-learn's 8x8 handwritten digits, and its feature maps.

Two convolution layers, each followed by an activation; the second has stride 2, so it halves
the image to 4x4 instead of a pooling layer (cheaper on a CPU, and the activation is then the
network's only non-linearity). The last layer maps the feature maps to ten logits.

>>> net = digit_cnn("relu", seed=0)
>>> net(torch.zeros(5, 1, 8, 8)).shape
torch.Size([5, 10])
>>> [tuple(pre.shape) for pre, post in feature_maps(net, torch.zeros(2, 1, 8, 8))]
[(2, 8, 8, 8), (2, 16, 4, 4)]
"""

from __future__ import annotations

import torch
from torch import nn

from activation_lab import nets

SIDE = 8  # the digits are 8x8 pixels


def as_images(X: torch.Tensor) -> torch.Tensor:
    """Rows of 64 pixel values as a batch of one-channel images, shape (n, 1, 8, 8)."""
    return X.reshape(-1, 1, SIDE, SIDE)


def digit_cnn(activation="relu", seed: int | None = None, channels: tuple[int, int] = (8, 16)) -> nn.Sequential:
    """Conv 3x3 -> activation -> conv 3x3, stride 2 -> activation -> linear to 10 logits.

    ``activation`` is anything :func:`activation_lab.nets.activation_module` accepts: a
    registry name, a module, or a module class.
    """
    if seed is not None:
        torch.manual_seed(seed)
    first, second = channels
    return nn.Sequential(
        nn.Conv2d(1, first, kernel_size=3, padding=1), nets.activation_module(activation),
        nn.Conv2d(first, second, kernel_size=3, stride=2, padding=1), nets.activation_module(activation),
        nn.Flatten(), nn.Linear(second * (SIDE // 2) ** 2, 10),
    )


def feature_maps(model: nn.Sequential, images: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """For each convolution layer: its output before the activation and after it.

    Each tensor has shape (images, channels, height, width); nothing keeps a gradient.
    """
    maps = []
    with torch.no_grad():
        h = images
        for layer, following in zip(model, list(model)[1:]):
            h = layer(h)
            if isinstance(layer, nn.Conv2d):
                maps.append((h, following(h)))
    return maps


def zero_share(maps: torch.Tensor) -> float:
    """The share of entries that are exactly zero (for ReLU feature maps: the inactive positions)."""
    return float((maps == 0).float().mean())
