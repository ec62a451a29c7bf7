"""mtl_fd: write ``mtl-fd/capture@1`` captures from PyTorch (or NumPy) training loops.

    from mtl_fd import CaptureWriter, features_of

The TypeScript toolkit (``mtl-fd score``, ``diagnose``, ``plot``, ``watch``) reads them.
``write_capture`` and ``read_capture`` need only NumPy: torch is imported on first use
of ``CaptureWriter`` or ``features_of``, so JAX or NumPy users need not have it loaded.
"""
from typing import Any

from .capture_file import Capture, read_capture, write_capture
from .capture_rules import CaptureMeta
from .errors import CaptureFormatError, MtlFdError, RunLockedError
from .format_rules import CAPTURE_FORMAT, capture_file_name
from .version import __version__

_TORCH_NAMES = {"CaptureWriter": "writer", "features_of": "features", "FeatureHook": "features"}


def __getattr__(name: str) -> Any:
    if name in _TORCH_NAMES:
        import importlib

        return getattr(importlib.import_module(f".{_TORCH_NAMES[name]}", __name__), name)
    raise AttributeError(f"module 'mtl_fd' has no attribute {name!r}")


__all__ = [
    "CAPTURE_FORMAT", "Capture", "CaptureFormatError", "CaptureMeta", "CaptureWriter", "FeatureHook",
    "MtlFdError", "RunLockedError", "__version__", "capture_file_name", "features_of", "read_capture", "write_capture",
]
