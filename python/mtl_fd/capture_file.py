"""Writing and reading one capture file (``write_capture``, ``read_capture``)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional, Sequence

import numpy as np

from .atomic import write_file_atomic
from .capture_rules import CaptureMeta, validate_capture
from .dtypes import decode_array, encode_array, storage_dtype
from .errors import CaptureFormatError
from .format_rules import (
    CAPTURE_FORMAT, FEATURES_TENSOR, LAYOUT_RANK, OPTIONAL_METADATA_KEYS, PARAM_GRAM_TENSOR,
    REQUIRED_METADATA_KEYS, check_free_text, check_layout, check_step, check_tasks, grad_tensor_name, loss_tensor_name,
    tasks_metadata, weight_tensor_name,
)
from .package_writer import encode_with_package
from .safetensors_codec import RawTensor, encode_safetensors
from .safetensors_header import parse_header, read_header_length
from .version import __version__


@dataclass
class Capture:
    """One capture read back: NumPy arrays (F16/BF16 widened to float32) and its metadata."""

    path: str
    meta: CaptureMeta
    dtype: str
    features: np.ndarray
    grads: Dict[str, np.ndarray]
    losses: Dict[str, float] = field(default_factory=dict)
    weights: Dict[str, float] = field(default_factory=dict)
    param_gram: Optional[np.ndarray] = None
    metadata: Dict[str, str] = field(default_factory=dict)


def _scalar_tensor(file: str, name: str, value: object) -> RawTensor:
    v = float(np.asarray(value, dtype=np.float64).reshape(-1)[0]) if np.size(value) == 1 else None
    if v is None:
        raise CaptureFormatError(file, f"{name} is not a single number (got shape {np.shape(value)})")
    return RawTensor("F64", (), encode_array(np.asarray(v, dtype=np.float64), "F64"))


def _check_finite(file: str, name: str, t: RawTensor) -> None:
    values = decode_array(t.data, t.dtype, t.shape)
    bad = int(values.size - np.count_nonzero(np.isfinite(values)))
    if bad:
        raise CaptureFormatError(file, f"tensor {name!r} has {bad} NaN or infinite value(s) as {t.dtype}; readers refuse them")


def capture_metadata(
    file: str, step: int, tasks: Sequence[str], layout: str, extra: Mapping[str, object]
) -> Dict[str, str]:
    """The ``__metadata__`` strings of a capture; ``extra`` holds epoch, run, producer or other string keys."""
    strings = {"format": CAPTURE_FORMAT, "step": str(check_step(file, step)), "tasks": tasks_metadata(tasks), "layout": layout}
    for key, value in extra.items():
        if value is None:
            continue
        if key in REQUIRED_METADATA_KEYS:
            raise CaptureFormatError(file, f"metadata {key!r} is set by the writer, not passed as metadata")
        if key == "epoch":
            if isinstance(value, bool) or not isinstance(value, int):
                raise CaptureFormatError(file, f"epoch {value!r} is not an integer")
            strings[key] = str(value)
        elif isinstance(value, str):
            strings[key] = check_free_text(file, key, value) if key in ("run", "producer") else value
        elif key in OPTIONAL_METADATA_KEYS:
            raise CaptureFormatError(file, f"metadata {key!r} must be a string, got {type(value).__name__}")
        else:
            raise CaptureFormatError(file, f"metadata {key!r} must be a string (safetensors metadata holds strings only)")
    return strings


def assemble_capture(
    file: str,
    meta: Dict[str, str],
    tasks: Sequence[str],
    features: RawTensor,
    grads: Mapping[str, RawTensor],
    losses: Optional[Mapping[str, object]] = None,
    weights: Optional[Mapping[str, object]] = None,
    param_gram: Optional[object] = None,
) -> bytes:
    """The bytes of a capture from already-encoded features and gradients, checked with the reader's rules."""
    tensors: Dict[str, RawTensor] = {FEATURES_TENSOR: features}
    _check_finite(file, FEATURES_TENSOR, features)
    for task in tasks:
        if task not in grads:
            raise CaptureFormatError(file, f"grads has no gradient for task {task!r}")
        g = grads[task]
        if g.shape != features.shape:
            raise CaptureFormatError(file, f"grad of task {task!r} has shape {list(g.shape)} but features has {list(features.shape)}")
        _check_finite(file, grad_tensor_name(task), g)
        tensors[grad_tensor_name(task)] = g
    extra_grads = [t for t in grads if t not in tasks]
    if extra_grads:
        raise CaptureFormatError(file, f"grads has {extra_grads[0]!r}, which is not one of the tasks {list(tasks)}")
    for task, value in (losses or {}).items():
        if task not in tasks:
            raise CaptureFormatError(file, f"losses has {task!r}, which is not one of the tasks {list(tasks)}")
        tensors[loss_tensor_name(task)] = _scalar_tensor(file, f"loss of task {task!r}", value)
    if weights:
        missing = [t for t in tasks if t not in weights]
        unknown = [t for t in weights if t not in tasks]
        if missing or unknown:
            raise CaptureFormatError(
                file, f"weights must name every task and no other (missing {missing}, unknown {unknown}): all present or none")
        for task in tasks:
            tensors[weight_tensor_name(task)] = _scalar_tensor(file, f"weight of task {task!r}", weights[task])
    if param_gram is not None:
        gram = np.asarray(param_gram, dtype=np.float64)
        T = len(tasks)
        if gram.shape != (T, T):
            raise CaptureFormatError(file, f"param_gram has shape {list(gram.shape)}; {T} tasks need [{T}, {T}]")
        tensors[PARAM_GRAM_TENSOR] = RawTensor("F64", (T, T), encode_array(gram, "F64"))
    data = encode_with_package(tensors, meta)
    if data is None:
        data = encode_safetensors(tensors, meta)
    # a writer never produces a file the reader would refuse
    length = read_header_length(file, data[:8], len(data))
    validate_capture(file, parse_header(file, data[8:8 + length], len(data)))
    return data


