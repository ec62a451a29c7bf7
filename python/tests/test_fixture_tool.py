"""python/tools/make_fixture.py remakes the committed real-PyTorch fixture (fixtures/pytorch/pytorch-demo/)."""
from __future__ import annotations

import importlib.util

import numpy as np

from conftest import PYTHON_DIR, REPO_ROOT
from mtl_fd import read_capture

FIXTURE = REPO_ROOT / "fixtures" / "pytorch" / "pytorch-demo"


def _header(data: bytes) -> bytes:
    """The 8-byte length and the JSON header of a safetensors file."""
    return data[: 8 + int.from_bytes(data[:8], "little")]


def test_the_tool_remakes_the_committed_fixture(tmp_path, run_cli):
    spec = importlib.util.spec_from_file_location("make_fixture", PYTHON_DIR / "tools" / "make_fixture.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    written = tool.make_run(str(tmp_path / "pytorch-demo"))
    committed = sorted((FIXTURE / "captures").iterdir())
    assert [p.name for p in committed] == ["step-00000000.safetensors", "step-00000050.safetensors", "step-00000100.safetensors"]
    assert sum(p.stat().st_size for p in committed) < 100_000
    for fresh_path, old_path in zip(written, committed):
        fresh, old = read_capture(fresh_path), read_capture(old_path)
        assert old.features.shape == (2, 16, 8, 8) and old.meta.layout == "NCHW" and old.meta.tasks == ["seg", "depth"]
        assert old.meta.run == "pytorch-demo" and set(old.losses) == {"seg", "depth"} and old.param_gram.shape == (2, 2)
        # training on another CPU drifts in the last bits over its steps: close, not equal
        np.testing.assert_allclose(fresh.features, old.features, rtol=1e-3, atol=1e-4)
        for t in old.grads:
            np.testing.assert_allclose(fresh.grads[t], old.grads[t], rtol=1e-3, atol=1e-5)
        if fresh.meta.producer == old.meta.producer:
            # The same torch writes the same header to the byte; the tensors' last bits
            # depend on the CPU's kernels (checked to be close above), so only the header is
            # compared exactly.
            assert _header(open(fresh_path, "rb").read()) == _header(old_path.read_bytes())
    scored = run_cli("score", str(FIXTURE), "--no-cache", "--workers", "0", "--granularity", "channel")
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout.count(",units,,,16") == 3  # channels-first: 16 channels seen
    assert not (FIXTURE / ".mtl-fd-cache").exists()
