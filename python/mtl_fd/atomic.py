"""Atomic file writes with the temporary-file name ``mtl-fd clean`` recognises.

The temporary file sits next to the target (a rename is atomic only within one file
system) and is named ``.<target name>.<pid>-<random hex>.tmp``, the pattern of
packages/metrics/src/sweep/leftovers.ts: a process killed mid-write leaves at most a
hidden ``.tmp`` file that ``mtl-fd clean`` removes, never a partial target.
"""
from __future__ import annotations

import os
import secrets
from typing import Union


def temp_path_for(path: str) -> str:
    directory, name = os.path.split(path)
    return os.path.join(directory, f".{name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")


def fsync_directory(directory: str) -> None:
    """Makes a rename durable; some platforms cannot open a directory, which is fine."""
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_file_atomic(path: str, data: Union[bytes, str]) -> None:
    """Writes ``data`` (a str as UTF-8) to ``path``: readers see the old file or the whole new one."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = temp_path_for(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_directory(os.path.dirname(path))
