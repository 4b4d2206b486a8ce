import numpy as np

import nerve
from nerve.demo import main


def test_demo_reaches_the_promised_accuracy_and_writes_model_and_plot(tmp_path, capsys):
    accuracy = main(["--out", str(tmp_path), "--epochs", "15"])
    assert accuracy >= 0.95
    assert "test accuracy" in capsys.readouterr().out
    model = nerve.load_model(tmp_path / "model.npz")
    assert model.predict(np.zeros((1, 64), np.float32)).shape == (1, 10)
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
