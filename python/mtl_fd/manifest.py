"""``run.json``, with the fields the TypeScript hooks write (packages/hooks/src/run/manifest.ts)."""
from __future__ import annotations

import platform
from typing import Mapping, Optional, Sequence

import numpy as np
import torch

from .format_rules import RUN_FORMAT
from .run_lock import iso_now
from .version import __version__


def producer() -> str:
    """The ``producer`` metadata of captures the adapter writes."""
    return f"mtl_fd {__version__} (pytorch {torch.__version__})"


def build_manifest(
    run: str,
    tasks: Sequence[str],
    layout: str,
    created_at: Optional[str] = None,
    shared_layer: Optional[str] = None,
    output_shape: Optional[Sequence[Optional[int]]] = None,
    options: Optional[Mapping[str, object]] = None,
    device: str = "cpu",
) -> dict:
    """What a run's captures are captures of. The model's own inputs and outputs are not known to
    the adapter (it sees only the features and the losses), so ``model`` names no layers."""
    return {
        "format": RUN_FORMAT,
        "run": run,
        "createdAt": created_at or iso_now(),
        "producer": producer(),
        "model": {"name": None, "inputs": [], "outputs": []},
        "sharedLayer": {"name": shared_layer, "className": None, "outputShape": list(output_shape) if output_shape else None},
        "layout": layout,
        "tasks": [{"task": t, "output": t, "loss": None} for t in tasks],
        "options": dict(options or {}),
        "backend": {"name": f"pytorch-{device}", "kernelFixes": []},
        "versions": {"mtl_fd": __version__, "torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version()},
    }
