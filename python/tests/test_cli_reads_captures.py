"""The real TypeScript CLI reads what the adapter writes, in every storage dtype."""
from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
import torch
from torch import nn

from mtl_fd import CaptureWriter, features_of, read_capture


def _rows(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["rows"]


def _write_run(run_dir, dtype):
    torch.manual_seed(4)
    backbone = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU())
    heads = {"left": nn.Conv2d(4, 3, 1), "right": nn.Conv2d(4, 1, 1)}
    x = torch.randn(3, 1, 6, 5)
    with CaptureWriter(run_dir, tasks=["left", "right"], layout="NCHW", dtype=dtype) as w:
        for step in (0, 10, 20):
            with features_of(backbone, "1") as z:
                backbone(x)
            losses = {t: h(z.value).pow(2).mean() * (step + 1) for t, h in heads.items()}
            w.capture(step, z.value, losses, shared_params=backbone.parameters(), epoch=step // 10,
                      weights={"left": 1.0, "right": 0.5})
    return w.written


@pytest.fixture(scope="module")
def scored(tmp_path_factory, cli):
    """Three runs of the same model stored as float16, bfloat16 and float32, scored in one CLI call."""
    root = tmp_path_factory.mktemp("dtypes")
    written = {dtype: _write_run(root / dtype, dtype) for dtype in ("float16", "bfloat16", "float32")}
    result = subprocess.run([*cli, "score", *(str(root / d) for d in written), "--format", "json", "--no-cache",
                             "--workers", "0", "--granularity", "channel"], capture_output=True, text=True, timeout=120)
    rows = _rows(result)
    return written, {d: [r for r in rows if r["run"] == d] for d in written}


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_mtl_fd_score_reads_half_precision_captures(scored, dtype):
    written, rows = scored
    half = written[dtype]
    rows_half, rows_full = rows[dtype], rows["float32"]
    assert [read_capture(p).dtype for p in half] == [{"float16": "F16", "bfloat16": "BF16"}[dtype]] * 3
    assert rows_half
    assert sorted({r["step"] for r in rows_half if r["metric"] == "fd"}) == [0, 10, 20]
    assert [r["value"] for r in rows_half if r["metric"] == "units"] == [4, 4, 4]  # NCHW read as 4 channels
    assert any(r["metric"].startswith("param_") for r in rows_half)
    # the same model stored in half precision scores like float32, to that precision
    tol = {"float16": 1e-2, "bfloat16": 5e-2}[dtype]
    full_by = {(r["step"], r["metric"], r["task"], r["task_b"]): r["value"] for r in rows_full}
    compared = 0
    for r in rows_half:
        if r["metric"] in ("fd", "grad_norm", "grad_cos") and r["value"] is not None:
            ref = full_by[(r["step"], r["metric"], r["task"], r["task_b"])]
            assert r["value"] == pytest.approx(ref, rel=tol, abs=tol), r
            compared += 1
    assert compared >= 9
    # and the TS reader decodes the values the Python reader decodes: ||g_t|| and sqrt(param_gram_tt)
    c = read_capture(half[-1])
    by = {(r["metric"], r["task"]): r["value"] for r in rows_half if r["step"] == 20}
    for i, t in enumerate(c.meta.tasks):
        assert by[("grad_norm", t)] == pytest.approx(float(np.linalg.norm(c.grads[t].astype(np.float64))), rel=1e-6)
        assert by[("param_norm", t)] == pytest.approx(float(np.sqrt(c.param_gram[i, i])), rel=1e-9)
