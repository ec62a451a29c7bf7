"""``CaptureWriter``: captures of a PyTorch model into one run directory."""
from __future__ import annotations

import atexit
import os
import sys
import warnings
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Set

import numpy as np
import torch

from .atomic import write_file_atomic
from .capture_file import assemble_capture, capture_metadata
from .dtypes import encode_array, storage_dtype
from .errors import MtlFdError
from .format_rules import CAPTURES_DIR, LAYOUT_RANK, RUN_JSON, capture_file_name, check_layout, check_step, check_tasks
from .gradients import feature_gradients, parameter_gram
from .manifest import build_manifest, producer
from .run_lock import acquire_run_lock, iso_now
from .safetensors_codec import RawTensor

_TORCH_STORAGE = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}


def torch_raw(values: torch.Tensor, storage: str) -> RawTensor:
    """A tensor's values rounded to the storage dtype by torch (nearest, ties to even), as bytes."""
    t = values.detach().to(device="cpu", dtype=_TORCH_STORAGE[storage]).contiguous()
    if storage == "BF16":
        array = t.view(torch.int16).numpy().view(np.uint16)
    else:
        array = t.numpy()
    return RawTensor(storage, tuple(t.shape), encode_array(array, storage))


def _number(name: str, value: object) -> float:
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise MtlFdError(f"{name} has shape {list(value.shape)}; it must be a single number (reduce it to a scalar)")
        return float(value.detach().reshape(-1)[0])
    return float(value)  # type: ignore[arg-type]


