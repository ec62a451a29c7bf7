"""The run directory as the TypeScript tools expect it: run.json, the lock, atomic writes."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys

import pytest
import torch

from mtl_fd import CaptureWriter, RunLockedError, features_of
from mtl_fd.atomic import write_file_atomic
from mtl_fd.liveness import process_start_time

# packages/metrics/src/sweep/leftovers.ts: what `mtl-fd clean` removes
TEMP_FILE_NAME = re.compile(r"^\.(.+)\.([1-9][0-9]{0,9})-([0-9a-f]{6,})\.tmp$")


def test_run_json_and_capture_names(tmp_path):
    run = tmp_path / "ew"
    with CaptureWriter(run, tasks=["left", "right"], layout="NC", shared_layer="backbone") as w:
        manifest = json.loads((run / "run.json").read_text())
        assert manifest["format"] == "mtl-fd/run@1" and manifest["run"] == "ew" and manifest["layout"] == "NC"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", manifest["createdAt"])
        assert [t["task"] for t in manifest["tasks"]] == ["left", "right"]
        assert manifest["producer"].startswith("mtl_fd ") and "pytorch" in manifest["producer"]
        assert set(manifest) >= {"model", "sharedLayer", "options", "backend", "versions"}
        assert "finishedAt" not in manifest  # still training
        z = torch.randn(3, 4, requires_grad=True)
        path = w.capture(1200, z, {"left": z.sum(), "right": (z ** 2).sum()}, epoch=2)
    assert os.path.basename(path) == "step-00001200.safetensors"
    manifest = json.loads((run / "run.json").read_text())
    assert manifest["sharedLayer"] == {"name": "backbone", "className": None, "outputShape": [None, 4]}
    assert manifest["options"]["paramGram"] is False
    assert manifest["finishedAt"] >= manifest["createdAt"]  # close() says training ended (mtl-fd watch stops on it)
    assert sorted(os.listdir(run)) == ["captures", "run.json"]  # lock released, no temp files


def test_the_lock_holds_the_ts_fields_and_refuses_a_second_writer(tmp_path):
    run = tmp_path / "run"
    first = CaptureWriter(run, tasks=["a", "b"], layout="NC")
    info = json.loads((run / ".mtl-fd.lock").read_text())
    assert info["pid"] == os.getpid() and info["host"] == socket.gethostname()
    assert info["procStart"] == process_start_time(os.getpid()) and info["procStart"] is not None
    assert info["owner"].startswith("mtl_fd CaptureWriter") and re.fullmatch(r"[0-9a-f]{16}", info["nonce"])
    assert set(info) == {"pid", "host", "owner", "startedAt", "procStart", "nonce"}
    with pytest.raises(RunLockedError, match=f"locked by '{re.escape(info['owner'])}' \\(pid {os.getpid()}"):
        CaptureWriter(run, tasks=["a", "b"], layout="NC")
    first.close()
    assert not (run / ".mtl-fd.lock").exists()
    CaptureWriter(run, tasks=["a", "b"], layout="NC").close()  # free again


def test_a_second_process_is_refused_while_the_first_writes(tmp_path):
    run = tmp_path / "run"
    with CaptureWriter(run, tasks=["a", "b"], layout="NC"):
        code = ("import sys; sys.path.insert(0, sys.argv[2]); from mtl_fd import RunLockedError\n"
                "from mtl_fd.run_lock import acquire_run_lock\n"
                "try:\n    acquire_run_lock(sys.argv[1], 'second')\nexcept RunLockedError as e:\n    print(e); sys.exit(3)\n")
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        result = subprocess.run([sys.executable, "-c", code, str(run), here], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    assert "another training writes to it" in result.stdout


def test_a_stale_lock_is_taken_over_with_a_warning(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = {"pid": dead.pid, "host": socket.gethostname(), "owner": "mtl-fd hooks: train.ts",
             "startedAt": "2026-01-01T00:00:00.000Z", "procStart": "123", "nonce": "00ff00ff00ff00ff"}
    (run / ".mtl-fd.lock").write_text(json.dumps(stale) + "\n")
    with pytest.warns(UserWarning, match="took over the stale lock"):
        w = CaptureWriter(run, tasks=["a", "b"], layout="NC")
    assert json.loads((run / ".mtl-fd.lock").read_text())["pid"] == os.getpid()
    w.close()
    assert sorted(os.listdir(run)) == ["run.json"]


def test_a_foreign_or_unreadable_lock_is_left_alone(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    lock = run / ".mtl-fd.lock"
    lock.write_text(json.dumps({"pid": 1, "host": "elsewhere", "owner": "x", "startedAt": "", "procStart": None, "nonce": "ab"}))
    with pytest.raises(RunLockedError, match="another host"):
        CaptureWriter(run, tasks=["a", "b"], layout="NC")
    lock.write_text("not json")
    with pytest.raises(RunLockedError, match="not readable"):
        CaptureWriter(run, tasks=["a", "b"], layout="NC")
    assert lock.read_text() == "not json"


def test_close_leaves_a_lock_that_is_no_longer_ours(tmp_path):
    run = tmp_path / "run"
    w = CaptureWriter(run, tasks=["a", "b"], layout="NC")
    lock = run / ".mtl-fd.lock"
    other = {**json.loads(lock.read_text()), "nonce": "1234567890abcdef"}
    lock.write_text(json.dumps(other))
    w.close()
    assert json.loads(lock.read_text())["nonce"] == "1234567890abcdef"


def test_an_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "step-00000001.safetensors"
    seen = []
    real_fsync = os.fsync

    def failing_fsync(fd):
        seen.extend(os.listdir(tmp_path))
        raise OSError(5, "simulated I/O error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="simulated"):
        write_file_atomic(str(target), b"x" * 1000)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert len(seen) == 1 and TEMP_FILE_NAME.match(seen[0])
    m = TEMP_FILE_NAME.match(seen[0])
    assert m.group(1) == target.name and int(m.group(2)) == os.getpid()
    assert list(tmp_path.iterdir()) == []
    write_file_atomic(str(target), b"complete")
    assert target.read_bytes() == b"complete" and [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_killed_writer_leaves_only_a_temp_file_that_mtl_fd_clean_removes(tmp_path, run_cli):
    run = tmp_path / "run"
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # a writer killed between its write and its rename (os._exit skips every clean-up)
    code = ("import os, sys; sys.path.insert(0, sys.argv[2]); import mtl_fd.atomic as a\n"
            "os.replace = lambda *x: os._exit(9)\n"
            "os.makedirs(os.path.join(sys.argv[1], 'captures'))\n"
            "a.write_file_atomic(os.path.join(sys.argv[1], 'captures', 'step-00000005.safetensors'), b'x' * 100)\n")
    result = subprocess.run([sys.executable, "-c", code, str(run), here], capture_output=True, text=True, timeout=60)
    assert result.returncode == 9, result.stderr
    left = os.listdir(run / "captures")
    assert len(left) == 1 and TEMP_FILE_NAME.match(left[0]) and not (run / "captures" / "step-00000005.safetensors").exists()
    cleaned = run_cli("clean", str(run))
    assert cleaned.returncode == 0, cleaned.stderr + cleaned.stdout
    assert os.listdir(run / "captures") == []


def test_features_of_errors_name_tuple_outputs_and_unknown_names():
    class Pair(torch.nn.Module):
        def forward(self, x):
            return x, x * 2

    model = torch.nn.Sequential(torch.nn.Linear(2, 2), Pair())
    with pytest.raises(KeyError, match="no submodule 'body'.*'0', '1'"):
        features_of(model, "body")
    with features_of(model, "1") as z:
        with pytest.raises(TypeError, match=r"features_of\('1'\): the submodule returned a tuple of 2 \(Tensor, Tensor\)"):
            model(torch.ones(1, 2))
    with features_of(model, "0") as z:
        with pytest.raises(RuntimeError, match="no forward pass"):
            z.value
        model[0](torch.ones(1, 2))
    assert z.value.shape == (1, 2) and z.value.requires_grad
    model[0](torch.ones(3, 2))  # the hook is gone after the block
    assert z.value.shape == (1, 2)
