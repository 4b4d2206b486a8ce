"""Chapter 6: SGD, Momentum, AdaGrad and Adam train the same 5-layer MultiLayerNet on MNIST; smoothed losses.

Our own listing, written with exactly the book's API (``common.X`` is ``nerve.book.X``).
"""
import numpy as np
import matplotlib.pyplot as plt
from nerve.book.mnist import load_mnist
from nerve.book.util import smooth_curve
from nerve.book.multi_layer_net import MultiLayerNet
from nerve.book.optimizer import SGD, Momentum, AdaGrad, Adam

(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True)
train_size = x_train.shape[0]
batch_size = 128
max_iterations = 2000

optimizers = {"SGD": SGD(), "Momentum": Momentum(), "AdaGrad": AdaGrad(), "Adam": Adam()}
networks = {}
train_loss = {}
for key in optimizers:
    networks[key] = MultiLayerNet(input_size=784, hidden_size_list=[100, 100, 100, 100], output_size=10)
    train_loss[key] = []

for i in range(max_iterations):
    batch_mask = np.random.choice(train_size, batch_size)
    x_batch = x_train[batch_mask]
    t_batch = t_train[batch_mask]
    for key in optimizers:
        grads = networks[key].gradient(x_batch, t_batch)
        optimizers[key].update(networks[key].params, grads)
        train_loss[key].append(networks[key].loss(x_batch, t_batch))
    if i % 100 == 0:
        print("===========" + "iteration:" + str(i) + "===========")
        for key in optimizers:
            print(key + ":" + str(train_loss[key][-1]))

x = np.arange(max_iterations)
for key, marker in zip(optimizers, "oxsD"):
    plt.plot(x, smooth_curve(train_loss[key]), marker=marker, markevery=100, label=key)
plt.xlabel("iterations")
plt.ylabel("loss")
plt.ylim(0, 1)
plt.legend()
plt.show()
