"""The ``mtl-fd/capture@1`` rules on top of a valid safetensors header (captureMetadata.ts, captureHeader.ts)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional

from .dtypes import CAPTURE_DTYPES
from .errors import CaptureFormatError
from .format_rules import (
    CAPTURE_FORMAT, FEATURES_TENSOR, GRAD_PREFIX, LAYOUT_RANK, LAYOUTS, LOSS_PREFIX, MAX_SAFE_INTEGER,
    PARAM_GRAM_TENSOR, REQUIRED_METADATA_KEYS, WEIGHT_PREFIX, check_free_text, check_tasks, grad_tensor_name,
)
from .safetensors_header import SafetensorsHeader, TensorEntry


@dataclass
class CaptureMeta:
    """A capture's validated ``__metadata__``."""

    step: int
    tasks: List[str]
    layout: str
    epoch: Optional[int] = None
    run: Optional[str] = None
    producer: Optional[str] = None
    format: str = CAPTURE_FORMAT


@dataclass
class CaptureLayout:
    """Which header entry holds which part of a capture."""

    meta: CaptureMeta
    dtype: str
    features: TensorEntry
    grads: List[TensorEntry]
    losses: Dict[str, TensorEntry] = field(default_factory=dict)
    weights: Dict[str, TensorEntry] = field(default_factory=dict)
    param_gram: Optional[TensorEntry] = None


def parse_metadata(file: str, metadata: Optional[Mapping[str, str]]) -> CaptureMeta:
    if metadata is None:
        raise CaptureFormatError(file, f"not an mtl-fd capture: the header has no __metadata__ (needs {', '.join(REQUIRED_METADATA_KEYS)})")
    if "format" not in metadata:
        raise CaptureFormatError(file, 'not an mtl-fd capture: metadata has no "format" key')
    if metadata["format"] != CAPTURE_FORMAT:
        raise CaptureFormatError(file, f'metadata format is {metadata["format"]!r}, expected "{CAPTURE_FORMAT}"')
    for key in REQUIRED_METADATA_KEYS:
        if key not in metadata:
            raise CaptureFormatError(file, f'metadata has no "{key}" key (required by {CAPTURE_FORMAT})')
    step = _integer(metadata["step"], r"[0-9]+")
    if step is None:
        raise CaptureFormatError(file, f"metadata step {metadata['step']!r} is not a non-negative decimal integer")
    try:
        tasks = json.loads(metadata["tasks"])
    except ValueError:
        tasks = None
    if not isinstance(tasks, list):
        raise CaptureFormatError(file, f"metadata tasks {metadata['tasks']!r} is not a JSON array of task names")
    tasks = check_tasks(file, tasks)
    layout = metadata["layout"]
    if layout not in LAYOUTS:
        raise CaptureFormatError(file, f"metadata layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    for key in ("run", "producer"):
        if key in metadata:
            check_free_text(file, key, metadata[key])
    meta = CaptureMeta(step=step, tasks=tasks, layout=layout, run=metadata.get("run"), producer=metadata.get("producer"))
    if "epoch" in metadata:
        meta.epoch = _integer(metadata["epoch"], r"-?[0-9]+")
        if meta.epoch is None:
            raise CaptureFormatError(file, f"metadata epoch {metadata['epoch']!r} is not a decimal integer")
    return meta


def _integer(text: str, pattern: str) -> Optional[int]:
    if re.fullmatch(pattern, text) is None:
        return None
    value = int(text)
    return value if abs(value) <= MAX_SAFE_INTEGER else None


def _float_dtype(file: str, t: TensorEntry, allowed=CAPTURE_DTYPES) -> str:
    if t.dtype not in allowed:
        choices = "F32, F16, BF16 or F64" if allowed == CAPTURE_DTYPES else " or ".join(allowed)
        raise CaptureFormatError(file, f"tensor {t.name!r} has dtype {t.dtype}; it must be {choices}")
    return t.dtype


def _scalar(file: str, t: TensorEntry, what: str) -> TensorEntry:
    _float_dtype(file, t)
    if not (t.shape == [] or t.shape == [1]):
        raise CaptureFormatError(file, f"tensor {t.name!r} has shape {t.shape}; a {what} must have shape [] or [1]")
    return t


def validate_capture(file: str, header: SafetensorsHeader) -> CaptureLayout:
    """Applies every capture rule; tensors with other names are ignored, as the TypeScript reader does."""
    meta = parse_metadata(file, header.metadata)
    tasks = meta.tasks
    by_name = {t.name: t for t in header.tensors}
    feat = by_name.get(FEATURES_TENSOR)
    if feat is None:
        raise CaptureFormatError(file, f'missing required tensor "{FEATURES_TENSOR}"')
    dtype = _float_dtype(file, feat)
    rank = LAYOUT_RANK[meta.layout]
    if len(feat.shape) != rank:
        raise CaptureFormatError(
            file, f"layout {meta.layout} needs features of rank {rank}, but features has shape {feat.shape} (rank {len(feat.shape)})")
    if any(d < 1 for d in feat.shape):
        raise CaptureFormatError(file, f"features has shape {feat.shape}: every dimension must be at least 1")
    for t in header.tensors:
        for prefix in (GRAD_PREFIX, LOSS_PREFIX, WEIGHT_PREFIX):
            if t.name.startswith(prefix) and t.name[len(prefix):] not in tasks:
                raise CaptureFormatError(file, f"tensor {t.name!r} names no task in metadata tasks {json.dumps(tasks)}")
    grads = []
    for task in tasks:
        g = by_name.get(grad_tensor_name(task))
        if g is None:
            raise CaptureFormatError(file, f'missing tensor "{grad_tensor_name(task)}" for task "{task}" listed in metadata tasks')
        if g.shape != feat.shape:
            raise CaptureFormatError(file, f'tensor "{g.name}" has shape {g.shape} but features has {feat.shape}')
        if g.dtype != dtype:
            raise CaptureFormatError(file, f'tensor "{g.name}" is {g.dtype} but features is {dtype}; gradients must be stored in the features\' dtype')
        grads.append(g)
    layout = CaptureLayout(meta=meta, dtype=dtype, features=feat, grads=grads)
    for task in tasks:
        if LOSS_PREFIX + task in by_name:
            layout.losses[task] = _scalar(file, by_name[LOSS_PREFIX + task], "loss")
        if WEIGHT_PREFIX + task in by_name:
            layout.weights[task] = _scalar(file, by_name[WEIGHT_PREFIX + task], "weight")
    if layout.weights and len(layout.weights) != len(tasks):
        missing = [t for t in tasks if t not in layout.weights]
        raise CaptureFormatError(file, f"weight.* tensors are all present or none; missing {', '.join(WEIGHT_PREFIX + t for t in missing)}")
    gram = by_name.get(PARAM_GRAM_TENSOR)
    if gram is not None:
        _float_dtype(file, gram, ("F32", "F64"))
        T = len(tasks)
        if gram.shape != [T, T]:
            raise CaptureFormatError(file, f'tensor "{PARAM_GRAM_TENSOR}" has shape {gram.shape} but metadata tasks lists {T} tasks (needs [{T}, {T}])')
        layout.param_gram = gram
    return layout
