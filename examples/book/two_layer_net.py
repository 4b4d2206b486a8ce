"""Seed 001, chapter 4 listing ``two_layer_net.py``: a 2-layer net whose gradient is numerical.

Typed as the tutorial shows (sigmoid output, cross-entropy loss), with ``common.X`` read as ``nerve.book.X``.
"""
import numpy as np
from nerve.book.functions import *
from nerve.book.gradient import numerical_gradient
import collections


class TwoLayerNet:
    # 初始化权重
    # input_size 输入层的神经元个数
    # hidden_size 隐藏层的神经元个数
    # output_size 输出层的神经元个数
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.1):
        self.params = {}
        # 初始化第一层和第二层权重和偏置参数为一些随机值
        self.params["W1"] = weight_init_std * np.random.randn(input_size, hidden_size)
        self.params["W2"] = weight_init_std * np.random.randn(hidden_size, output_size)
        self.params["b1"] = np.zeros(hidden_size)
        self.params["b2"] = np.zeros(output_size)

    # 预测
    def predict(self, x):
        # 取出权重和偏置
        w1, w2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        # 经过第一层的输出
        a1 = np.dot(x, w1) + b1
        # 经过第一层的激活函数
        z1 = sigmoid(a1)
        # 经过第二层的输出
        a2 = np.dot(z1, w2) + b2
        # 经过输出层的激活函数
        y = sigmoid(a2)
        return y

    # 计算损失函数的值
    def loss(self, x, t):
        y = self.predict(x)
        return cross_entropy_error(y, t)

    # 计算权重参数的梯度
    def gradient(self, x, t):
        def f(W):
            return self.loss(x, t)
        grads = {}
        # 保存第一层的权重梯度
        grads["W1"] = numerical_gradient(f, self.params["W1"])
        # 保存第一层的偏置梯度
        grads["b1"] = numerical_gradient(f, self.params["b1"])
        # 保存第二层的权重梯度
        grads["W2"] = numerical_gradient(f, self.params["W2"])
        # 保存第二层的偏置梯度
        grads["b2"] = numerical_gradient(f, self.params["b2"])
        return grads
