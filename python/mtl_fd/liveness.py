"""Whether a process on this host still runs (packages/metrics/src/sweep/liveness.ts)."""
from __future__ import annotations

import os
from typing import Optional


def process_start_time(pid: int) -> Optional[str]:
    """Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or None without /proc.

    With the pid it names a process uniquely, so a recycled pid is not taken for the original.
    """
    try:
        with open(f"/proc/{pid}/stat", "r", encoding="utf-8", errors="replace") as f:
            stat = f.read()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may itself hold spaces or ')'
    fields = stat[stat.rfind(")") + 2:].split(" ")
    return fields[19] if len(fields) > 19 else None


def is_process_alive(pid: int, start_time: Optional[str] = None) -> bool:
    """True while ``pid`` runs here; a different start time (a reused pid) counts as dead."""
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists but belongs to another user
    except OSError:
        return False
    if start_time:
        now = process_start_time(pid)
        if now is not None and now != start_time:
            return False
    return True
