"""``features_of``: the output of a named submodule, caught by a forward hook."""
from __future__ import annotations

from typing import Optional

import torch
from torch import nn


class FeatureHook:
    """The output of one submodule in the last forward pass (``.value``), while the hook is on."""

    def __init__(self, module: nn.Module, name: str) -> None:
        modules = dict(module.named_modules())
        if name not in modules or name == "":
            some = ", ".join(repr(n) for n in list(modules)[1:9])
            raise KeyError(f"features_of: the model has no submodule {name!r} (named_modules() gives {some}{', ...' if len(modules) > 9 else ''})")
        self.name = name
        self.module = modules[name]
        self._value: Optional[torch.Tensor] = None
        self._handle = None

    @property
    def value(self) -> torch.Tensor:
        """The submodule's output tensor, still attached to the autograd graph."""
        if self._value is None:
            raise RuntimeError(f"features_of({self.name!r}): no forward pass through that submodule has run inside the 'with' block")
        return self._value

    def _hook(self, _module: nn.Module, _inputs: object, output: object) -> None:
        if isinstance(output, (tuple, list)):
            kinds = ", ".join(type(o).__name__ for o in output)
            raise TypeError(
                f"features_of({self.name!r}): the submodule returned a {type(output).__name__} of {len(output)} ({kinds}), "
                "not one tensor; hook a submodule whose output is the shared representation")
        if not isinstance(output, torch.Tensor):
            raise TypeError(f"features_of({self.name!r}): the submodule returned a {type(output).__name__}, not a tensor")
        self._value = output

    def __enter__(self) -> "FeatureHook":
        self._handle = self.module.register_forward_hook(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None


def features_of(module: nn.Module, name: str) -> FeatureHook:
    """A context manager catching the output of ``module``'s submodule ``name`` (a dotted path, as
    ``named_modules()`` gives it) as ``.value``, so the model need not be split in two.

    A submodule that returns a tuple or list is an error naming what it returned.
    """
    return FeatureHook(module, name)
