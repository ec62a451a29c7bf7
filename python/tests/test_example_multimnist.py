"""python/examples/train_multimnist.py: a real conv net trained a few hundred steps on real MNIST
digits, whose captures ``mtl-fd score`` scores and ``mtl-fd diagnose`` reads."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np

from conftest import PYTHON_DIR
from mtl_fd import read_capture

EXAMPLE = PYTHON_DIR / "examples" / "train_multimnist.py"


def test_the_example_trains_on_mnist_and_its_captures_score_and_diagnose(tmp_path, mnist_dir, run_cli):
    run = tmp_path / "multimnist-ew"
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--run-dir", str(run), "--mnist", str(mnist_dir), "--steps", "240",
         "--capture-every", "48", "--train-size", "2000", "--test-size", "400", "--weights", "1,1,0.5"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    accuracy = re.search(r"test: left accuracy ([0-9.]+), right accuracy ([0-9.]+), sum mse ([0-9.]+)", result.stdout)
    assert accuracy, result.stdout
    assert float(accuracy.group(1)) > 0.4 and float(accuracy.group(2)) > 0.4  # learnt: chance is 0.1

    files = sorted((run / "captures").iterdir())
    assert [f.name for f in files] == [f"step-{s:08d}.safetensors" for s in (0, 48, 96, 144, 192, 240)]
    captures = [read_capture(f) for f in files]
    first, last = captures[0], captures[-1]
    assert first.features.shape == (16, 16, 7, 9) and first.meta.layout == "NCHW" and first.meta.tasks == ["left", "right", "sum"]
    assert last.weights == {"left": 1.0, "right": 1.0, "sum": 0.5}
    assert sum(last.losses.values()) < sum(first.losses.values())  # the probe loss fell with training
    assert all(np.all(np.linalg.eigvalsh(c.param_gram) > -1e-9 * np.trace(c.param_gram)) for c in captures)  # a Gram matrix

    # the tidy table goes where diagnose looks for it first (run/metrics.json)
    scored = run_cli("score", str(run), "--format", "json", "--no-cache", "--workers", "0", "--out", str(run / "metrics.json"))
    assert scored.returncode == 0, scored.stderr
    rows = json.loads((run / "metrics.json").read_text())["rows"]
    fd = {r["step"]: r["value"] for r in rows if r["metric"] == "fd"}
    assert sorted(fd) == [0, 48, 96, 144, 192, 240] and all(0 <= v <= 1 for v in fd.values())
    assert {r["metric"] for r in rows} >= {"grad_norm", "param_cos", "loss_ratio"}

    diagnosed = run_cli("diagnose", str(run), "--format", "json")
    assert diagnosed.returncode in (0, 1, 3), diagnosed.stderr  # 2 would mean it could not read the run
    report = json.loads(diagnosed.stdout)
    assert report["version"] == 2 and report["view"] == "unweighted" and isinstance(report["findings"], list)