class CaptureWriter:
    """Writes ``run.json`` and one capture per ``capture(...)`` call into ``run_dir``.

    Holds the run directory's lock (``.mtl-fd.lock``) from construction to ``close()``:
    a second writer on the same directory fails with RunLockedError. ``dtype`` (float32,
    float16, bfloat16 or float64) is how features and gradients are stored. ``run`` is the
    run's name (default: the directory's name). A capture never changes the model: its
    parameters' ``.grad`` and ``requires_grad`` and its modules' ``training`` stay as they were.
    """

    def __init__(
        self,
        run_dir: str,
        tasks: Sequence[str],
        layout: str,
        dtype: str = "float32",
        run: Optional[str] = None,
        *,
        shared_layer: Optional[str] = None,
        options: Optional[Mapping[str, object]] = None,
    ) -> None:
        self.run_dir = os.path.abspath(os.fspath(run_dir))
        self.tasks: List[str] = check_tasks("CaptureWriter tasks", list(tasks))
        self.layout: str = check_layout("CaptureWriter layout", layout)
        self.dtype: str = storage_dtype(dtype)
        self.run: str = run if run is not None else os.path.basename(self.run_dir)
        self.written: List[str] = []
        self.failures = 0
        self._warned: Set[str] = set()
        self._shared_layer = shared_layer
        self._options = {"dtype": self.dtype, **dict(options or {})}
        self._described = False
        owner = f"mtl_fd CaptureWriter: {os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else 'python'}"
        self._release = acquire_run_lock(self.run_dir, owner)
        self._closed = False
        self._manifest_written = False
        atexit.register(self._release)
        try:
            self._manifest = build_manifest(self.run, self.tasks, self.layout, shared_layer=shared_layer, options=self._options)
            self._write_manifest()
            self._manifest_written = True
        except BaseException:
            self.close()
            raise

    def _write_manifest(self) -> None:
        import json
        write_file_atomic(os.path.join(self.run_dir, RUN_JSON), json.dumps(self._manifest, indent=2) + "\n")

    def capture(
        self,
        step: int,
        features: torch.Tensor,
        losses: Mapping[str, torch.Tensor],
        shared_params: Optional[Iterable[torch.Tensor]] = None,
        epoch: Optional[int] = None,
        weights: Optional[Mapping[str, object]] = None,
    ) -> Optional[str]:
        """Writes ``captures/step-<8 digits>.safetensors``; returns its path, or None if it failed.

        ``features`` is the shared representation (still in the autograd graph), ``losses``
        each task's scalar probe loss computed from it. With ``shared_params`` (e.g.
        ``model.backbone.parameters()``) the capture also holds ``param_gram``. ``weights``
        are the loss weights the training method applied at this step (``weight.<task>``).
        A failure warns once per distinct error and returns None: training goes on.
        """
        try:
            if self._closed:
                raise MtlFdError(f"{self.run_dir}: the CaptureWriter is closed")
            return self._capture(step, features, losses, shared_params, epoch, weights)
        except Exception as err:  # a capture must never stop the training
            self.failures += 1
            problem = f"{type(err).__name__}: {err}"
            if problem not in self._warned:
                self._warned.add(problem)
                warnings.warn(
                    f"mtl-fd: capture at step {step} into {self.run_dir} failed ({problem}); training goes on "
                    "and this error is not repeated", RuntimeWarning, stacklevel=2)
            return None

    def _capture(self, step, features, losses, shared_params, epoch, weights) -> str:
        check_step("capture step", step)
        if not isinstance(features, torch.Tensor):
            raise MtlFdError(f"features is a {type(features).__name__}, not a torch.Tensor")
        if features.dim() != LAYOUT_RANK[self.layout]:
            raise MtlFdError(f"layout {self.layout} needs features of rank {LAYOUT_RANK[self.layout]}, got shape {list(features.shape)}")
        if not features.requires_grad:
            raise MtlFdError("features do not require grad: run the probe forward pass with autograd on (not under torch.no_grad) "
                             "and pass the submodule's output itself, not a detached copy")
        missing = [t for t in self.tasks if t not in losses]
        if missing:
            raise MtlFdError(f"losses has no entry for task(s) {missing}")
        for t in self.tasks:
            if not isinstance(losses[t], torch.Tensor) or losses[t].numel() != 1:
                raise MtlFdError(f"the loss of task {t!r} must be a scalar tensor, got {getattr(losses[t], 'shape', type(losses[t]).__name__)}")
        grads = feature_gradients(features, losses, self.tasks)
        gram = None
        if shared_params is not None:
            params = [p for p in shared_params if p.requires_grad]
            if not params:
                raise MtlFdError("shared_params holds no parameter that requires grad")
            gram = parameter_gram(losses, self.tasks, params).cpu().numpy()
        weight_values: Optional[Dict[str, float]] = None
        if weights is not None:
            weight_values = {t: _number(f"weight of task {t!r}", w) for t, w in weights.items()}
        captures = os.path.join(self.run_dir, CAPTURES_DIR)
        os.makedirs(captures, exist_ok=True)
        path = os.path.join(captures, capture_file_name(step))
        meta = capture_metadata(path, step, self.tasks, self.layout, {"epoch": epoch, "run": self.run, "producer": producer()})
        data = assemble_capture(
            path, meta, self.tasks, torch_raw(features, self.dtype),
            {t: torch_raw(g, self.dtype) for t, g in zip(self.tasks, grads)},
            losses={t: _number(f"loss of task {t!r}", losses[t]) for t in self.tasks},
            weights=weight_values, param_gram=gram)
        write_file_atomic(path, data)
        self.written.append(path)
        if not self._described:
            self._describe(features, gram is not None)
        return path

    def _describe(self, features: torch.Tensor, param_gram: bool) -> None:
        """run.json learns the features' shape, the device and whether param_gram is stored at the first capture."""
        self._manifest["sharedLayer"]["outputShape"] = [None, *features.shape[1:]]
        self._manifest["backend"]["name"] = f"pytorch-{features.device.type}"
        self._manifest["options"]["paramGram"] = param_gram
        self._write_manifest()
        self._described = True

    def close(self) -> None:
        """Records ``finishedAt`` in run.json (``mtl-fd watch`` stops when every run has it), then
        releases the run directory's lock (idempotent); further captures fail with a warning."""
        if not self._closed and self._manifest_written:
            try:
                self._manifest["finishedAt"] = iso_now()
                self._write_manifest()
            except Exception as err:  # closing must not raise over a manifest a watcher reads
                warnings.warn(f"mtl-fd: writing finishedAt into {self.run_dir}/run.json failed ({err})", RuntimeWarning, stacklevel=2)
        self._closed = True
        self._release()
        atexit.unregister(self._release)

    def __enter__(self) -> "CaptureWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
