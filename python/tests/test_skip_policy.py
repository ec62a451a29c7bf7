"""The conftest's skip policy: SKIPPED with its reason, except under CI=true where a skip fails."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess:
    (tmp_path / "conftest.py").write_text("from skip_policy import pytest_runtest_makereport  # noqa: F401\n")
    (tmp_path / "test_one.py").write_text("import pytest\n\ndef test_needs_x():\n    pytest.skip('x is not installed')\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent), env.get("PYTHONPATH", "")])
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)


def test_a_skip_is_reported_with_its_reason(tmp_path):
    result = _run(tmp_path, ci=False)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout and "x is not installed" in result.stdout


def test_a_skip_fails_under_ci(tmp_path):
    result = _run(tmp_path, ci=True)
    assert result.returncode == 1, result.stdout
    assert "skipped under CI=true" in result.stdout and "x is not installed" in result.stdout
