"""The book's ``common.trainer.Trainer``: mini-batch training of a book network with a book optimizer."""

from __future__ import annotations

from ..backend import rng
from .optimizer import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

__all__ = ["Trainer"]

OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adagrad": AdaGrad, "rmsprop": RMSprop,
              "adam": Adam}


class Trainer:
    """Trains ``network`` for ``epochs`` passes of ``x_train.shape[0] / mini_batch_size`` steps.

    Each step: a mini-batch, ``network.gradient``, ``optimizer.update(network.params, grads)``, the loss
    (printed with ``verbose``). At the start of every epoch the accuracy on the first
    ``evaluate_sample_num_per_epoch`` training and test samples (all if None) is appended to
    ``train_acc_list`` / ``test_acc_list``; ``train`` ends with the test accuracy on everything.

    ``optimizer``: a name ('SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam'; any case) built with
    ``optimizer_param``, or an optimizer object. NOTE: a mini-batch holds distinct samples (the book draws
    with replacement); draws come from nerve's generator, so ``nerve.seed`` repeats a run.
    """

    def __init__(self, network, x_train, t_train, x_test, t_test, epochs=20, mini_batch_size=100,
                 optimizer="SGD", optimizer_param=None, evaluate_sample_num_per_epoch=None, verbose=True):
        self.network = network
        self.verbose = verbose
        self.x_train = x_train
        self.t_train = t_train
        self.x_test = x_test
        self.t_test = t_test
        self.epochs = epochs
        self.batch_size = mini_batch_size
        self.evaluate_sample_num_per_epoch = evaluate_sample_num_per_epoch

        if isinstance(optimizer, str):
            if optimizer.lower() not in OPTIMIZERS:
                raise ValueError(f"Trainer: unknown optimizer {optimizer!r}; expected one of "
                                 f"{', '.join(cls.__name__ for cls in OPTIMIZERS.values())}")
            optimizer = OPTIMIZERS[optimizer.lower()](**({"lr": 0.01} if optimizer_param is None else optimizer_param))
        self.optimizer = optimizer

        self.train_size = x_train.shape[0]
        self.iter_per_epoch = max(self.train_size / mini_batch_size, 1)
        self.max_iter = int(epochs * self.iter_per_epoch)
        self.current_iter = 0
        self.current_epoch = 0

        self.train_loss_list = []
        self.train_acc_list = []
        self.test_acc_list = []

    def train_step(self):
        batch_mask = rng().choice(self.train_size, min(self.batch_size, self.train_size), replace=False)
        x_batch = self.x_train[batch_mask]
        t_batch = self.t_train[batch_mask]

        grads = self.network.gradient(x_batch, t_batch)
        self.optimizer.update(self.network.params, grads)

        loss = self.network.loss(x_batch, t_batch)
        self.train_loss_list.append(loss)
        if self.verbose:
            print("train loss:" + str(loss))

        if self.current_iter % self.iter_per_epoch == 0:
            self.current_epoch += 1
            x_train_sample, t_train_sample = self.x_train, self.t_train
            x_test_sample, t_test_sample = self.x_test, self.t_test
            if self.evaluate_sample_num_per_epoch is not None:
                t = self.evaluate_sample_num_per_epoch
                x_train_sample, t_train_sample = self.x_train[:t], self.t_train[:t]
                x_test_sample, t_test_sample = self.x_test[:t], self.t_test[:t]
            train_acc = self.network.accuracy(x_train_sample, t_train_sample)
            test_acc = self.network.accuracy(x_test_sample, t_test_sample)
            self.train_acc_list.append(train_acc)
            self.test_acc_list.append(test_acc)
            if self.verbose:
                print("=== epoch:" + str(self.current_epoch) + ", train acc:" + str(train_acc) + ", test acc:"
                      + str(test_acc) + " ===")
        self.current_iter += 1

    def train(self):
        for _ in range(self.max_iter):
            self.train_step()
        test_acc = self.network.accuracy(self.x_test, self.t_test)
        if self.verbose:
            print("=============== Final Test Accuracy ===============")
            print("test acc:" + str(test_acc))
        return test_acc
