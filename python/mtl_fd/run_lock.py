"""The run directory's lock, ``<run>/.mtl-fd.lock``, held the way packages/metrics/src/sweep/lock.ts holds it.

The lock file is JSON ``{pid, host, owner, startedAt, procStart, nonce}``, created whole:
written under a temporary name, then hard-linked to its real name (``EEXIST``: held).
A lock whose process is gone (same host) is stale and taken over with a warning; a live
or foreign-host lock refuses the second writer with RunLockedError.
"""
from __future__ import annotations

import errno
import json
import os
import secrets
import socket
import warnings
from datetime import datetime, timezone
from typing import Callable, Optional

from .errors import RunLockedError
from .liveness import is_process_alive, process_start_time

RUN_LOCK_FILE = ".mtl-fd.lock"
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.ENOSYS, errno.EOPNOTSUPP}


def iso_now() -> str:
    """The time as JavaScript's ``toISOString`` writes it (UTC, milliseconds, ``Z``)."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _parse(text: str) -> Optional[dict]:
    try:
        v = json.loads(text)
    except ValueError:
        return None
    if (isinstance(v, dict) and isinstance(v.get("pid"), int) and not isinstance(v.get("pid"), bool) and v["pid"] > 0
            and isinstance(v.get("host"), str) and isinstance(v.get("nonce"), str) and isinstance(v.get("owner"), str)):
        return {
            "pid": v["pid"], "host": v["host"], "owner": v["owner"],
            "startedAt": v["startedAt"] if isinstance(v.get("startedAt"), str) else "",
            "procStart": v["procStart"] if isinstance(v.get("procStart"), str) else None,
            "nonce": v["nonce"],
        }
    return None


def _read(path: str) -> Optional[str]:
    try:
        with open(path, "r", encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _state(info: dict) -> str:
    if info["host"] != socket.gethostname():
        return "foreign"
    return "live" if is_process_alive(info["pid"], info["procStart"]) else "stale"


def _describe(info: dict) -> str:
    since = f", since {info['startedAt']}" if info["startedAt"] else ""
    return f"'{info['owner']}' (pid {info['pid']} on {info['host']}{since})"


def _try_create(path: str, info: dict) -> bool:
    text = json.dumps(info, separators=(",", ":")) + "\n"
    tmp = f"{path}.{os.getpid()}-{info['nonce']}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    try:
        # link() fails with EEXIST if the lock exists, and makes it appear complete
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    except OSError as err:
        if err.errno not in _NO_HARD_LINKS:
            raise
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            return False
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        return True
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def _remove_stale(path: str, seen: Optional[dict]) -> None:
    """Renames the lock aside (only one contender wins), checks it, puts back a fresh one."""
    aside = f"{path}.{os.getpid()}-{secrets.token_hex(8)}.tmp"
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return
    text = _read(aside)
    got = _parse(text) if text is not None else None
    same = (got is not None and got["nonce"] == seen["nonce"]) if seen else got is None
    if not same:
        try:
            os.link(aside, path)
        except OSError:
            pass  # someone holds the lock again; theirs stands
    os.unlink(aside)


def acquire_run_lock(run_dir: str, owner: str) -> Callable[[], None]:
    """Takes ``<run_dir>/.mtl-fd.lock`` (creating ``run_dir``); returns the idempotent release function."""
    os.makedirs(run_dir, exist_ok=True)
    path = os.path.join(run_dir, RUN_LOCK_FILE)
    pid = os.getpid()
    info = {
        "pid": pid, "host": socket.gethostname(), "owner": owner, "startedAt": iso_now(),
        "procStart": process_start_time(pid), "nonce": secrets.token_hex(8),
    }
    for _ in range(8):
        if _try_create(path, info):
            return _releaser(path, info["nonce"])
        text = _read(path)
        if text is None:
            continue  # released meanwhile: try again
        held = _parse(text)
        if held is None:
            raise RunLockedError(
                f"run directory {run_dir} has a lock file that is not readable ({path}); "
                f"if no training writes there, remove it or run 'mtl-fd clean {run_dir}'")
        state = _state(held)
        if state in ("live", "foreign"):
            if state == "foreign":
                hint = f"It runs on another host and cannot be checked from here; if it has ended, run 'mtl-fd clean --force-unlock {run_dir}'."
            elif held["procStart"] is None:
                hint = (f"Its start time was not recorded, so a reused pid cannot be told from it; "
                        f"if that training has ended, run 'mtl-fd clean --force-unlock {run_dir}'.")
            else:
                hint = "Use another run directory, or stop that process first."
            raise RunLockedError(f"run directory {run_dir} is locked by {_describe(held)}: another training writes to it. {hint}")
        _remove_stale(path, held)
        warnings.warn(f"mtl-fd: took over the stale lock of {run_dir}: its owner {_describe(held)} is no longer running", stacklevel=3)
    raise RunLockedError(f"run directory {run_dir}: could not take its lock ({path}), other processes keep changing it")


def _releaser(path: str, nonce: str) -> Callable[[], None]:
    released = False

    def release() -> None:
        nonlocal released
        if released:
            return
        released = True
        text = _read(path)
        info = _parse(text) if text is not None else None
        if info is not None and info["nonce"] == nonce:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass

    return release
