"""How a city, a rubrik (category) or an author becomes a facet value: kept so that older imports work.

Each facet's spelling now lives with its definition in :mod:`search.domain.facets`, which is
where a new facet says how its values are written.
"""

from __future__ import annotations

from search.domain.facets import ABBREVIATION_MAX, facet_value, name_value, rubrik_value

__all__ = ["ABBREVIATION_MAX", "facet_value", "name_value", "rubrik_value"]
