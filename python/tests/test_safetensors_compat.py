"""The fallback writer against safetensors' own rules (huggingface/safetensors).

Upstream's serializer (safetensors/src/tensor.rs, ``prepare``) lays tensors out by
descending dtype rank, then by name; writes compact JSON with ``__metadata__`` first;
pads the header with spaces to a multiple of 8. The byte strings below are the expected
outputs of upstream's own Python tests (bindings/python/tests/test_simple.py).
"""
from __future__ import annotations

import json
import struct

import numpy as np
import pytest
import torch

from mtl_fd import read_capture, write_capture
from mtl_fd.package_writer import safetensors_available
from mtl_fd.safetensors_codec import RawTensor, encode_safetensors, tensor_order


def zeros(dtype: str, shape, size: int) -> RawTensor:
    return RawTensor(dtype, tuple(shape), bytes(int(np.prod(shape)) * size))


def test_matches_upstreams_expected_bytes():
    assert encode_safetensors({"test": zeros("I32", [2, 2], 4)}) == (
        b'@\x00\x00\x00\x00\x00\x00\x00{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}   '
        b" " + bytes(16))
    assert encode_safetensors({"test1": zeros("I32", [2, 2], 4)}, {"framework": "pt"}) == (
        b'`\x00\x00\x00\x00\x00\x00\x00{"__metadata__":{"framework":"pt"},"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}'
        b" " + bytes(16))
    # alignment: I32 before F16 whatever the insertion order
    both = {"test2": zeros("F16", [2, 2], 2), "test1": zeros("I32", [2, 2], 4)}
    assert encode_safetensors(both) == (
        b'\x80\x00\x00\x00\x00\x00\x00\x00{"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]},'
        b'"test2":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]}}' + b" " * 6 + bytes(24))


def test_orders_by_descending_dtype_then_name():
    tensors = {
        "grad.b": zeros("F16", [2], 2), "features": zeros("F16", [2], 2), "grad.a": zeros("F16", [2], 2),
        "param_gram": zeros("F64", [2, 2], 8), "loss.b": zeros("F64", [], 8), "loss.a": zeros("F64", [], 8),
        "x": zeros("BF16", [1], 2), "y": zeros("F32", [1], 4),
    }
    assert tensor_order(tensors) == ["loss.a", "loss.b", "param_gram", "y", "x", "features", "grad.a", "grad.b"]


def _header(data: bytes):
    (n,) = struct.unpack("<Q", data[:8])
    return n, data[8:8 + n]


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16", "float64"])
def test_a_capture_follows_the_header_rules(tmp_path, dtype):
    rng = np.random.default_rng(0)
    f = rng.standard_normal((2, 3, 2, 2)).astype(np.float32)
    path = write_capture(tmp_path / "c.safetensors", 7, f, {"b": f * 2, "a": f * 3}, losses={"b": 0.5, "a": 0.25},
                         layout="NCHW", param_gram=np.eye(2), dtype=dtype, run="é \"run\"\n", producer="p")
    data = open(path, "rb").read()
    n, header = _header(data)
    assert n % 8 == 0
    text = header.rstrip(b" ")
    assert header[len(text):] == b" " * (n - len(text)) and n - len(text) < 8
    assert (8 + n) % 8 == 0  # the data section starts aligned
    parsed = json.loads(text)
    assert text.decode() == json.dumps(parsed, ensure_ascii=False, separators=(",", ":"))  # compact, UTF-8 kept
    names = list(parsed)
    assert names[0] == "__metadata__"
    storage = {"float32": "F32", "float16": "F16", "bfloat16": "BF16", "float64": "F64"}[dtype]
    big = ["features", "grad.a", "grad.b"]
    small = ["loss.a", "loss.b", "param_gram"]
    # F64 first (the highest dtype rank), then by name; all F64: by name alone
    assert names[1:] == (sorted(big + small) if storage == "F64" else small + big)
    assert parsed["__metadata__"]["run"] == 'é "run"\n' and "é".encode() in text
    position = 0
    for name in names[1:]:
        entry = parsed[name]
        assert list(entry) == ["dtype", "shape", "data_offsets"]
        begin, end = entry["data_offsets"]
        assert begin == position and begin % {"F64": 8, "F32": 4}.get(entry["dtype"], 2) == 0
        position = end
    assert 8 + n + position == len(data)
    assert {parsed[b]["dtype"] for b in big} == {storage}


@pytest.mark.skipif(not safetensors_available(), reason="the safetensors package is not importable here (no index to install it from); "
                    "the fallback writer is checked against upstream's expected bytes above")
def test_byte_identical_to_safetensors_torch_save_file(tmp_path):
    from safetensors.torch import save_file

    from mtl_fd.safetensors_codec import RawTensor as R
    rng = np.random.default_rng(3)
    for dtype in (torch.float32, torch.float16, torch.bfloat16, torch.float64):
        tensors = {
            "features": torch.from_numpy(rng.standard_normal((3, 4))).to(dtype),
            "grad.a": torch.from_numpy(rng.standard_normal((3, 4))).to(dtype),
            "grad.b": torch.from_numpy(rng.standard_normal((3, 4))).to(dtype),
            "loss.a": torch.tensor(0.5, dtype=torch.float64),
            "param_gram": torch.from_numpy(rng.standard_normal((2, 2))),
        }
        target = tmp_path / f"ref-{dtype}.safetensors"
        save_file(tensors, str(target), metadata={"format": "mtl-fd/capture@1", "step": "1", "tasks": '["a","b"]', "layout": "NC"})
        reference = target.read_bytes()
        # upstream keeps metadata in a hash map; give ours the order it chose
        order = json.loads(_header(reference)[1])["__metadata__"]
        names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64"}
        raw = {k: R(names[v.dtype], tuple(v.shape), (v.view(torch.int16) if v.dtype == torch.bfloat16 else v).numpy().tobytes())
               for k, v in tensors.items()}
        assert encode_safetensors(raw, order) == reference, dtype
        assert read_capture(target).meta.tasks == ["a", "b"]
