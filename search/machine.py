"""What this machine offers a process: usable cores and physical memory.

Bulk builds size their workers by it, and ``berita serve`` starts a worker per usable core.
"""

from __future__ import annotations

import os


def usable_cores() -> int:
    """How many cores this process may run on (its CPU affinity where the OS tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def physical_memory_mb() -> int:
    """The machine's memory in MB (0 when the OS does not say)."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024))
    except (AttributeError, ValueError, OSError):
        return 0
