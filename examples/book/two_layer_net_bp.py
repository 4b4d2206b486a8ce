"""Seed 001, chapter 5 listing ``two_layer_net_bp.py``: the 2-layer net assembled from layers, backprop gradients.

Typed as the tutorial shows (including its ``Relu2`` after the output Affine), ``common.layers`` read as
``nerve.book.layers``.
"""
from nerve.book.layers import *
import numpy as np
from collections import OrderedDict


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        # 初始化权重和偏置参数
        self.params = {}
        # 初始化第一层的权重
        self.params["W1"] = weight_init_std * np.random.randn(input_size, hidden_size)
        # 初始化第一层的偏置
        self.params["b1"] = np.zeros(hidden_size)
        # 初始化第二层的权重
        self.params["W2"] = weight_init_std * np.random.randn(hidden_size, output_size)
        # 初始化第二层的偏置
        self.params["b2"] = np.zeros(output_size)
        # 初始化各种层
        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
        self.layers["Relu2"] = Relu()
        self.lastLayer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        y = self.predict(x)
        return self.lastLayer.forward(y, t)

    # 用反向传播计算各层的梯度
    def gradient(self, x, t):
        # forward
        self.loss(x, t)
        # backward
        dout = 1
        dout = self.lastLayer.backward(dout)
        layers = list(self.layers.values())
        layers.reverse()
        for layer in layers:
            dout = layer.backward(dout)
        # 从 layer 中提取梯度
        grad = {}
        grad["W1"] = self.layers["Affine1"].dW
        grad["b1"] = self.layers["Affine1"].db
        grad["W2"] = self.layers["Affine2"].dW
        grad["b2"] = self.layers["Affine2"].db
        return grad
