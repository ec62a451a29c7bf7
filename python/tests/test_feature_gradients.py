"""Gradients and param_gram under real PyTorch, against closed forms and direct computation."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from mtl_fd import CaptureWriter, features_of, read_capture


class LinearHeads(nn.Module):
    """A linear backbone and linear heads: the MSE gradient at the features has a closed form."""

    def __init__(self, d_in: int, d_z: int, outs: dict) -> None:
        super().__init__()
        self.backbone = nn.Linear(d_in, d_z)
        self.heads = nn.ModuleDict({t: nn.Linear(d_z, k) for t, k in outs.items()})

    def forward(self, x):
        z = self.backbone(x)
        return {t: h(z) for t, h in self.heads.items()}


@pytest.mark.parametrize("dtype,storage,tol", [(torch.float64, "float64", 1e-6), (torch.float32, "float32", 1e-5)])
def test_feature_gradients_match_the_closed_form_of_linear_mse_heads(tmp_path, dtype, storage, tol):
    torch.manual_seed(0)
    outs = {"a": 3, "b": 1, "c": 2}
    model = LinearHeads(5, 4, outs).to(dtype)
    x = torch.randn(6, 5, dtype=dtype)
    y = {t: torch.randn(6, k, dtype=dtype) for t, k in outs.items()}
    with features_of(model, "backbone") as z:
        out = model(x)
    losses = {t: nn.functional.mse_loss(out[t], y[t]) for t in outs}
    with CaptureWriter(tmp_path / "run", tasks=list(outs), layout="NC", dtype=storage) as writer:
        path = writer.capture(3, z.value, losses)
    capture = read_capture(path)
    zz = z.value.detach().double().numpy()
    for t, k in outs.items():
        W = model.heads[t].weight.detach().double().numpy()
        b = model.heads[t].bias.detach().double().numpy()
        residual = zz @ W.T + b - y[t].double().numpy()
        expected = 2.0 / (6 * k) * residual @ W  # d/dz mean((zW^T + b - y)^2)
        np.testing.assert_allclose(capture.grads[t], expected, rtol=0, atol=tol)
        assert capture.losses[t] == pytest.approx(float((residual ** 2).mean()), rel=tol)
    np.testing.assert_allclose(capture.features, zz, rtol=0, atol=tol)
    assert capture.dtype == {"float64": "F64", "float32": "F32"}[storage]


def test_param_gram_matches_a_direct_computation(tmp_path):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.ReLU(), nn.Conv2d(3, 4, 3, padding=1))
    heads = {"seg": nn.Conv2d(4, 2, 1), "depth": nn.Conv2d(4, 1, 1), "edge": nn.Conv2d(4, 1, 1)}
    x = torch.randn(2, 2, 5, 5)
    with features_of(model, "2") as z:
        model(x)
    losses = {t: h(z.value).pow(2).mean() * (i + 1) for i, (t, h) in enumerate(heads.items())}
    with CaptureWriter(tmp_path / "run", tasks=list(heads), layout="NCHW") as writer:
        path = writer.capture(0, z.value, losses, shared_params=model.parameters())
    gram = read_capture(path).param_gram
    # direct: each task's loss backpropagated on its own, gradients flattened and dotted
    flat = []
    for t in heads:
        model.zero_grad()
        for h in heads.values():
            h.zero_grad()
        losses[t].backward(retain_graph=True)
        flat.append(np.concatenate([p.grad.double().numpy().ravel() for p in model.parameters()]))
    G = np.stack(flat)
    assert gram.shape == (3, 3) and gram.dtype == np.float64
    np.testing.assert_allclose(gram, G @ G.T, rtol=1e-6, atol=1e-12)


def test_a_capture_leaves_grad_requires_grad_and_training_as_they_were(tmp_path):
    torch.manual_seed(2)
    model = LinearHeads(4, 3, {"a": 2, "b": 1})
    model.heads["b"].eval()  # a mixed mode, to see each module's flag kept
    model.backbone.bias.requires_grad_(False)
    x = torch.randn(5, 4)
    out = model(x)
    sum(o.sum() for o in out.values()).backward()  # .grad set by the user's own step
    before = {n: (p.grad.clone() if p.grad is not None else None, p.requires_grad) for n, p in model.named_parameters()}
    modes = {n: m.training for n, m in model.named_modules()}
    with features_of(model, "backbone") as z:
        out = model(x)
    losses = {t: out[t].pow(2).mean() for t in out}
    with CaptureWriter(tmp_path / "run", tasks=["a", "b"], layout="NC") as writer:
        assert writer.capture(1, z.value, losses, shared_params=model.parameters()) is not None
    for n, p in model.named_parameters():
        grad, requires = before[n]
        assert p.requires_grad == requires, n
        if grad is None:
            assert p.grad is None, n
        else:
            assert torch.equal(p.grad, grad), n
    assert {n: m.training for n, m in model.named_modules()} == modes
    # the graph is still there for the user's own backward pass
    sum(losses.values()).backward()
