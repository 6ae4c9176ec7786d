"""The facets a search can be narrowed by: one definition each.

Articles whose outlet, date or city is unknown are indexed under :data:`UNKNOWN`, so they
form honest buckets of their own.
"""

from __future__ import annotations

UNKNOWN = "_none"
