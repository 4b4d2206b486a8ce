"""The book's chapter 8 ``DeepConvNet``: six 3x3 convolutions in three pooled pairs, then two Affine layers.

conv - relu - conv - relu - pool - conv - relu - conv - relu - pool - conv - relu - conv - relu - pool -
affine - relu - dropout - affine - dropout - softmax
"""

from __future__ import annotations

import numpy as np

from .layers import Affine, Convolution, Dropout, Pooling, Relu, SoftmaxWithLoss
from .net import LayerNet, init_weight

__all__ = ["DeepConvNet"]

_DEFAULT_CONV = [(16, 1), (16, 1), (32, 1), (32, 2), (64, 1), (64, 1)]  # (filter_num, pad), 3x3, stride 1


class DeepConvNet(LayerNet):
    """The book's network that passes 99% on MNIST; He-initialised weights (√(2/fan_in)).

    Arguments as in the book (``conv_param_1`` ... ``conv_param_6``: filter_num, filter_size, pad, stride).
    The first Affine layer's input size is computed from ``input_dim`` (the book writes 64·4·4 for 28x28).
    Like the book's, ``loss`` runs in training mode (dropout on); ``accuracy`` in inference mode.
    """

    loss_in_training = True

    def __init__(self, input_dim=(1, 28, 28), conv_param_1=None, conv_param_2=None, conv_param_3=None,
                 conv_param_4=None, conv_param_5=None, conv_param_6=None, hidden_size=50, output_size=10):
        given = [conv_param_1, conv_param_2, conv_param_3, conv_param_4, conv_param_5, conv_param_6]
        convs = [{"filter_num": n, "filter_size": 3, "pad": p, "stride": 1, **(c or {})}
                 for (n, p), c in zip(_DEFAULT_CONV, given)]
        self.params = {}
        self.layers = []
        self.grad_sources = {}
        channels, size = input_dim[0], np.array(input_dim[1:])
        for idx, conv in enumerate(convs, start=1):
            fs = conv["filter_size"]
            W = init_weight(np.sqrt(2.0 / (channels * fs * fs)), (conv["filter_num"], channels, fs, fs))
            self.params["W" + str(idx)], self.params["b" + str(idx)] = W, np.zeros(conv["filter_num"])
            layer = Convolution(W, self.params["b" + str(idx)], conv["stride"], conv["pad"])
            self.layers += [layer, Relu()]
            self.grad_sources.update({"W" + str(idx): (layer, "dW"), "b" + str(idx): (layer, "db")})
            channels = conv["filter_num"]
            size = (size + 2 * conv["pad"] - fs) // conv["stride"] + 1
            if idx % 2 == 0:
                self.layers.append(Pooling(pool_h=2, pool_w=2, stride=2))
                size = (size - 2) // 2 + 1
        for idx, (fan_in, fan_out) in ((7, (channels * int(np.prod(size)), hidden_size)),
                                       (8, (hidden_size, output_size))):
            W = init_weight(np.sqrt(2.0 / fan_in), (fan_in, fan_out))
            self.params["W" + str(idx)], self.params["b" + str(idx)] = W, np.zeros(fan_out)
            layer = Affine(W, self.params["b" + str(idx)])
            self.layers += [layer, Relu(), Dropout(0.5)] if idx == 7 else [layer, Dropout(0.5)]
            self.grad_sources.update({"W" + str(idx): (layer, "dW"), "b" + str(idx): (layer, "db")})
        self.last_layer = SoftmaxWithLoss()
