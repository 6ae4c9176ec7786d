"""The outlet registry: one facet value per outlet, however the outlet spells itself.

Datelines write the same outlet as ``SUMATERAEKSPRES.ID``, ``Sumeks`` or ``sumateraekspres``;
records from scrapers say ``cnn indonesia``. The registry (``search/data/outlets.json``)
maps every alias to one key and one display name. An outlet missing from the registry
still gets a stable key derived from how it is written, so it forms its own facet value
instead of vanishing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

# A domain as datelines write it: labels joined by dots, ending in an alphabetic TLD.
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,12}$")
_KEY_UNSAFE = re.compile(r"[^a-z0-9./-]+")


@dataclass(frozen=True)
class Outlet:
    """An outlet as the facet shows it: ``key`` is the facet value, ``name`` the label."""

    key: str
    name: str
    group: str | None = None
    known: bool = True


def normalise(written: str) -> str:
    """Fold case, spacing, a ``www.`` prefix and wrapping brackets for alias lookup."""
    text = written.strip().strip("()[]").strip().lower()
    text = re.sub(r"\s+", " ", text)
    return text.removeprefix("www.").rstrip(".")


def looks_like_domain(written: str) -> bool:
    """True for ``Kabarkriminal.online`` or ``SUMATERAEKSPRES.ID``: a site name, not a place."""
    return bool(_DOMAIN.match(normalise(written)))


class OutletRegistry:
    """Alias lookup over the registry data file."""

    def __init__(self, entries: list[dict[str, object]], groups: dict[str, str]) -> None:
        self.groups = dict(groups)
        self._by_alias: dict[str, Outlet] = {}
        self._by_key: dict[str, Outlet] = {}
        for entry in entries:
            outlet = Outlet(key=str(entry["key"]), name=str(entry["name"]), group=entry.get("group"))  # type: ignore[arg-type]
            self._by_key[outlet.key] = outlet
            aliases = [outlet.key, outlet.name, *entry.get("aliases", [])]  # type: ignore[misc]
            for alias in aliases:
                self._by_alias.setdefault(normalise(str(alias)), outlet)

    @classmethod
    def from_file(cls, path: Path) -> OutletRegistry:
        """Load a registry from a JSON file shaped like the bundled one."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["outlets"], data.get("groups", {}))

    def lookup(self, written: str) -> Outlet | None:
        """The registered outlet for an alias, or ``None`` when the registry does not know it."""
        return self._by_alias.get(normalise(written))

    def by_key(self, key: str) -> Outlet | None:
        """The registered outlet with this facet key, if any."""
        return self._by_key.get(key)

    def resolve(self, written: str) -> Outlet:
        """The outlet for ``written``: the registry entry, or a stable key made from the spelling."""
        known = self.lookup(written)
        if known:
            return known
        return Outlet(key=derive_key(written), name=display_name(written), known=False)


def derive_key(written: str) -> str:
    """A facet key for an unregistered outlet: lower case, spaces to hyphens, nothing else odd."""
    key = normalise(written).replace(" ", "-")
    return _KEY_UNSAFE.sub("", key).strip("-.") or "outlet"


def display_name(written: str) -> str:
    """Show an unregistered outlet as it writes itself; an all-capitals domain is softened."""
    name = " ".join(written.strip().strip("()[]").split())
    if name.isupper() and looks_like_domain(name):
        name = name.lower().capitalize()
    return name


@lru_cache(maxsize=1)
def default_registry() -> OutletRegistry:
    """The registry shipped with the package (loaded once per process)."""
    source = resources.files("search").joinpath("data/outlets.json")
    data = json.loads(source.read_text(encoding="utf-8"))
    return OutletRegistry(data["outlets"], data.get("groups", {}))
