#!/usr/bin/env python3
"""Plain-numpy baseline for `mtl-fd score`: the formulas of docs/metrics.md §2-5
(FD scores and the feature-gradient identifiers) over one mtl-fd/capture@1 file,
written the way a numpy user would: whole-array operations in float64.

Usage: score_numpy.py CAPTURE [--saliency grad|grad_x_act] [--granularity
element|channel|spatial] [--temperature TAU] [--repeat N]

Prints one JSON line: {"seconds": [per run], "median_s": ..., "cpu_median_s": ...
(process CPU time, all threads), "elements": B*rowSize,
"scores": {...}}. Each run reads the file (page cache) and computes every score.
"""
import argparse
import json
import statistics
import struct
import time

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16}


def load(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__")
    tasks = json.loads(meta["tasks"])

    def tensor(name):
        t = header[name]
        a, b = t["data_offsets"]
        return np.frombuffer(data, dtype=DTYPES[t["dtype"]], count=(b - a) // np.dtype(DTYPES[t["dtype"]]).itemsize, offset=a).reshape(t["shape"])

    return meta["layout"], tensor("features"), [tensor("grad." + t) for t in tasks]


def xlogx(q):
    """q ln q with 0 ln 0 = 0, without boolean-mask copies."""
    out = np.zeros_like(q)
    np.log(q, out=out, where=q > 0)
    out *= q
    return out


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def units(layout, z, G, saliency, granularity):
    """R: (T, units) saliency per task and unit."""
    T = len(G)
    S = np.abs(np.stack(G).astype(np.float64))
    if saliency == "grad_x_act":
        S *= np.abs(z.astype(np.float64))
    if granularity == "element":
        return S.reshape(T, -1)
    B = z.shape[0]
    if layout in ("NC", "NHWC", "NLC"):
        C = z.shape[-1]
        S = S.reshape(T, B, -1, C)
    else:
        C = z.shape[1]
        S = S.reshape(T, B, C, -1).transpose(0, 1, 3, 2)
    # S: (T, B, P, C)
    if granularity == "channel":
        return S.sum(axis=(1, 2))
    return S.sum(axis=3).reshape(T, -1)


def fd_scores(R, tau):
    T = R.shape[0]
    tot = R.sum(0)
    live = tot > 0
    n_live = int(live.sum())
    # dead units get q = 0 (h = 0, weight 0) instead of a boolean-indexed copy
    q = R / np.where(live, tot, 1.0)
    p = q if tau == 0 else softmax(q / tau, 0)
    h = -xlogx(p).sum(0) / np.log(T)
    if tau > 0:
        h[~live] = 0
    M = R.sum(1)
    out = {
        "fd": 1 - h.sum() / n_live,
        "fd_mass": 1 - (tot @ h) / M.sum(),
        "fd_task": [1 - (R[t] @ h) / M[t] if M[t] > 0 else None for t in range(T)],
        "dead_units": int(R.shape[1] - n_live),
        "units": int(R.shape[1]),
        "fd_pair": [],
    }
    for a in range(T):
        for b in range(a + 1, T):
            s = R[a] + R[b]
            m = s > 0
            ss = np.where(m, s, 1.0)
            qa = R[a] / ss
            qb = R[b] / ss
            if tau > 0:
                pa = softmax(np.stack([qa, qb]) / tau, 0)
                qa, qb = pa[0], pa[1]
            h2 = -(xlogx(qa) + xlogx(qb)) / np.log(2)
            w = s.sum()
            out["fd_pair"].append(1 - (s @ h2) / w if w > 0 else None)
    return out


def gram_scores(G):
    T = len(G)
    F = np.stack([g.reshape(-1) for g in G]).astype(np.float64)
    K = F @ F.T
    norm = np.sqrt(np.diag(K))
    cos = K / np.outer(norm, norm)
    iu = np.triu_indices(T, 1)
    ev = np.linalg.eigvalsh(K)
    return {
        "grad_norm": norm.tolist(),
        "grad_norm_share": (norm / norm.sum()).tolist(),
        "grad_cos": cos[iu].tolist(),
        "grad_gms": (2 * np.outer(norm, norm) / (norm[:, None] ** 2 + norm[None, :] ** 2))[iu].tolist(),
        "grad_cos_mean": float(cos[iu].mean()),
        "grad_conflict_frac": float((cos[iu] < 0).mean()),
        "grad_cond": float(np.sqrt(ev.max() / ev.min())) if ev.min() > 0 else None,
    }


def score(path, saliency, granularity, tau):
    layout, z, G = load(path)
    out = fd_scores(units(layout, z, G, saliency, granularity), tau)
    out.update(gram_scores(G))
    return out, z.size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("capture")
    ap.add_argument("--saliency", default="grad")
    ap.add_argument("--granularity", default="element")
    ap.add_argument("--temperature", type=float, default=0.0)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    seconds = []
    cpu = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        c0 = time.process_time()
        scores, n = score(a.capture, a.saliency, a.granularity, a.temperature)
        cpu.append(time.process_time() - c0)
        seconds.append(time.perf_counter() - t0)
    print(json.dumps({"numpy": np.__version__, "seconds": seconds, "median_s": statistics.median(seconds),
                      "cpu_median_s": statistics.median(cpu), "elements": n,
                      "scores": {k: (float(v) if isinstance(v, (np.floating, float)) else v) for k, v in scores.items()}}))


if __name__ == "__main__":
    main()
