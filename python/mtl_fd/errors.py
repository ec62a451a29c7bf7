"""Errors the adapter raises for bad input, each naming the file and the problem."""
from __future__ import annotations


class MtlFdError(Exception):
    """Base of every error this package raises on purpose (bad input, a held lock)."""


class CaptureFormatError(MtlFdError, ValueError):
    """A file that is not a valid ``mtl-fd/capture@1`` capture, or data that cannot become one.

    The message is one line, ``<file>: <problem>``, as the TypeScript reader words it.
    """

    def __init__(self, file: str, problem: str) -> None:
        one_line = " ".join(problem.split())
        super().__init__(f"{file}: {one_line}")
        self.file = file
        self.problem = one_line


class RunLockedError(MtlFdError):
    """A second writer for a run directory that another live process holds."""
