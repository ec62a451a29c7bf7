"""write_capture / read_capture: NumPy in, the format's rules enforced both ways."""
from __future__ import annotations

import json
import struct

import numpy as np
import pytest
import torch

from mtl_fd import CaptureFormatError, read_capture, write_capture
from mtl_fd.dtypes import float32_to_bfloat16_bits
from mtl_fd.safetensors_codec import RawTensor, encode_safetensors

META = {"format": "mtl-fd/capture@1", "step": "4", "tasks": '["a","b"]', "layout": "NC"}


def f32(shape, value=1.0):
    return RawTensor("F32", tuple(shape), np.full(shape, value, dtype="<f4").tobytes())


def good_tensors():
    return {"features": f32([2, 3]), "grad.a": f32([2, 3], 2), "grad.b": f32([2, 3], 3)}


def write_raw(tmp_path, tensors, metadata=META, name="x.safetensors"):
    path = tmp_path / name
    path.write_bytes(encode_safetensors(tensors, metadata))
    return path


def test_round_trip_with_losses_weights_gram_and_metadata(tmp_path):
    rng = np.random.default_rng(0)
    f = rng.standard_normal((4, 3, 5)).astype(np.float32)
    grads = {"left": rng.standard_normal(f.shape).astype(np.float32), "right": rng.standard_normal(f.shape).astype(np.float32)}
    gram = np.array([[2.0, -1.0], [-1.0, 3.0]])
    path = write_capture(tmp_path / "step.safetensors", 12, f, grads, losses={"left": 0.5}, layout="NLC",
                         param_gram=gram, weights={"left": 1.0, "right": 10.0}, epoch=-1, run="jax run", producer="jax 0.4")
    c = read_capture(path)
    assert (c.meta.step, c.meta.tasks, c.meta.layout, c.meta.epoch, c.meta.run, c.meta.producer) == (12, ["left", "right"], "NLC", -1, "jax run", "jax 0.4")
    assert c.dtype == "F32" and c.features.dtype == np.float32
    np.testing.assert_array_equal(c.features, f)
    for t in grads:
        np.testing.assert_array_equal(c.grads[t], grads[t])
    assert c.losses == {"left": 0.5} and c.weights == {"left": 1.0, "right": 10.0}
    np.testing.assert_array_equal(c.param_gram, gram)
    assert c.metadata["tasks"] == '["left","right"]'


def test_bfloat16_and_float16_round_to_nearest_even_like_torch(tmp_path):
    values = np.array([[1.0, 1 + 2 ** -8, 1 + 3 * 2 ** -8, -3.14159, 1e-40, 65504.0, 3e38]], dtype=np.float32)
    bits = torch.from_numpy(values).to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
    np.testing.assert_array_equal(float32_to_bfloat16_bits(values), bits)
    for dtype, torch_dtype in (("bfloat16", torch.bfloat16), ("float16", torch.float16)):
        v = values[:, :6]
        path = write_capture(tmp_path / f"{dtype}.safetensors", 0, v, {"a": v, "b": -v}, dtype=dtype)
        c = read_capture(path)
        assert c.dtype == {"bfloat16": "BF16", "float16": "F16"}[dtype]
        np.testing.assert_array_equal(c.features, torch.from_numpy(v).to(torch_dtype).float().numpy())


def test_the_writer_refuses_what_the_reader_would(tmp_path):
    f = np.ones((2, 3), np.float32)
    p = tmp_path / "c.safetensors"
    with pytest.raises(CaptureFormatError, match="at least 2"):
        write_capture(p, 0, f, {"a": f})
    with pytest.raises(CaptureFormatError, match="not a task name"):
        write_capture(p, 0, f, {"a": f, "b c": f})
    with pytest.raises(CaptureFormatError, match="shape"):
        write_capture(p, 0, f, {"a": f, "b": f[:1]})
    with pytest.raises(CaptureFormatError, match="layout is required"):
        write_capture(p, 0, f.reshape(2, 3, 1), {"a": f.reshape(2, 3, 1), "b": f.reshape(2, 3, 1)})
    with pytest.raises(CaptureFormatError, match="NaN or infinite"):
        write_capture(p, 0, f, {"a": f, "b": f * np.inf})
    with pytest.raises(CaptureFormatError, match="NaN or infinite"):
        write_capture(p, 0, f * 1e5, {"a": f, "b": f}, dtype="float16")  # overflow in float16
    with pytest.raises(CaptureFormatError, match="all present or none"):
        write_capture(p, 0, f, {"a": f, "b": f}, weights={"a": 1.0})
    with pytest.raises(CaptureFormatError, match="set by the writer"):
        write_capture(p, 0, f, {"a": f, "b": f}, format="other")
    with pytest.raises(CaptureFormatError, match="step"):
        write_capture(p, -1, f, {"a": f, "b": f})
    assert not p.exists() and list(tmp_path.iterdir()) == []


