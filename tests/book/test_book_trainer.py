"""nerve.book.trainer.Trainer: the book's bookkeeping, on a small learnable problem."""

from __future__ import annotations

import numpy as np
import pytest

import nerve
from nerve.book.multi_layer_net import MultiLayerNet
from nerve.book.optimizer import Momentum
from nerve.book.trainer import Trainer


def blobs(n, rng):
    t = rng.integers(0, 3, n)
    x = rng.standard_normal((n, 4)) * 0.5 + np.eye(3, 4)[t] * 3
    return x, t


def test_trainer_learns_and_keeps_the_books_lists(capsys):
    rng = np.random.default_rng(0)
    (x, t), (xt, tt) = blobs(300, rng), blobs(100, rng)
    net = MultiLayerNet(4, [10], 3)
    trainer = Trainer(net, x, t, xt, tt, epochs=4, mini_batch_size=50, optimizer="Adam",
                      optimizer_param={"lr": 0.05}, evaluate_sample_num_per_epoch=60, verbose=True)
    final = trainer.train()
    assert trainer.max_iter == 24 and len(trainer.train_loss_list) == 24
    assert len(trainer.train_acc_list) == len(trainer.test_acc_list) == 4
    assert final > 0.9 and trainer.test_acc_list[-1] > 0.9
    out = capsys.readouterr().out
    assert "=== epoch:4, train acc:" in out and "test acc:" + str(final) in out


def test_trainer_is_repeatable_and_takes_an_optimizer_object():
    rng = np.random.default_rng(1)
    (x, t), (xt, tt) = blobs(100, rng), blobs(20, rng)
    losses = []
    for _ in range(2):
        nerve.seed(3)
        trainer = Trainer(MultiLayerNet(4, [5], 3), x, t, xt, tt, epochs=1, mini_batch_size=20,
                          optimizer=Momentum(lr=0.1), verbose=False)
        trainer.train()
        losses.append(trainer.train_loss_list)
    assert losses[0] == losses[1]
    with pytest.raises(ValueError, match="unknown optimizer 'adamax'"):
        Trainer(MultiLayerNet(4, [5], 3), x, t, xt, tt, optimizer="adamax")
