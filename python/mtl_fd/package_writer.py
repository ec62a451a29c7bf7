"""Encoding through the ``safetensors`` package when it is installed (else None)."""
from __future__ import annotations

from typing import Mapping, Optional

from .safetensors_codec import RawTensor


def safetensors_available() -> bool:
    try:
        import safetensors  # noqa: F401
    except ImportError:
        return False
    return True


def encode_with_package(tensors: Mapping[str, RawTensor], metadata: Mapping[str, str]) -> Optional[bytes]:
    """The file's bytes as ``safetensors.torch.save`` (or ``safetensors.numpy.save``) makes them.

    Returns None when the package is not importable, or cannot take these tensors
    (BF16 without torch), so the caller falls back to its own writer.
    """
    try:
        import safetensors  # noqa: F401
    except ImportError:
        return None
    try:
        import torch
        from safetensors.torch import save
    except ImportError:
        return _encode_numpy(tensors, metadata)
    torch_dtypes = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}
    as_torch = {
        name: torch.frombuffer(bytearray(t.data), dtype=torch_dtypes[t.dtype]).reshape(t.shape)
        for name, t in tensors.items()
    }
    return bytes(save(as_torch, metadata=dict(metadata)))


def _encode_numpy(tensors: Mapping[str, RawTensor], metadata: Mapping[str, str]) -> Optional[bytes]:
    import numpy as np
    from safetensors.numpy import save

    kinds = {"F32": "<f4", "F16": "<f2", "F64": "<f8"}
    if any(t.dtype not in kinds for t in tensors.values()):
        return None
    arrays = {name: np.frombuffer(t.data, dtype=kinds[t.dtype]).reshape(t.shape) for name, t in tensors.items()}
    return bytes(save(arrays, metadata=dict(metadata)))
