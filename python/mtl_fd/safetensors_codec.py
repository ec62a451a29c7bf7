"""The safetensors container, written without the ``safetensors`` package.

Rules follow the reference implementation (huggingface/safetensors, safetensors/src/tensor.rs,
``prepare``): tensors are laid out by descending dtype rank, then by name (byte order);
the header is compact JSON, ``__metadata__`` first, then the tensors in data order, each
as ``{"dtype", "shape", "data_offsets"}``; the header is padded with spaces to a multiple
of 8 bytes and preceded by its length as a little-endian u64.
"""
from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

# The order of the reference's Dtype enum: its sort puts the highest rank first, which
# keeps every tensor aligned to its element size.
_DTYPE_RANK = {
    name: i for i, name in enumerate([
        "BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
        "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32",
        "C64", "F64", "I64", "U64",
    ])
}

HEADER_ALIGNMENT = 8


@dataclass(frozen=True)
class RawTensor:
    """One tensor's dtype name, shape and little-endian bytes."""

    dtype: str
    shape: Tuple[int, ...]
    data: bytes


def tensor_order(tensors: Mapping[str, RawTensor]) -> List[str]:
    """Names in the order the reference writer lays tensors out."""
    def key(name: str) -> Tuple[int, bytes]:
        return (-_DTYPE_RANK[tensors[name].dtype], name.encode("utf-8"))
    return sorted(tensors, key=key)


def _json(value: object) -> str:
    # serde_json's compact form: no spaces, non-ASCII kept as UTF-8
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def encode_header(tensors: Mapping[str, RawTensor], metadata: Optional[Mapping[str, str]]) -> Tuple[bytes, List[str]]:
    """The 8-byte length plus the padded JSON header, and the tensor names in data order."""
    order = tensor_order(tensors)
    entries: Dict[str, object] = {}
    if metadata is not None:
        for k, v in metadata.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise TypeError(f"safetensors metadata maps strings to strings; got {k!r}: {type(v).__name__}")
        entries["__metadata__"] = dict(metadata)
    offset = 0
    for name in order:
        t = tensors[name]
        entries[name] = {"dtype": t.dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(t.data)]}
        offset += len(t.data)
    text = _json(entries).encode("utf-8")
    padded = text + b" " * (-len(text) % HEADER_ALIGNMENT)
    return struct.pack("<Q", len(padded)) + padded, order


def encode_safetensors(tensors: Mapping[str, RawTensor], metadata: Optional[Mapping[str, str]] = None) -> bytes:
    """A whole safetensors file as bytes."""
    prefix, order = encode_header(tensors, metadata)
    return b"".join([prefix, *(tensors[name].data for name in order)])


def element_count(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n
