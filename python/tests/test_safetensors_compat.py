"""The fallback writer against safetensors' own rules (huggingface/safetensors).

Upstream's serializer (safetensors/src/tensor.rs, ``prepare``) lays tensors out by
descending dtype rank, then by name; writes compact JSON with ``__metadata__`` first;
pads the header with spaces to a multiple of 8. The first byte strings below are the expected
outputs of upstream's own Python tests (bindings/python/tests/test_simple.py); a tiny
capture-like dict's bytes are derived here from those rules, and the TypeScript writer
(@mtl-fd/capture's safetensorsPrefix) must lay out the same tensors to the same bytes.
Nothing here needs the safetensors package.
"""
from __future__ import annotations

import json
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

from mtl_fd import read_capture, write_capture
from mtl_fd.safetensors_codec import RawTensor, encode_header, encode_safetensors, tensor_order


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


# A tiny capture-like dict, inserted out of layout order, with metadata holding a
# non-ASCII character (padding counts UTF-8 bytes, not characters). Expected bytes by the
# format's rules: F64 (rank 19) > F32 (17) > BF16 (14) > F16 (13), so loss.a, features,
# grad.a, grad.b; offsets packed back to back; the 298-byte header padded with
# (8 - 298 % 8) % 8 = 6 spaces to 304 = 0x130, the little-endian u64 before it.
TINY = {
    "grad.b": RawTensor("F16", (2,), b"\x00\x3c" b"\x00\xc0"),  # 1.0, -2.0
    "features": RawTensor("F32", (1, 2), b"\x00\x00\x00\x3f" b"\x00\x00\x80\xbf"),  # 0.5, -1.0
    "loss.a": RawTensor("F64", (), b"\x00\x00\x00\x00\x00\x00\xd0\x3f"),  # 0.25
    "grad.a": RawTensor("BF16", (2,), b"\x80\x3f" b"\x00\x3f"),  # 1.0, 0.5
}
TINY_METADATA = {"format": "mtl-fd/capture@1", "run": "é"}
TINY_BYTES = (
    b"\x30\x01\x00\x00\x00\x00\x00\x00"
    + '{"__metadata__":{"format":"mtl-fd/capture@1","run":"é"},'
      '"loss.a":{"dtype":"F64","shape":[],"data_offsets":[0,8]},'
      '"features":{"dtype":"F32","shape":[1,2],"data_offsets":[8,16]},'
      '"grad.a":{"dtype":"BF16","shape":[2],"data_offsets":[16,20]},'
      '"grad.b":{"dtype":"F16","shape":[2],"data_offsets":[20,24]}}'.encode("utf-8")
    + b" " * 6
    + b"\x00\x00\x00\x00\x00\x00\xd0\x3f"
    + b"\x00\x00\x00\x3f\x00\x00\x80\xbf"
    + b"\x80\x3f\x00\x3f"
    + b"\x00\x3c\x00\xc0"
)


def test_a_tiny_dict_gives_the_bytes_the_format_rules_give():
    assert len(TINY_BYTES) == 8 + 304 + 24
    assert encode_safetensors(TINY, TINY_METADATA) == TINY_BYTES


REPO_ROOT = Path(__file__).resolve().parents[2]
CAPTURE_DIST = REPO_ROOT / "packages" / "capture" / "dist" / "index.js"

# Lays out each case with the TypeScript writer (@mtl-fd/capture's safetensorsPrefix, the
# built package): stdin holds a JSON list of {tensors: [{name, dtype, shape, byteLength}],
# metadata}, stdout one hex prefix per line.
TS_PREFIXES = """
import { readFileSync } from 'node:fs';
const { safetensorsPrefix } = await import(process.argv[1]);
for (const c of JSON.parse(readFileSync(0, 'utf8'))) {
  const { prefix } = safetensorsPrefix(c.tensors, c.metadata ?? undefined);
  process.stdout.write(Buffer.from(prefix).toString('hex') + '\\n');
}
"""


def typescript_prefixes(cli, cases):
    """The TypeScript writer's header bytes for each (tensors in data order, metadata) case."""
    node = cli[0]  # the cli fixture builds the packages when dist/ is missing
    payload = [{"tensors": [{"name": n, "dtype": t.dtype, "shape": list(t.shape), "byteLength": len(t.data)} for n, t in order],
                "metadata": metadata} for order, metadata in cases]
    result = subprocess.run([node, "--input-type=module", "-e", TS_PREFIXES, CAPTURE_DIST.as_uri()],
                            input=json.dumps(payload), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [bytes.fromhex(line) for line in result.stdout.split()]


def test_the_python_and_typescript_writers_lay_out_the_same_bytes(cli, tmp_path):
    cases = [
        (TINY, TINY_METADATA),
        (TINY, None),
        ({"x": zeros("I32", [2, 2], 4)}, {"framework": "pt"}),
        # escapes both JSON writers must agree on: quote, backslash, control characters, non-BMP
        ({"features": zeros("F32", [3, 1], 4), "grad.a": zeros("F32", [3, 1], 4)},
         {"run": 'a "q" \\ b\n\t\x01\x1f\x7f / é 😀', "producer": ""}),
    ]
    # and real captures the Python adapter wrote, one per storage dtype
    f = np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2) / 8
    for dtype in ("float32", "float16", "bfloat16", "float64"):
        path = write_capture(tmp_path / f"{dtype}.safetensors", 3, f, {"b": -f, "a": f * 2}, losses={"a": 0.5, "b": 0.25},
                             layout="NCHW", param_gram=np.eye(2), dtype=dtype, run="r", producer="p")
        data = Path(path).read_bytes()
        n, header = _header(data)
        parsed = json.loads(header)
        metadata = parsed.pop("__metadata__")
        base = 8 + n
        tensors = {name: RawTensor(e["dtype"], tuple(e["shape"]), data[base + e["data_offsets"][0]:base + e["data_offsets"][1]])
                   for name, e in parsed.items()}
        assert encode_safetensors(tensors, metadata) == data  # the file is the codec's layout of its own tensors
        cases.append((tensors, metadata))
    ours = [encode_header(tensors, metadata) for tensors, metadata in cases]
    theirs = typescript_prefixes(cli, [([(name, tensors[name]) for name in order], metadata)
                                       for (tensors, metadata), (_, order) in zip(cases, ours)])
    assert len(theirs) == len(cases)
    for (prefix, _), ts, (tensors, metadata) in zip(ours, theirs, cases):
        assert prefix == ts, (sorted(tensors), metadata)
