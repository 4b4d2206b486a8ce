"""The book's chapter 5 ``TwoLayerNet``: Affine - Relu - Affine - SoftmaxWithLoss, trained by backprop."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .layers import Affine, Relu, SoftmaxWithLoss
from .net import LayerNet, init_weight

__all__ = ["TwoLayerNet"]


class TwoLayerNet(LayerNet):
    """Two Affine layers with a ReLU between; weights ``weight_init_std · N(0, 1)``, biases zero.

    ``params``: W1 (input_size, hidden_size), b1, W2 (hidden_size, output_size), b2.
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {}
        self.params["W1"] = init_weight(weight_init_std, (input_size, hidden_size))
        self.params["b1"] = np.zeros(hidden_size)
        self.params["W2"] = init_weight(weight_init_std, (hidden_size, output_size))
        self.params["b2"] = np.zeros(output_size)

        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
        self.lastLayer = SoftmaxWithLoss()
        self.grad_sources = {f"{p}{i}": (self.layers[f"Affine{i}"], f"d{p}") for i in (1, 2) for p in "Wb"}

    @property
    def last_layer(self):
        return self.lastLayer