def write_capture(
    path: str,
    step: int,
    features: object,
    grads: Mapping[str, object],
    losses: Optional[Mapping[str, object]] = None,
    layout: Optional[str] = None,
    param_gram: Optional[object] = None,
    *,
    tasks: Optional[Sequence[str]] = None,
    weights: Optional[Mapping[str, object]] = None,
    dtype: Optional[str] = None,
    **metadata: object,
) -> str:
    """Writes one capture from NumPy arrays (or anything ``np.asarray`` takes), atomically; returns ``path``.

    ``grads`` maps each task to dL_task/d(features), same shape as ``features``; the task
    order is ``tasks`` or the order of ``grads``. ``layout`` is one of NC, NHWC, NCHW, NLC,
    NCL (optional only for rank-2 features, which are NC). ``dtype`` (float32, float16,
    bfloat16, float64) defaults to the features' own (float32 unless they are float16
    or float64). ``losses`` and ``weights`` map tasks to numbers; ``param_gram`` is [T, T].
    ``metadata`` holds ``epoch``, ``run``, ``producer`` or other string entries.
    """
    file = os.fspath(path)
    feats = np.asarray(features)
    if dtype is None:
        dtype = {np.dtype(np.float16): "F16", np.dtype(np.float64): "F64"}.get(feats.dtype, "F32")
    storage = storage_dtype(dtype)
    if layout is None:
        if feats.ndim != 2:
            raise CaptureFormatError(file, f"layout is required for features of rank {feats.ndim} (NHWC, NCHW, NLC or NCL)")
        layout = "NC"
    check_layout(file, layout)
    if feats.ndim != LAYOUT_RANK[layout] or 0 in feats.shape:
        raise CaptureFormatError(file, f"layout {layout} needs features of rank {LAYOUT_RANK[layout]} with no empty dimension, got shape {list(feats.shape)}")
    order = check_tasks(file, list(tasks) if tasks is not None else list(grads))
    shape = tuple(int(d) for d in feats.shape)

    def raw(values: object) -> RawTensor:
        return RawTensor(storage, tuple(np.shape(values)), encode_array(np.asarray(values), storage))

    metadata.setdefault("producer", f"mtl_fd {__version__} (numpy {np.__version__})")
    meta = capture_metadata(file, step, order, layout, metadata)
    data = assemble_capture(
        file, meta, order, RawTensor(storage, shape, encode_array(feats, storage)),
        {t: raw(g) for t, g in grads.items()}, losses, weights, param_gram)
    write_file_atomic(file, data)
    return file


def read_capture(path: str, check_finite: bool = True) -> Capture:
    """Reads and validates one capture (every rule of capture-format.md); CaptureFormatError names the problem.

    NaN or infinite features or gradients are an error unless ``check_finite`` is False.
    """
    file = os.fspath(path)
    try:
        handle = open(file, "rb")
    except FileNotFoundError:
        raise CaptureFormatError(file, "no such file") from None
    with handle:
        size = os.fstat(handle.fileno()).st_size
        length = read_header_length(file, handle.read(8), size)
        header = parse_header(file, handle.read(length), size)
        layout = validate_capture(file, header)

        def values(entry) -> np.ndarray:
            handle.seek(header.data_start + entry.begin)
            return decode_array(handle.read(entry.end - entry.begin), entry.dtype, entry.shape)

        features = values(layout.features)
        grads = {t: values(g) for t, g in zip(layout.meta.tasks, layout.grads)}
        if check_finite:
            for name, array in [("features", features), *((f"grad.{t}", g) for t, g in grads.items())]:
                bad = int(array.size - np.count_nonzero(np.isfinite(array)))
                if bad:
                    raise CaptureFormatError(file, f"tensor {name!r} has {bad} NaN or infinite value(s)")
        gram = values(layout.param_gram).astype(np.float64) if layout.param_gram is not None else None
        return Capture(
            path=file, meta=layout.meta, dtype=layout.dtype, features=features, grads=grads,
            losses={t: float(values(e).reshape(-1)[0]) for t, e in layout.losses.items()},
            weights={t: float(values(e).reshape(-1)[0]) for t, e in layout.weights.items()},
            param_gram=gram, metadata=dict(header.metadata or {}),
        )

