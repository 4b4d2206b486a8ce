"""The book's chapter 7 ``SimpleConvNet``: conv - relu - pool - affine - relu - affine - softmax."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .layers import Affine, Convolution, Pooling, Relu, SoftmaxWithLoss
from .net import LayerNet, init_weight

__all__ = ["SimpleConvNet"]


class SimpleConvNet(LayerNet):
    """One convolution (``conv_param``: filter_num, filter_size, pad, stride), a 2x2 max pool, two Affine layers.

    ``params``: W1 (filter_num, C, fs, fs), b1, W2 (filter_num·(conv_out/2)², hidden_size), b2, W3, b3.
    """

    def __init__(self, input_dim=(1, 28, 28), conv_param=None, hidden_size=100, output_size=10,
                 weight_init_std=0.01):
        conv_param = {"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1, **(conv_param or {})}
        filter_num = conv_param["filter_num"]
        filter_size = conv_param["filter_size"]
        filter_pad = conv_param["pad"]
        filter_stride = conv_param["stride"]
        input_size = input_dim[1]
        conv_output_size = (input_size - filter_size + 2 * filter_pad) // filter_stride + 1
        pool_output_size = int(filter_num * (conv_output_size // 2) * (conv_output_size // 2))

        self.params = {}
        self.params["W1"] = init_weight(weight_init_std, (filter_num, input_dim[0], filter_size, filter_size))
        self.params["b1"] = np.zeros(filter_num)
        self.params["W2"] = init_weight(weight_init_std, (pool_output_size, hidden_size))
        self.params["b2"] = np.zeros(hidden_size)
        self.params["W3"] = init_weight(weight_init_std, (hidden_size, output_size))
        self.params["b3"] = np.zeros(output_size)

        self.layers = OrderedDict()
        self.layers["Conv1"] = Convolution(self.params["W1"], self.params["b1"], filter_stride, filter_pad)
        self.layers["Relu1"] = Relu()
        self.layers["Pool1"] = Pooling(pool_h=2, pool_w=2, stride=2)
        self.layers["Affine1"] = Affine(self.params["W2"], self.params["b2"])
        self.layers["Relu2"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W3"], self.params["b3"])
        self.last_layer = SoftmaxWithLoss()
        owners = {1: "Conv1", 2: "Affine1", 3: "Affine2"}
        self.grad_sources = {f"{p}{i}": (self.layers[name], f"d{p}") for i, name in owners.items() for p in "Wb"}
