"""The index pages a process holds mapped, kept within a budget.

Posting arrays are memory-mapped (:mod:`search.backends.whoosh.postings`), so every page a query reads
stays mapped into the process that read it and counts in its resident memory. Over a
million articles the queries of a busy minute touch more than a gigabyte of token streams
and posting lists, and each server worker would come to hold most of the index as its
own memory (its RSS), although the pages live once, in the kernel's page cache, shared by
every process and reclaimable.

So after each call the engine asks :func:`release_over_budget`: when the file pages this
process holds pass :data:`BUDGET_BYTES`, every mapping of index arrays lets its pages go
(``madvise(MADV_DONTNEED)``). The page cache keeps them, so reading one again costs a
minor fault, not a disk read; a mapped array stays valid throughout, so a thread reading
it meanwhile simply maps its page again.
"""

from __future__ import annotations

import mmap
import weakref
from pathlib import Path

# File pages one process may hold mapped before it lets them go: the hot arrays of a large
# archive (term lists, lengths, the postings of frequent words) fit, a day of queries does not.
BUDGET_BYTES = 256 * 2**20
_STATM = Path("/proc/self/statm")
_mappings: weakref.WeakSet[mmap.mmap] = weakref.WeakSet()


def mapped_bytes(path: Path) -> memoryview | bytes:
    """The file at ``path`` memory-mapped read-only (as bytes to view arrays in), its pages released with the others
    over budget; an empty file is empty bytes (it cannot be mapped)."""
    with path.open("rb") as handle:
        if not handle.seek(0, 2):
            return b""
        mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    _mappings.add(mapping)
    return memoryview(mapping)


def release_over_budget(budget: int | None = None) -> bool:
    """Let every mapped array's pages go if this process holds more than ``budget`` bytes of file pages.

    ``budget`` defaults to :data:`BUDGET_BYTES`. Returns whether it did. Where the kernel
    does not say (no ``/proc``), nothing is done.
    """
    held = file_pages_held()
    if held is None or held <= (BUDGET_BYTES if budget is None else budget):
        return False
    for mapping in list(_mappings):
        try:
            mapping.madvise(mmap.MADV_DONTNEED)
        except (ValueError, OSError):  # closed meanwhile: its segment was merged away
            continue
    return True


def file_pages_held() -> int | None:
    """Bytes of file-backed (and shared) pages this process has resident, from ``/proc/self/statm``."""
    try:
        shared_pages = int(_STATM.read_text().split()[2])
    except (OSError, IndexError, ValueError):
        return None
    return shared_pages * mmap.PAGESIZE
