"""The outlet registry: one facet value per outlet, however the outlet spells itself.

Datelines write the same outlet as ``SUMATERAEKSPRES.ID``, ``Sumeks`` or ``sumateraekspres``;
records from scrapers say ``cnn indonesia``; pages live on ``regional.kompas.com``. The
registry (``search/data/outlets.json``) maps every alias, and every subdomain of a
registered domain, to one key, one display name and the parent group. Whole networks
are named by domain shape (``tribuntoraja.com`` is *Tribun Toraja*, Tribun Network). An
outlet missing from the registry still gets a stable key derived from how it is written,
so it forms its own facet value instead of vanishing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from publicsuffixlist import PublicSuffixList

# A domain as datelines write it: labels joined by dots, ending in an alphabetic TLD.
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,12}$")
_KEY_UNSAFE = re.compile(r"[^a-z0-9./-]+")


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    """The Public Suffix List as the library bundles it (``.co.id``, ``.go.id``, ``.ac.id``, ``.or.id``…): no network."""
    return PublicSuffixList()


def registrable_domain(host: str) -> str | None:
    """The part of ``host`` a registrant owns (``news.detik.com`` -> ``detik.com``, ``a.b.sumeks.co.id`` -> ``sumeks.co.id``);
    ``None`` for a public suffix itself or a host that is no domain (``localhost``)."""
    return _suffixes().privatesuffix(host)


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


def host_of(url: str) -> str | None:
    """The host of an http(s) URL, lower-cased, without ``www.``."""
    match = re.match(r"^\s*https?://([^/:?#\s]+)", url, re.IGNORECASE)
    return normalise(match.group(1)) if match else None


class OutletRegistry:
    """Alias, subdomain and network-pattern lookup over the registry data."""

    def __init__(
        self,
        entries: list[dict[str, Any]],
        groups: dict[str, str],
        patterns: list[dict[str, str]] | None = None,
    ) -> None:
        self.groups = dict(groups)
        self._by_alias: dict[str, Outlet] = {}
        for entry in entries:
            outlet = Outlet(key=str(entry["key"]), name=str(entry["name"]), group=entry.get("group"))
            for alias in [outlet.key, outlet.name, *entry.get("aliases", [])]:
                self._by_alias.setdefault(normalise(str(alias)), outlet)
        self._patterns = [(re.compile(p["pattern"]), p["name"], p.get("group")) for p in patterns or []]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> OutletRegistry:
        return cls(data["outlets"], data.get("groups", {}), data.get("patterns", []))

    def lookup(self, written: str) -> Outlet | None:
        """The registered outlet for an alias or a (sub)domain, or ``None`` when unknown."""
        text = normalise(written)
        if text in self._by_alias:
            return self._by_alias[text]
        if not _DOMAIN.match(text):
            return None
        for pattern, name, group in self._patterns:  # a network's site is more specific than its parent domain
            if match := pattern.match(text):
                region = " ".join(part.capitalize() for part in match.groupdict().values() if part)
                return Outlet(key=text, name=name.format(name=region), group=group)
        domain = registrable_domain(text)
        labels = text.split(".")
        for start in range(1, len(labels) - 1):  # a subdomain of a registered domain, down to the registrable one
            parent = ".".join(labels[start:])
            if parent in self._by_alias:
                return self._by_alias[parent]
            if parent == domain:
                break
        return None

    def aliases(self, key: str) -> list[str]:
        """Every normalised spelling that the registry maps to ``key``."""
        return [alias for alias, outlet in self._by_alias.items() if outlet.key == key]

    def resolve(self, written: str) -> Outlet:
        """The outlet for ``written``: the registry entry, else a stable key made from the spelling (from its
        registrable domain when it is a domain: ``berita.contoh.co.id`` and ``contoh.co.id`` are one outlet)."""
        known = self.lookup(written)
        if known:
            return known
        if looks_like_domain(written) and (domain := registrable_domain(normalise(written))):
            return Outlet(key=domain, name=domain if normalise(written) != domain else display_name(written), known=False)
        return Outlet(key=derive_key(written), name=display_name(written), known=False)

    def from_url(self, url: str) -> Outlet | None:
        """The outlet an article's address names: the registered outlet of its host or one of its parent domains,
        else its registrable domain as an outlet of its own; ``None`` when the address names no domain."""
        host = host_of(url)
        if not host or not looks_like_domain(host) or registrable_domain(host) is None:
            return None
        return self.resolve(host)

    def group_name(self, key: str) -> str:
        """The display name of a parent group."""
        return self.groups.get(key, key)


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
    return OutletRegistry.from_data(json.loads(source.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """Lower-cased place names that can stand as a dateline's city (``search/data/places.txt``)."""
    source = resources.files("search").joinpath("data/places.txt")
    lines = source.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))
