"""Seed 001, chapter 7 listing: ``SimpleConvNet`` (conv - relu - pool - affine - relu - affine - softmax).

Typed as the tutorial shows, with ``common.X`` read as ``nerve.book.X``.
"""
import numpy as np
from nerve.book.functions import *
from nerve.book.gradient import numerical_gradient
from nerve.book.layers import *
import collections


class SimpleConvNet:
    # input_dim 输入数据的维度(通道数,高,宽)
    # conv_param 卷积层的超参数
    def __init__(self, input_dim=(1,28,28), conv_param={'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1}, hidden_size=100, output_size=10, weight_init_std=0.01):
        # 滤波器的数量
        filter_num = conv_param["filter_num"]
        # 滤波器的大小
        filter_size = conv_param["filter_size"]
        # 滤波器的步幅
        filter_stride = conv_param["stride"]
        # 填充
        filter_pad = conv_param["pad"]
        # 输入图像的高宽
        input_size = input_dim[1]
        # 卷积层输出特征图高宽
        conv_output_size = (input_size - filter_size + 2 * filter_pad) / filter_stride + 1
        # 池化层输出图像高宽
        pool_output_size = int(filter_num * (conv_output_size / 2) * (conv_output_size / 2))
        # 初始化权重
        self.params = {}
        self.params["W1"] = weight_init_std * np.random.randn(filter_num, input_dim[0], filter_size, filter_size)
        self.params["b1"] = np.zeros(filter_num)
        self.params["W2"] = weight_init_std * np.random.randn(pool_output_size, hidden_size)
        self.params["b2"] = np.zeros(hidden_size)
        self.params["W3"] = weight_init_std * np.random.randn(hidden_size, output_size)
        self.params["b3"] = np.zeros(output_size)
        # 初始化层
        self.layers = collections.OrderedDict()
        self.layers["Conv1"] = Convolution(self.params["W1"], self.params["b1"], filter_stride, filter_pad)
        self.layers["Relu1"] = Relu()
        self.layers["Pool1"] = Pooling(pool_h=2, pool_w=2, stride=2)
        self.layers["Affine1"] = Affine(self.params["W2"], self.params["b2"])
        self.layers["Relu2"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W3"], self.params["b3"])
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        y = self.predict(x)
        return self.last_layer.forward(y, t)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = 1
        dout = self.last_layer.backward(dout)
        layers = list(self.layers.values())
        layers.reverse()
        for layer in layers:
            dout = layer.backward(dout)
        grads = {}
        grads["W1"] = self.layers["Conv1"].dW
        grads["b1"] = self.layers["Conv1"].db
        grads["W2"] = self.layers["Affine1"].dW
        grads["b2"] = self.layers["Affine1"].db
        grads["W3"] = self.layers["Affine2"].dW
        grads["b3"] = self.layers["Affine2"].db
        return grads
