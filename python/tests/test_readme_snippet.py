"""The five-line use in python/README.md (and the root README) runs as written."""
from __future__ import annotations

import re

import torch

from conftest import PYTHON_DIR, REPO_ROOT
from mtl_fd import read_capture


def five_line_use(text: str) -> str:
    block = re.search(r"<!-- five-line-use:start -->\n```python\n(.*?)```\n<!-- five-line-use:end -->", text, re.S)
    assert block, "the five-line use is missing between its markers"
    return block.group(1)


def test_the_five_line_use_runs_and_writes_a_capture(tmp_path, monkeypatch):
    import train_multimnist as example

    code = five_line_use((PYTHON_DIR / "README.md").read_text())
    assert len([line for line in code.splitlines() if line.strip() and not line.startswith("from ")]) == 6
    monkeypatch.chdir(tmp_path)
    torch.manual_seed(0)
    probe_x = torch.rand(4, 1, example.HEIGHT, example.WIDTH)
    probe_y = {"left": torch.tensor([1, 2, 3, 4]), "right": torch.tensor([0, 9, 8, 7]), "sum": torch.randn(4)}
    namespace = {"model": example.MultiTaskNet(), "probe_x": probe_x, "probe_y": probe_y,
                 "loss_fns": example.loss_fns, "step": 40}
    exec(compile(code, "README five-line use", "exec"), namespace)
    c = read_capture(tmp_path / "runs" / "ew" / "captures" / "step-00000040.safetensors")
    assert c.meta.tasks == ["left", "right", "sum"] and c.features.shape == (4, 16, 7, 9) and c.param_gram.shape == (3, 3)
    assert not (tmp_path / "runs" / "ew" / ".mtl-fd.lock").exists()


def test_the_root_readme_shows_the_same_use_and_points_here():
    root = (REPO_ROOT / "README.md").read_text()
    section = re.search(r"<!-- pytorch-snippet:start -->\n(.*?)<!-- pytorch-snippet:end -->", root, re.S)
    assert section
    assert five_line_use(section.group(1)) == five_line_use((PYTHON_DIR / "README.md").read_text())
    assert "python/README.md" in section.group(1) and "python/examples/" in section.group(1)
