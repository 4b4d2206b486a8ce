"""Chapter 7: SimpleConvNet trained by the book's Trainer with Adam; parameters saved and loaded back.

Our own listing, written with exactly the book's API (``common.X`` is ``nerve.book.X``, the chapter's
``simple_convnet`` is ``nerve.book.simple_convnet``). ``save_params`` writes NumPy's .npz, never a pickle.
"""
from nerve.book.mnist import load_mnist
from nerve.book.simple_convnet import SimpleConvNet
from nerve.book.trainer import Trainer

(x_train, t_train), (x_test, t_test) = load_mnist(flatten=False)
x_train, t_train = x_train[:5000], t_train[:5000]
x_test, t_test = x_test[:1000], t_test[:1000]

max_epochs = 20
network = SimpleConvNet(input_dim=(1, 28, 28),
                        conv_param={'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1},
                        hidden_size=100, output_size=10, weight_init_std=0.01)
trainer = Trainer(network, x_train, t_train, x_test, t_test,
                  epochs=max_epochs, mini_batch_size=100,
                  optimizer='Adam', optimizer_param={'lr': 0.001},
                  evaluate_sample_num_per_epoch=1000)
trainer.train()

network.save_params("params.pkl")
print("Saved Network Parameters!")
restored = SimpleConvNet()
restored.load_params("params.pkl")
print("restored test acc:" + str(restored.accuracy(x_test, t_test)))
