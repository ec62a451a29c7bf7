"""A failing capture warns once and returns None; the training loop goes on."""
from __future__ import annotations

import warnings

import torch

from mtl_fd import CaptureWriter


def test_a_failing_capture_warns_once_and_does_not_raise(tmp_path):
    z = torch.randn(2, 3, requires_grad=True)
    with CaptureWriter(tmp_path / "run", tasks=["a", "b"], layout="NC") as w:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for step in range(3):  # detached features: the same error three times
                assert w.capture(step, z.detach(), {"a": z.sum(), "b": z.sum()}) is None
            assert w.capture(3, z, {"a": z.sum()}) is None  # another error: one more warning
            path = w.capture(4, z, {"a": z.sum(), "b": (z * 2).sum()})  # training went on; this one works
        messages = [str(c.message) for c in caught]
        assert len(messages) == 2, messages
        assert "do not require grad" in messages[0] and "training goes on" in messages[0]
        assert "no entry for task(s) ['b']" in messages[1]
        assert all(c.category is RuntimeWarning for c in caught)
        assert w.failures == 4 and w.written == [path]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert w.capture(5, z, {"a": z.sum(), "b": z.sum()}) is None  # closed: a warning, not an exception
    assert "closed" in str(caught[0].message)
    assert sorted(p.name for p in (tmp_path / "run" / "captures").iterdir()) == ["step-00000004.safetensors"]


def test_a_float16_overflow_fails_that_capture_only(tmp_path):
    z = (torch.ones(2, 3) * 1e6).requires_grad_()
    with CaptureWriter(tmp_path / "run", tasks=["a", "b"], layout="NC", dtype="float16") as w:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert w.capture(0, z, {"a": z.sum(), "b": z.sum()}) is None
        assert "'features' has 6 NaN or infinite value(s) as F16" in str(caught[0].message)
        assert w.capture(1, z / 1e6, {"a": z.sum(), "b": z.sum()}) is not None
