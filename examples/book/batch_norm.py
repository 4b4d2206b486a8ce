"""Chapter 6: the same deep net with and without Batch Normalization (MultiLayerNetExtend), accuracy per epoch.

Our own listing, written with exactly the book's API (``common.X`` is ``nerve.book.X``).
"""
import numpy as np
from nerve.book.mnist import load_mnist
from nerve.book.multi_layer_net_extend import MultiLayerNetExtend
from nerve.book.optimizer import SGD

(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True)
x_train, t_train = x_train[:1000], t_train[:1000]

max_epochs = 20
train_size = x_train.shape[0]
batch_size = 100
iter_per_epoch = max(train_size // batch_size, 1)
weight_init_std = 0.05  # small weights: without BatchNorm the signal fades through 5 layers

bn_network = MultiLayerNetExtend(input_size=784, hidden_size_list=[100, 100, 100, 100, 100], output_size=10,
                                 weight_init_std=weight_init_std, use_batchnorm=True)
network = MultiLayerNetExtend(input_size=784, hidden_size_list=[100, 100, 100, 100, 100], output_size=10,
                              weight_init_std=weight_init_std)
optimizer = SGD(lr=0.01)
train_acc_list, bn_train_acc_list = [], []

for epoch in range(max_epochs):
    for i in range(iter_per_epoch):
        batch_mask = np.random.choice(train_size, batch_size)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        for _network in (bn_network, network):
            grads = _network.gradient(x_batch, t_batch)
            optimizer.update(_network.params, grads)
    train_acc_list.append(network.accuracy(x_train, t_train))
    bn_train_acc_list.append(bn_network.accuracy(x_train, t_train))
    print("epoch:" + str(epoch) + " | " + str(train_acc_list[-1]) + " - " + str(bn_train_acc_list[-1]))
