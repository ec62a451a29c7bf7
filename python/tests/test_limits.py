"""The format's limits (capture-format.md section 4), as the TypeScript reader has them."""
import pytest

from mtl_fd.errors import CaptureFormatError
from mtl_fd.format_rules import MAX_METADATA_CHARS, MAX_TASKS, check_free_text, check_tasks


def test_task_count_limit():
    assert len(check_tasks("f", [f"t{i}" for i in range(MAX_TASKS)])) == MAX_TASKS
    with pytest.raises(CaptureFormatError, match=f"lists {MAX_TASKS + 1} tasks; a capture may list at most {MAX_TASKS}"):
        check_tasks("f", [f"t{i}" for i in range(MAX_TASKS + 1)])


def test_free_text_limit():
    assert check_free_text("f", "run", "r" * MAX_METADATA_CHARS) == "r" * MAX_METADATA_CHARS
    with pytest.raises(CaptureFormatError, match=f"metadata run is {MAX_METADATA_CHARS + 1} characters long"):
        check_free_text("f", "run", "r" * (MAX_METADATA_CHARS + 1))
