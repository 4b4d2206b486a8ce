# ruff: noqa: E501, I001  (the tutorial's listing, kept as printed)
"""Seed 001's Keras cats-vs-dogs network, as printed, with ``keras`` replaced by ``nerve.keras``.

Put images in ./c_vs_d/train/cat/ and ./c_vs_d/train/dog/ and run it. The listing is unchanged apart from
the imports (and its indentation, which the tutorial's text lost): nerve.keras reads the same arguments,
trains with fit_generator and writes Keras's HDF5 weights layout to cat_vs_dog_weight.h5 (needs h5py).
"""
import numpy as np
from nerve.keras.models import Sequential
from nerve.keras.layers import Dense, Conv2D, Activation, MaxPooling2D, Flatten, Dropout, BatchNormalization
from nerve.keras.preprocessing import image
from PIL import Image
from collections import OrderedDict


def load_data():
    """
    生成训练数据和
    """
    # 输入目录的路径,并生成批量的增强/标准化的数据。
    gen = image.ImageDataGenerator(
        rescale=1.0/255,  # 标准化数据,默认为 None。如果是 None 或 0,不进行缩放,否则将数据乘以所提供的值(在应用任何其他转换之前)
        rotation_range=20,  # 随机旋转的度数范围
        width_shift_range=0.2,  # 进行水平位移
        height_shift_range=0.2,  # 进行垂直位移
        shear_range=0.2,  # 剪切强度(以弧度逆时针方向剪切角度)
        zoom_range=0.5,  # 随机缩放范围
        horizontal_flip=True,  # 随机水平翻转
    )
    # 训练数据
    train_flow = gen.flow_from_directory(directory='./c_vs_d/train/', target_size=(224,224), batch_size=100, class_mode='categorical')
    return train_flow


def createModel():
    """
    创建用于深度学习的神经网络
    """
    # 搭建网络
    model = Sequential()
    # 第一层
    model.add(Conv2D(filters=6, kernel_size=(11, 11), strides=(4, 4), padding='valid', activation='relu', input_shape=(224, 224, 3)))
    model.add(BatchNormalization())
    model.add(MaxPooling2D(pool_size=(3, 3), strides=(2, 2), padding='valid'))
    # 第二层
    model.add(Conv2D(filters=256, kernel_size=(5, 5), strides=(1, 1), padding='same', activation='relu'))
    model.add(BatchNormalization())
    model.add(MaxPooling2D(pool_size=(3, 3), strides=(2, 2), padding='valid'))
    # 第三层
    model.add(Conv2D(filters=384, kernel_size=(3, 3), strides=(1, 1), padding='same', activation='relu'))
    model.add(BatchNormalization())
    model.add(Conv2D(filters=384, kernel_size=(3, 3), strides=(1, 1), padding='same', activation='relu'))
    model.add(BatchNormalization())
    model.add(Conv2D(filters=356, kernel_size=(3, 3), activation='relu'))
    model.add(BatchNormalization())
    model.add(MaxPooling2D(pool_size=(3, 3), strides=(2, 2), padding='valid'))
    # 第四层
    model.add(Flatten())
    model.add(Dense(4096, activation='relu'))
    model.add(Dropout(0.5))
    # 第五层
    model.add(Dense(4096, activation='relu'))
    model.add(Dropout(0.5))
    # 第六层
    model.add(Dense(1000, activation='relu'))
    model.add(Dropout(0.5))
    # 输出层
    model.add(Dense(2))
    model.add(Activation('softmax'))
    model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
    return model


def predict(img_path):
    im = Image.open(img_path)
    resizedIm = im.resize((224,224))
    im_arr = np.array(resizedIm)
    normaliza_im_arr = im_arr / 255
    dict = OrderedDict()
    dict[0] = normaliza_im_arr
    li = list(dict.values())
    li = np.array(li)
    model = createModel()
    model.load_weights("cat_vs_dog_weight.h5")
    pred = model.predict(li)
    if pred.argmax() == 0:
        print("cat")
    else:
        print("dog")


def train():
    train_flow = load_data()
    # 查看 train_flow 自动生成的分类
    print(train_flow.class_indices)
    # 创建 model
    model = createModel()
    # 训练模型
    his = model.fit_generator(train_flow, steps_per_epoch=10, epochs=1, verbose=1)
    print(his.history)
    model.save_weights('cat_vs_dog_weight.h5')
    print("训练完成")


if __name__ == '__main__':
    # 预测
    # predict('./c_vs_d/train/cat/cat.0.jpg')
    # 训练
    train()
