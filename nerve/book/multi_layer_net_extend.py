"""The book's ``MultiLayerNetExtend``: ``MultiLayerNet`` with optional Batch Normalization and Dropout."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .layers import Affine, BatchNormalization, Dropout, SoftmaxWithLoss
from .multi_layer_net import activation_layer, make_weights
from .net import LayerNet

__all__ = ["MultiLayerNetExtend"]


class MultiLayerNetExtend(LayerNet):
    """(Affine - [BatchNorm] - activation - [Dropout]) per hidden layer, then Affine and SoftmaxWithLoss.

    ``dropout_ration`` is the book's spelling of the argument (``dropout_ratio`` is accepted too). With
    ``use_batchnorm``, ``params`` also holds gamma1, beta1, ... after the weights, as in the book.
    """

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu", weight_init_std="relu",
                 weight_decay_lambda=0, use_dropout=False, dropout_ration=0.5, use_batchnorm=False,
                 dropout_ratio=None):
        self.input_size = input_size
        self.output_size = output_size
        self.hidden_size_list = list(hidden_size_list)
        self.hidden_layer_num = len(self.hidden_size_list)
        self.use_dropout = use_dropout
        self.weight_decay_lambda = weight_decay_lambda
        self.use_batchnorm = use_batchnorm
        ratio = dropout_ration if dropout_ratio is None else dropout_ratio
        self.params = {}
        make_weights(self.params, [input_size] + self.hidden_size_list + [output_size], weight_init_std)

        self.layers = OrderedDict()
        self.grad_sources = {}
        for idx in range(1, self.hidden_layer_num + 1):
            affine = Affine(self.params["W" + str(idx)], self.params["b" + str(idx)])
            self.layers["Affine" + str(idx)] = affine
            self.grad_sources.update({"W" + str(idx): (affine, "dW"), "b" + str(idx): (affine, "db")})
            if self.use_batchnorm:
                self.params["gamma" + str(idx)] = np.ones(self.hidden_size_list[idx - 1])
                self.params["beta" + str(idx)] = np.zeros(self.hidden_size_list[idx - 1])
                bn = BatchNormalization(self.params["gamma" + str(idx)], self.params["beta" + str(idx)])
                self.layers["BatchNorm" + str(idx)] = bn
                self.grad_sources.update({"gamma" + str(idx): (bn, "dgamma"), "beta" + str(idx): (bn, "dbeta")})
            self.layers["Activation_function" + str(idx)] = activation_layer(activation)
            if self.use_dropout:
                self.layers["Dropout" + str(idx)] = Dropout(ratio)
        idx = self.hidden_layer_num + 1
        affine = Affine(self.params["W" + str(idx)], self.params["b" + str(idx)])
        self.layers["Affine" + str(idx)] = affine
        self.grad_sources.update({"W" + str(idx): (affine, "dW"), "b" + str(idx): (affine, "db")})
        self.last_layer = SoftmaxWithLoss()

    def loss(self, x, t, train_flg=False):
        return super().loss(x, t, train_flg)
