"""The package as pyproject.toml declares it: version, contents, dependencies."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import PYTHON_DIR

import mtl_fd


def test_pyproject_declares_this_package_with_torch_and_numpy_only():
    text = (PYTHON_DIR / "pyproject.toml").read_text()
    assert re.search(r'^version = "([^"]+)"$', text, re.M).group(1) == mtl_fd.__version__
    assert re.search(r"^dependencies = \[(.*)\]$", text, re.M).group(1) == '"numpy", "torch"'
    assert 'packages = ["mtl_fd"]' in text
    assert 'build-backend = "setuptools.build_meta"' in text


def test_numpy_users_need_not_load_torch():
    code = "import sys; sys.path.insert(0, sys.argv[1]); import mtl_fd; mtl_fd.write_capture; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code, str(PYTHON_DIR)], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
