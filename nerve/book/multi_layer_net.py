"""The book's ``MultiLayerNet``: (Affine - activation) x len(hidden_size_list), Affine, SoftmaxWithLoss."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from .net import LayerNet, init_weight, scale_for

__all__ = ["MultiLayerNet"]

ACTIVATIONS = {"sigmoid": Sigmoid, "relu": Relu}


def make_weights(params: dict, sizes: list, weight_init_std) -> None:
    """W1, b1, W2, ... for consecutive ``sizes``; std 'relu'/'he', 'sigmoid'/'xavier' or a number."""
    for idx in range(1, len(sizes)):
        scale = scale_for(weight_init_std, sizes[idx - 1])
        params["W" + str(idx)] = init_weight(scale, (sizes[idx - 1], sizes[idx]))
        params["b" + str(idx)] = np.zeros(sizes[idx])


def activation_layer(activation):
    if str(activation).lower() not in ACTIVATIONS:
        raise ValueError(f"activation: expected 'relu' or 'sigmoid', got {activation!r}")
    return ACTIVATIONS[str(activation).lower()]()


class MultiLayerNet(LayerNet):
    """A fully connected net with ``weight_decay_lambda`` (L2) added to loss and gradient."""

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu", weight_init_std="relu",
                 weight_decay_lambda=0):
        self.input_size = input_size
        self.output_size = output_size
        self.hidden_size_list = list(hidden_size_list)
        self.hidden_layer_num = len(self.hidden_size_list)
        self.weight_decay_lambda = weight_decay_lambda
        self.params = {}
        make_weights(self.params, [input_size] + self.hidden_size_list + [output_size], weight_init_std)

        self.layers = OrderedDict()
        for idx in range(1, self.hidden_layer_num + 1):
            self.layers["Affine" + str(idx)] = Affine(self.params["W" + str(idx)], self.params["b" + str(idx)])
            self.layers["Activation_function" + str(idx)] = activation_layer(activation)
        idx = self.hidden_layer_num + 1
        self.layers["Affine" + str(idx)] = Affine(self.params["W" + str(idx)], self.params["b" + str(idx)])
        self.last_layer = SoftmaxWithLoss()
        self.grad_sources = {f"{p}{i}": (self.layers[f"Affine{i}"], f"d{p}") for i in range(1, idx + 1)
                             for p in "Wb"}
