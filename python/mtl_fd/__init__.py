"""mtl_fd: write ``mtl-fd/capture@1`` captures from PyTorch (or NumPy) training loops.

    from mtl_fd import CaptureWriter, features_of

The TypeScript toolkit (``mtl-fd score``, ``diagnose``, ``plot``, ``watch``) reads them.
"""
from .capture_file import Capture, read_capture, write_capture
from .capture_rules import CaptureMeta
from .errors import CaptureFormatError, MtlFdError, RunLockedError
from .features import FeatureHook, features_of
from .format_rules import CAPTURE_FORMAT, capture_file_name
from .version import __version__
from .writer import CaptureWriter

__all__ = [
    "CAPTURE_FORMAT", "Capture", "CaptureFormatError", "CaptureMeta", "CaptureWriter", "FeatureHook",
    "MtlFdError", "RunLockedError", "__version__", "capture_file_name", "features_of", "read_capture", "write_capture",
]
