"""What can go wrong that a user must be told about, the same for every backend.

The web layer maps these to answers (503 for an unavailable index or a timed-out search,
507 for a full disk); the CLI prints their message on one line.
"""

from __future__ import annotations


class IndexUnavailable(RuntimeError):
    """The index cannot be used as asked (missing, built by another version)."""


class IndexBusy(IndexUnavailable):
    """Another process holds the write lock and did not release it within the timeout."""


class DiskFull(IndexUnavailable):
    """A write ran out of disk space; what it had not committed was dropped and its files removed."""


class SearchTimeout(RuntimeError):
    """The search ran past its budget (the message says how long that was)."""
