"""zoo.vgg16 / vgg19: the paper's parameter counts, from shapes, and a small built one that matches."""

from __future__ import annotations

import numpy as np
import pytest

from nerve import zoo
from nerve.zoo.vgg import vgg_param_count


def test_full_size_counts_without_building():
    assert vgg_param_count(16) == 138_357_544  # VGG16 on 224x224x3, 1000 classes (Keras's VGG16 summary)
    assert vgg_param_count(19) == 143_667_240


@pytest.mark.parametrize("name,depth", [("vgg16", 16), ("vgg19", 19)])
def test_built_model_has_the_counted_parameters(name, depth):
    kwargs = {"input_shape": (3, 32, 32), "num_classes": 10, "fc_units": 16, "width": 1 / 16}
    model = zoo.get(name)(**kwargs)
    convs = [lyr for lyr in model.layers if type(lyr).__name__ == "Conv2D"]
    assert len(convs) == depth - 3 and [c.filters for c in convs][:2] == [4, 4]
    assert model.count_params() == vgg_param_count(depth, **kwargs)
    assert model.predict(np.zeros((2, 3, 32, 32), np.float32)).shape == (2, 10)


def test_too_small_images_are_refused():
    with pytest.raises(ValueError, match="32x32"):
        zoo.vgg16(input_shape=(3, 16, 16))
