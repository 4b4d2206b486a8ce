"""Seed 001, chapter 5 listing: mini-batch SGD on MNIST with the backprop ``TwoLayerNet``.

Typed as the tutorial shows, with ``dataset.mnist`` read as ``nerve.book.mnist``.
"""
import numpy as np
from nerve.book.mnist import load_mnist
from two_layer_net_bp import TwoLayerNet

if __name__ == '__main__':
    # 使用 load_mnist 导入 x_train 训练集,t_train 训练真实标签,x_test 测试集,t_test 测试真实标签
    (x_train, t_train), (x_test, t_test) = load_mnist(one_hot_label=True,normalize=True)
    # 记录每次更新权重后,损失函数的值如何变化
    train_loss_list = []
    # 超参数
    # 权重迭代次数
    iters_num = 10000
    # 训练集大小
    train_size = x_train.shape[0]
    # 每个 batch 的大小
    batch_size = 100
    # 学习率
    learning_rate = 0.1
    # 初始化神经网络,输入层神经元784个(因为是高宽 28 * 28 的图像),隐藏层神经元50个(自定义),输出层10个(识别 0-9 十个数字)
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    for i in range(iters_num):
        # 获取 mini-batch,从6w个训练集中随机获取100个,组成一个batch,batch_mask里面是0-6w的随机数字
        batch_mask = np.random.choice(train_size, batch_size)
        # 根据随机数字取出训练集和训练监督标签
        x_batch = x_train[batch_mask]
        t_batch = t_train[batch_mask]
        # 计算一个 batch 的梯度
        grad = network.gradient(x_batch, t_batch)
        # 更新参数
        for key in ('W1', 'b1', 'W2', 'b2'):
            network.params[key] -= learning_rate * grad[key]
        # 记录学习过程
        loss = network.loss(x_batch, t_batch)
        train_loss_list.append(loss)
        print(loss)
