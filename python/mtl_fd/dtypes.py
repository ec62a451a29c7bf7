"""Float dtypes a capture stores, and their little-endian byte encodings (NumPy only).

NumPy has no bfloat16: BF16 is encoded here from float32 by rounding to nearest,
ties to even (as torch and the TypeScript writer do) and decoded back to float32.
"""
from __future__ import annotations

from typing import Dict, Sequence

import numpy as np

from .errors import CaptureFormatError

# Every whole-byte dtype safetensors defines, with its size in bytes (dtypes.ts).
SAFETENSORS_DTYPE_SIZES: Dict[str, int] = {
    "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1,
    "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
    "I32": 4, "U32": 4, "F32": 4,
    "I64": 8, "U64": 8, "F64": 8,
}

CAPTURE_DTYPES = ("F32", "F16", "BF16", "F64")

# user-facing names (torch's and NumPy's) for the storage dtypes
_ALIASES = {
    "float32": "F32", "float": "F32", "F32": "F32",
    "float16": "F16", "half": "F16", "F16": "F16",
    "bfloat16": "BF16", "BF16": "BF16",
    "float64": "F64", "double": "F64", "F64": "F64",
}

_NUMPY_STORAGE = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "BF16": "<u2"}


def storage_dtype(name: object) -> str:
    """``"float16"`` -> ``"F16"``; accepts torch dtypes, NumPy names and safetensors names."""
    key = str(name)
    if key.startswith("torch."):
        key = key[len("torch."):]
    if key not in _ALIASES:
        raise CaptureFormatError("dtype", f"{name!r} is not one of float32, float16, bfloat16, float64")
    return _ALIASES[key]


def float32_to_bfloat16_bits(values: np.ndarray) -> np.ndarray:
    """The BF16 bit patterns (uint16) of float32 values, rounded to nearest, ties to even."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    rounded = ((bits.astype(np.uint64) + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(values)
    if nan.any():
        # keep NaN a NaN (rounding could carry a NaN mantissa into infinity)
        rounded = np.where(nan, ((bits >> 16) | 0x0040).astype(np.uint16), rounded)
    return rounded


def bfloat16_bits_to_float32(bits: np.ndarray) -> np.ndarray:
    return (bits.astype(np.uint32) << 16).view(np.float32)


def encode_array(values: np.ndarray, dtype: str) -> bytes:
    """Little-endian bytes of ``values`` stored as ``dtype`` (F32, F16, BF16, F64), C order."""
    if dtype == "BF16":
        if values.dtype == np.uint16:  # already BF16 bit patterns (from torch)
            return np.ascontiguousarray(values, dtype="<u2").tobytes()
        return float32_to_bfloat16_bits(np.asarray(values, dtype=np.float32)).astype("<u2").tobytes()
    with np.errstate(over="ignore"):  # overflow becomes inf, which the writer then reports by tensor name
        return np.ascontiguousarray(values, dtype=_NUMPY_STORAGE[dtype]).tobytes()


def decode_array(data: bytes, dtype: str, shape: Sequence[int]) -> np.ndarray:
    """Values of a stored tensor: F32 -> float32, F64 -> float64, F16 and BF16 widened to float32."""
    raw = np.frombuffer(data, dtype=_NUMPY_STORAGE[dtype])
    if dtype == "BF16":
        values = bfloat16_bits_to_float32(raw)
    elif dtype == "F16":
        values = raw.astype(np.float32)
    else:
        values = raw.astype(raw.dtype.newbyteorder("="), copy=True)
    return values.reshape(tuple(shape))
