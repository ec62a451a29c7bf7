"""Per-task gradients by ``torch.autograd.grad`` only: no ``.backward()``, no ``.grad`` touched."""
from __future__ import annotations

from typing import List, Mapping, Sequence

import torch


def feature_gradients(features: torch.Tensor, losses: Mapping[str, torch.Tensor], tasks: Sequence[str]) -> List[torch.Tensor]:
    """dL_t/d(features) per task: one backward pass per task that stops at the features.

    A task whose loss does not depend on the features gets a zero gradient. The graph is
    retained, so the caller's own backward pass still works afterwards.
    """
    out = []
    for task in tasks:
        (g,) = torch.autograd.grad(losses[task], features, retain_graph=True, allow_unused=True)
        out.append(torch.zeros_like(features) if g is None else g)
    return out


def parameter_gram(losses: Mapping[str, torch.Tensor], tasks: Sequence[str], params: Sequence[torch.Tensor]) -> torch.Tensor:
    """The [T, T] float64 Gram matrix G[i, j] = <dL_i/dtheta, dL_j/dtheta> over ``params``, rows in task order."""
    rows = []
    for task in tasks:
        grads = torch.autograd.grad(losses[task], params, retain_graph=True, allow_unused=True)
        rows.append(torch.cat([
            (torch.zeros(p.numel(), dtype=torch.float64, device=p.device) if g is None else g.detach().reshape(-1).double())
            for p, g in zip(params, grads)
        ]))
    G = torch.stack(rows)
    return G @ G.T
