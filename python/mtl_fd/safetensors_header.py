"""Structural checks of a safetensors header, as packages/metrics/src/capture/safetensorsHeader.ts makes them."""
from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Dict, List, Optional

from .dtypes import SAFETENSORS_DTYPE_SIZES
from .errors import CaptureFormatError
from .format_rules import MAX_SAFE_INTEGER
from .safetensors_codec import element_count

MAX_HEADER_BYTES = 100_000_000


@dataclass(frozen=True)
class TensorEntry:
    """One tensor as the header declares it; ``begin``/``end`` are relative to the data section."""

    name: str
    dtype: str
    shape: List[int]
    begin: int
    end: int


@dataclass(frozen=True)
class SafetensorsHeader:
    data_start: int
    metadata: Optional[Dict[str, str]]
    tensors: List[TensorEntry]


def read_header_length(file: str, prefix: bytes, file_size: int) -> int:
    """The header length, checked against the 100 MB limit and the file size before it is read."""
    if file_size < 8 or len(prefix) < 8:
        raise CaptureFormatError(file, f"file is {file_size} bytes, too short for a safetensors header (needs at least 8)")
    (length,) = struct.unpack("<Q", prefix[:8])
    if length > MAX_HEADER_BYTES:
        raise CaptureFormatError(file, f"header length {length} is over the {MAX_HEADER_BYTES // 1_000_000} MB limit")
    if length > file_size - 8:
        raise CaptureFormatError(file, f"header length {length} is larger than the file ({file_size} bytes)")
    return length


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _no_duplicates(file: str):
    def hook(pairs):
        out = {}
        for k, v in pairs:
            if k in out:
                raise CaptureFormatError(file, f"header has the key {k!r} twice")
            out[k] = v
        return out
    return hook


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _count(v: object) -> Optional[int]:
    """A JSON number that is a non-negative safe integer (2.0 counts, as in JavaScript)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and 0 <= v <= MAX_SAFE_INTEGER:
        return v
    return None


def parse_header(file: str, header_bytes: bytes, file_size: int) -> SafetensorsHeader:
    """A header whose tensors have known dtypes and offsets that tile the data section exactly."""
    data_start = 8 + len(header_bytes)
    data_size = file_size - data_start
    try:
        text = header_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise CaptureFormatError(file, "header is not valid UTF-8") from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates(file), parse_constant=_reject_constant)
    except CaptureFormatError:
        raise
    except ValueError as err:
        raise CaptureFormatError(file, f"header is not valid JSON ({err})") from None
    if not isinstance(value, dict):
        raise CaptureFormatError(file, f"header is not a JSON object (it is {_kind(value)})")
    metadata: Optional[Dict[str, str]] = None
    tensors: List[TensorEntry] = []
    for name, entry in value.items():
        if name == "__metadata__":
            metadata = _parse_metadata(file, entry)
        else:
            tensors.append(_parse_entry(file, name, entry))
    _check_tiling(file, tensors, data_size)
    for t in tensors:
        nbytes = element_count(t.shape) * SAFETENSORS_DTYPE_SIZES[t.dtype]
        if nbytes != t.end - t.begin:
            raise CaptureFormatError(
                file,
                f"tensor {t.name!r} has shape {t.shape} of {t.dtype} ({nbytes} bytes) but its data_offsets span {t.end - t.begin} bytes",
            )
    return SafetensorsHeader(data_start, metadata, tensors)


def _parse_metadata(file: str, value: object) -> Dict[str, str]:
    if not isinstance(value, dict):
        raise CaptureFormatError(file, f"__metadata__ is {_kind(value)}, not a JSON object")
    for k, v in value.items():
        if not isinstance(v, str):
            raise CaptureFormatError(file, f"metadata key {k!r} holds {_kind(v)}; safetensors metadata values must be strings")
    return dict(value)


def _parse_entry(file: str, name: str, value: object) -> TensorEntry:
    where = f"tensor {name!r}"
    if not isinstance(value, dict):
        raise CaptureFormatError(file, f"{where} is {_kind(value)}, not an object with dtype, shape and data_offsets")
    dtype = value.get("dtype")
    if not isinstance(dtype, str):
        raise CaptureFormatError(file, f"{where} has no dtype string")
    if dtype not in SAFETENSORS_DTYPE_SIZES:
        raise CaptureFormatError(file, f"{where} has unknown dtype {dtype!r}")
    shape = value.get("shape")
    dims = [_count(d) for d in shape] if isinstance(shape, list) else None
    if dims is None or any(d is None for d in dims):
        raise CaptureFormatError(file, f"{where} has a shape that is not an array of non-negative integers")
    offsets = value.get("data_offsets")
    pair = [_count(o) for o in offsets] if isinstance(offsets, list) and len(offsets) == 2 else None
    if pair is None or pair[0] is None or pair[1] is None or pair[0] > pair[1]:
        raise CaptureFormatError(file, f"{where} has data_offsets that are not [begin, end] with 0 <= begin <= end")
    return TensorEntry(name, dtype, dims, pair[0], pair[1])  # type: ignore[arg-type]


def _check_tiling(file: str, tensors: List[TensorEntry], data_size: int) -> None:
    for t in tensors:
        if t.end > data_size:
            raise CaptureFormatError(
                file,
                f"tensor {t.name!r} runs past the end of the file (data_offsets end at {t.end}, the data section holds {data_size} bytes)",
            )
    position = 0
    previous: Optional[TensorEntry] = None
    for t in sorted(tensors, key=lambda t: (t.begin, t.end)):
        if t.begin < position:
            raise CaptureFormatError(file, f"tensors {previous.name!r} and {t.name!r} overlap (bytes {t.begin} to {position} of the data section)")  # type: ignore[union-attr]
        if t.begin > position:
            after = f"between tensors {previous.name!r} and" if previous else "before tensor"
            raise CaptureFormatError(file, f"gap of {t.begin - position} bytes {after} {t.name!r} in the data section")
        position = t.end
        previous = t
    if position < data_size:
        raise CaptureFormatError(file, f"{data_size - position} bytes at the end of the data section belong to no tensor (a gap)")
