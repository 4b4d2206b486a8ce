"""flow_from_directory and load_image on a generated folder of PNGs, including broken files."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from PIL import Image

from nerve.datasets import DirectoryIterator, ImageDataGenerator, load_image

RED, BLUE = (200, 10, 10), (10, 10, 200)


def _png(path, color, size=(12, 10)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path)  # size is (width, height)


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "train"
    for i in range(3):
        _png(root / "cat" / f"cat{i}.png", RED)
    for i in range(2):
        _png(root / "dog" / f"dog{i}.png", BLUE)
    (root / "cat" / ".DS_Store").write_bytes(b"hidden files are ignored")
    return root


def test_class_indices_filenames_and_batches(folder):
    it = ImageDataGenerator(rescale=1 / 255).flow_from_directory(folder, target_size=(8, 6), batch_size=2,
                                                                 shuffle=False)
    assert it.class_indices == {"cat": 0, "dog": 1}
    assert it.samples == 5 and len(it) == 3 and it.num_classes == 2
    assert it.filenames == ["cat/cat0.png", "cat/cat1.png", "cat/cat2.png", "dog/dog0.png", "dog/dog1.png"]
    np.testing.assert_array_equal(it.classes, [0, 0, 0, 1, 1])
    batches = [next(it) for _ in range(4)]
    x, y = batches[0]
    assert x.shape == (2, 3, 8, 6) and x.dtype == np.float32
    np.testing.assert_array_equal(y, [[1, 0], [1, 0]])
    np.testing.assert_allclose(x[0, :, 0, 0], np.array(RED) / 255, rtol=1e-6)
    x, y = batches[2]
    assert len(x) == 1 and y.tolist() == [[0, 1]]
    np.testing.assert_allclose(x[0, :, 3, 3], np.array(BLUE) / 255, rtol=1e-6)
    assert batches[3][0].shape == (2, 3, 8, 6)  # endless: the next epoch starts


@pytest.mark.parametrize("mode, expected", [("binary", [0.0, 0.0, 0.0, 1.0, 1.0]), ("sparse", [0, 0, 0, 1, 1])])
def test_binary_and_sparse_labels(folder, mode, expected):
    it = ImageDataGenerator().flow_from_directory(folder, target_size=(4, 4), class_mode=mode, batch_size=5,
                                                  shuffle=False)
    _, y = next(it)
    assert y.tolist() == expected and y.dtype == (np.float32 if mode == "binary" else np.int64)


def test_grayscale_no_labels_shuffled_and_augmented(folder):
    gen = ImageDataGenerator(horizontal_flip=True, rotation_range=10, seed=0)
    it = gen.flow_from_directory(folder, target_size=(5, 5), color_mode="grayscale", class_mode=None,
                                 batch_size=5, seed=1)
    x = next(it)
    assert x.shape == (5, 1, 5, 5)
    gray = {round(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) for c in (RED, BLUE)}
    assert set(np.unique(np.round(x[:, 0, 2, 2]))) <= gray  # uniform images stay uniform under the warp


def test_explicit_classes_select_folders(folder):
    it = DirectoryIterator(folder, target_size=(4, 4), classes=["dog"], batch_size=8)
    assert it.class_indices == {"dog": 0} and it.samples == 2
    x, y = next(it)  # no generator: plain float32 pixels
    assert x.max() == 200 and y.shape == (2, 1)


def test_corrupt_image_is_named_or_skipped(folder):
    bad = folder / "dog" / "broken.png"
    bad.write_bytes(b"this is not a png")
    gen = ImageDataGenerator()
    with pytest.raises(ValueError, match="broken.png: not a readable image file"):
        gen.flow_from_directory(folder, target_size=(4, 4))
    with pytest.warns(UserWarning, match="broken.png"):
        it = gen.flow_from_directory(folder, target_size=(4, 4), skip_invalid=True)
    assert it.samples == 5 and "dog/broken.png" not in it.filenames


def test_non_image_file_is_named_or_skipped(folder):
    (folder / "cat" / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match=r"notes.txt: not an image file \(extension '.txt'\)"):
        ImageDataGenerator().flow_from_directory(folder, target_size=(4, 4))
    with pytest.warns(UserWarning, match="notes.txt"):
        assert ImageDataGenerator().flow_from_directory(folder, target_size=(4, 4), skip_invalid=True).samples == 5


def test_truncated_png_is_named_when_decoded_and_skipped_when_asked(folder):
    good = (folder / "cat" / "cat0.png").read_bytes()
    big = folder / "dog" / "truncated.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (40, 40, 3), dtype=np.uint8)).save(big)
    big.write_bytes(big.read_bytes()[:200])
    assert good[:8] == big.read_bytes()[:8]  # the header still looks fine
    it = ImageDataGenerator().flow_from_directory(folder, target_size=(4, 4), batch_size=6, shuffle=False)
    with pytest.raises(ValueError, match="truncated.png: not a readable image"):
        next(it)
    with pytest.warns(UserWarning, match="truncated.png"):
        assert ImageDataGenerator().flow_from_directory(folder, target_size=(4, 4), skip_invalid=True).samples == 5


def test_directory_errors_are_clear(tmp_path, folder):
    gen = ImageDataGenerator()
    with pytest.raises(FileNotFoundError, match="no such directory"):
        gen.flow_from_directory(tmp_path / "nope")
    with pytest.raises(ValueError, match="found none"):
        gen.flow_from_directory(tmp_path / "train" / "cat")
    with pytest.raises(ValueError, match="exactly 2 classes"):
        gen.flow_from_directory(folder, classes=["cat"], class_mode="binary")
    with pytest.raises(ValueError, match="class_mode"):
        gen.flow_from_directory(folder, class_mode="one-hot")
    with pytest.raises(ValueError, match="color_mode"):
        gen.flow_from_directory(folder, color_mode="cmyk")
    with pytest.raises(ValueError, match="target_size"):
        gen.flow_from_directory(folder, target_size=(0, 4))
    (tmp_path / "empty" / "a").mkdir(parents=True)
    with pytest.raises(ValueError, match="found no images"):
        gen.flow_from_directory(tmp_path / "empty")


def test_load_image_for_prediction(folder):
    path = folder / "dog" / "dog0.png"
    x = load_image(path)
    assert x.shape == (3, 10, 12) and x.dtype == np.float32
    np.testing.assert_array_equal(x[:, 0, 0], BLUE)
    x = load_image(path, target_size=(4, 5), color_mode="grayscale", rescale=1 / 255)
    assert x.shape == (1, 4, 5) and 0 < x.max() <= 1
    with pytest.raises(FileNotFoundError, match="missing.png"):
        load_image(folder / "missing.png")


def test_without_pillow_the_extra_is_named(folder, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r"nerve\[images\]"):
        load_image(folder / "dog" / "dog0.png")
