"""Names and rules of the ``mtl-fd/capture@1`` format (shared/spec/capture-format.md).

They mirror packages/metrics/src/capture/ (tensorNames.ts, taskNames.ts,
captureMetadata.ts, runDirectory.ts), which is the ground truth.
"""
from __future__ import annotations

import json
import re
from typing import Optional, Sequence

from .errors import CaptureFormatError

CAPTURE_FORMAT = "mtl-fd/capture@1"
RUN_FORMAT = "mtl-fd/run@1"
LAYOUTS = ("NC", "NHWC", "NCHW", "NLC", "NCL")
LAYOUT_RANK = {"NC": 2, "NLC": 3, "NCL": 3, "NHWC": 4, "NCHW": 4}

FEATURES_TENSOR = "features"
PARAM_GRAM_TENSOR = "param_gram"
GRAD_PREFIX = "grad."
LOSS_PREFIX = "loss."
WEIGHT_PREFIX = "weight."

REQUIRED_METADATA_KEYS = ("format", "step", "tasks", "layout")
OPTIONAL_METADATA_KEYS = ("epoch", "run", "producer")
# limits of the format (capture-format.md section 4): pair tables grow as tasks^2, and
# free text is repeated in every table row
MAX_TASKS = 1024
MAX_METADATA_CHARS = 1024

CAPTURES_DIR = "captures"
RUN_JSON = "run.json"

_TASK_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
# 8 digits, or more without a leading zero once steps pass 99,999,999
_CAPTURE_FILE_NAME = re.compile(r"step-([0-9]{8}|[1-9][0-9]{8,})\.safetensors")
MAX_SAFE_INTEGER = 2**53 - 1


def is_task_name(name: object) -> bool:
    """1 to 64 letters, digits, ``_``, ``-`` or ``.``."""
    return isinstance(name, str) and _TASK_NAME.fullmatch(name) is not None


def check_tasks(file: str, tasks: Sequence[object]) -> list:
    """The task list as a capture's ``tasks`` metadata must hold it, or CaptureFormatError."""
    tasks = list(tasks)
    for t in tasks:
        if not is_task_name(t):
            raise CaptureFormatError(file, f"tasks holds {t!r}, not a task name (1 to 64 of A-Z a-z 0-9 _ - .)")
    seen = set()
    for t in tasks:
        if t in seen:
            raise CaptureFormatError(file, f"tasks lists {t!r} twice")
        seen.add(t)
    if len(tasks) < 2:
        raise CaptureFormatError(file, f"tasks lists {len(tasks)} task(s); a capture needs at least 2")
    if len(tasks) > MAX_TASKS:
        raise CaptureFormatError(file, f"tasks lists {len(tasks)} tasks; a capture may list at most {MAX_TASKS}")
    return tasks


def check_free_text(file: str, key: str, text: str) -> str:
    """A ``run`` or ``producer`` value within MAX_METADATA_CHARS, or CaptureFormatError."""
    if len(text) > MAX_METADATA_CHARS:
        raise CaptureFormatError(file, f"metadata {key} is {len(text)} characters long; at most {MAX_METADATA_CHARS} are allowed")
    return text


def check_layout(file: str, layout: object) -> str:
    if layout not in LAYOUTS:
        raise CaptureFormatError(file, f"layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    return layout  # type: ignore[return-value]


def check_step(file: str, step: object) -> int:
    if isinstance(step, bool) or not isinstance(step, int) or step < 0 or step > MAX_SAFE_INTEGER:
        raise CaptureFormatError(file, f"step {step!r} is not a non-negative integer")
    return step


def grad_tensor_name(task: str) -> str:
    return f"{GRAD_PREFIX}{task}"


def loss_tensor_name(task: str) -> str:
    return f"{LOSS_PREFIX}{task}"


def weight_tensor_name(task: str) -> str:
    return f"{WEIGHT_PREFIX}{task}"


def capture_file_name(step: int) -> str:
    """``step-00001200.safetensors`` for step 1200."""
    check_step("capture file name", step)
    return f"step-{step:08d}.safetensors"


def capture_step_of(file_name: str) -> Optional[int]:
    """The step a capture file name stands for, or None for any other name (temp files included)."""
    m = _CAPTURE_FILE_NAME.fullmatch(file_name)
    if m is None:
        return None
    step = int(m.group(1))
    return step if step <= MAX_SAFE_INTEGER else None


def tasks_metadata(tasks: Sequence[str]) -> str:
    """The ``tasks`` metadata value: a JSON array, as JSON.stringify writes it."""
    return json.dumps(list(tasks), ensure_ascii=False, separators=(",", ":"))
