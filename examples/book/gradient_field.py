"""Seed 001, chapter 4 listing: the gradient field of f(x0, x1) = x0² + x1² drawn with plt.quiver.

Typed as the tutorial shows, with its imports of the book's packages read as ``nerve.book``
(``dataset.mnist`` -> ``nerve.book.mnist``, ``common.gradient`` -> ``nerve.book.gradient``); the tutorial
imports ``pickle``, ``load_mnist`` and ``gradient_descent`` without using them.
"""
import numpy as np
import pickle
import matplotlib.pylab as plt
from nerve.book.mnist import load_mnist
from nerve.book.gradient import gradient_descent


def _numerical_gradient_no_batch(f, x):
    h = 1e-4  # 0.0001
    grad = np.zeros_like(x)
    for idx in range(x.size):
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)  # f(x+h)
        x[idx] = tmp_val - h
        fxh2 = f(x)  # f(x-h)
        grad[idx] = (fxh1 - fxh2) / (2*h)
        x[idx] = tmp_val  # 还原值
    return grad


def numerical_gradient(f, X):
    if X.ndim == 1:
        return _numerical_gradient_no_batch(f, X)
    else:
        grad = np.zeros_like(X)
        for idx, x in enumerate(X):
            grad[idx] = _numerical_gradient_no_batch(f, x)
        return grad


def function_2(x):
    if x.ndim == 1:
        return np.sum(x**2)
    else:
        return np.sum(x**2, axis=1)


if __name__ == '__main__':
    # 根据 x0,y0生成一组网格点
    x0 = np.arange(-2, 2.5, 0.25)
    x1 = np.arange(-2, 2.5, 0.25)
    X, Y = np.meshgrid(x0, x1)
    # 展开成一维数组
    X = X.flatten()
    Y = Y.flatten()
    grad = numerical_gradient(function_2, np.array([X, Y]) )
    plt.quiver(X, Y, -grad[0], -grad[1], angles="xy",color="#666666")#,headwidth=10,scale=40,color="#444444")
    plt.xlim([-2, 2])
    plt.ylim([-2, 2])
    plt.xlabel('x0')
    plt.ylabel('x1')
    plt.grid()
    plt.show()