def test_the_reader_accepts_a_well_formed_file_in_any_tensor_order(tmp_path):
    c = read_capture(write_raw(tmp_path, good_tensors()))
    assert c.meta.tasks == ["a", "b"] and c.grads["b"][0, 0] == 3.0


BAD_FILES = {
    "no metadata": (good_tensors(), None, "no __metadata__"),
    "wrong format": (good_tensors(), {**META, "format": "x"}, "metadata format"),
    "no step": (good_tensors(), {k: v for k, v in META.items() if k != "step"}, 'no "step" key'),
    "step not decimal": (good_tensors(), {**META, "step": "4\n"}, "not a non-negative decimal integer"),
    "tasks not an array": (good_tensors(), {**META, "tasks": "a,b"}, "not a JSON array"),
    "task listed twice": (good_tensors(), {**META, "tasks": '["a","a"]'}, "twice"),
    "unknown layout": (good_tensors(), {**META, "layout": "HW"}, "layout"),
    "bad epoch": (good_tensors(), {**META, "epoch": "1.5"}, "epoch"),
    "missing grad": ({"features": f32([2, 3]), "grad.a": f32([2, 3])}, META, 'missing tensor "grad.b"'),
    "stray grad": ({**good_tensors(), "grad.c": f32([2, 3])}, META, "names no task"),
    "grad shape": ({**good_tensors(), "grad.b": f32([2, 4])}, META, "has shape"),
    "grad dtype": ({**good_tensors(), "grad.b": RawTensor("F64", (2, 3), bytes(48))}, META, "features' dtype"),
    "features rank": ({"features": f32([6]), "grad.a": f32([6]), "grad.b": f32([6])}, META, "rank"),
    "int features": ({**good_tensors(), "features": RawTensor("I32", (2, 3), bytes(24))}, META, "must be F32, F16, BF16 or F64"),
    "loss shape": ({**good_tensors(), "loss.a": f32([2])}, META, "shape \\[\\] or \\[1\\]"),
    "gram shape": ({**good_tensors(), "param_gram": f32([3, 3])}, META, "param_gram"),
    "some weights": ({**good_tensors(), "weight.a": f32([])}, META, "all present or none"),
    "nan features": ({**good_tensors(), "features": RawTensor("F32", (2, 3), np.full(6, np.nan, "<f4").tobytes())}, META, "NaN"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_the_reader_refuses_a_capture_that_breaks_a_rule(tmp_path, case):
    tensors, metadata, message = BAD_FILES[case]
    path = write_raw(tmp_path, tensors, metadata)
    with pytest.raises(CaptureFormatError, match=message) as err:
        read_capture(path)
    assert str(err.value).startswith(f"{path}: ") and "\n" not in str(err.value)


def _bytes(header: dict, data: bytes, length=None) -> bytes:
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text) if length is None else length) + text + data


STRUCTURAL = {
    "header longer than the file": (_bytes({}, b"", length=1000), "larger than the file"),
    "header over 100 MB": (struct.pack("<Q", 200_000_000) + b"{}", "100 MB limit"),
    "too short": (b"\x01\x00", "too short"),
    "not json": (struct.pack("<Q", 3) + b"{x}", "not valid JSON"),
    "not an object": (_bytes([1], b""), "not a JSON object"),  # type: ignore[arg-type]
    "unknown dtype": (_bytes({"features": {"dtype": "Q8", "shape": [1], "data_offsets": [0, 1]}}, b"\0"), "unknown dtype"),
    "overlap": (_bytes({"a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}, "b": {"dtype": "U8", "shape": [2], "data_offsets": [1, 3]}}, b"\0" * 3), "overlap"),
    "gap": (_bytes({"a": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}, b"\0" * 2), "gap"),
    "past the end": (_bytes({"a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]}}, b"\0" * 2), "past the end"),
    "count and offsets disagree": (_bytes({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}, b"\0" * 4), "span 4 bytes"),
    "metadata not strings": (_bytes({"__metadata__": {"step": 4}}, b""), "must be strings"),
}


@pytest.mark.parametrize("case", list(STRUCTURAL))
def test_the_reader_refuses_a_broken_safetensors_container(tmp_path, case):
    data, message = STRUCTURAL[case]
    path = tmp_path / "bad.safetensors"
    path.write_bytes(data)
    with pytest.raises(CaptureFormatError, match=message):
        read_capture(path)


def test_read_capture_can_let_nonfinite_values_through(tmp_path):
    t = {**good_tensors(), "grad.a": RawTensor("F32", (2, 3), np.full(6, np.inf, "<f4").tobytes())}
    assert np.isinf(read_capture(write_raw(tmp_path, t), check_finite=False).grads["a"]).all()
