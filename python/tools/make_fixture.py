"""Writes a small run of real-PyTorch NCHW captures (the fixture in fixtures/pytorch/pytorch-demo/).

A two-task conv net (tasks ``seg``, 3-class per-pixel cross-entropy, and ``depth``, per-pixel
L1) with a shared backbone of 8 then 16 channels on 16 x 16 inputs, trained 100 SGD
steps on a synthetic task; captures at steps 0, 50 and 100 of a probe batch of 2:
NCHW features [2, 16, 8, 8] float32, ``grad.*``, ``loss.*``, ``param_gram``. The same
form as fixtures/pytorch-twin/ (which a TensorFlow.js twin made), here from torch itself.

    /usr/bin/python3 python/tools/make_fixture.py fixtures/pytorch/pytorch-demo

Deterministic (seeded, one thread): captures come out the same on a re-run with the
same torch; only run.json's createdAt changes.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mtl_fd import CaptureWriter, features_of  # noqa: E402

TASKS = ["seg", "depth"]


class TwoTaskNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),
        )
        self.heads = nn.ModuleDict({"seg": nn.Conv2d(16, 3, 1), "depth": nn.Conv2d(16, 1, 1)})

    def forward(self, x: torch.Tensor) -> dict:
        z = self.backbone(x)
        return {t: h(z) for t, h in self.heads.items()}


def task_losses(outputs: dict, targets: dict) -> dict:
    return {"seg": F.cross_entropy(outputs["seg"], targets["seg"]), "depth": F.l1_loss(outputs["depth"], targets["depth"])}


def make_batch(n: int, generator: torch.Generator):
    x = torch.randn(n, 3, 16, 16, generator=generator)
    half = x[:, :, ::2, ::2]  # targets at the features' 8 x 8 resolution
    seg = (half[:, 0] > 0).long() + (half[:, 1] > 0).long()
    return x, {"seg": seg, "depth": half[:, :1].abs()}


def make_run(run_dir: str, steps: int = 100, every: int = 50) -> list:
    """Trains and captures into ``run_dir`` (replaced if it exists); returns the capture paths."""
    torch.manual_seed(0)
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(100)
    shutil.rmtree(run_dir, ignore_errors=True)
    model = TwoTaskNet()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    probe_x, probe_y = make_batch(2, generator)
    with CaptureWriter(run_dir, tasks=TASKS, layout="NCHW", shared_layer="backbone") as writer:
        for step in range(steps + 1):
            if step % every == 0:
                with features_of(model, "backbone") as z:
                    outputs = model(probe_x)
                writer.capture(step, z.value, task_losses(outputs, probe_y), shared_params=model.backbone.parameters())
            x, y = make_batch(32, generator)
            loss = sum(task_losses(model(x), y).values())
            opt.zero_grad()
            loss.backward()
            opt.step()
    return writer.written


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("fixtures", "pytorch", "pytorch-demo")
    for path in make_run(out):
        print("wrote", path, os.path.getsize(path), "bytes")
