"""Sidecar metadata: ``article.meta.json`` beside ``article.txt`` overrides what extraction found.

Archivists often know better than the text (the real outlet of a copied page, its exact
date). Any field the sidecar names wins, ``null`` included (it means "unknown"); fields it
leaves out keep their extracted values. A broken sidecar never loses the article: it is
ignored with a warning.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from search.domain.article import FIELDS, Article
from search.extract.dates import parse_record_date
from search.extract.decode import NotTextError, decode_bytes
from search.extract.outlets import OutletRegistry

SIDECAR_SUFFIX = ".meta.json"
# Fields a sidecar sets as text, as written: every article field but the text itself, where it was read from,
# the outlet (named once, resolved to its key and network) and the date (parsed).
TEXT_FIELDS = tuple(name for name in FIELDS if name not in ("body", "source", "outlet", "outlet_key", "outlet_group", "date"))


def sidecar_for(path: Path) -> Path:
    """``dir/article.txt`` -> ``dir/article.meta.json``."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def article_beside(sidecar: Path, suffix: str) -> Path:
    """``dir/article.meta.json`` and ``.txt`` -> ``dir/article.txt``."""
    return sidecar.with_name(sidecar.name[: -len(SIDECAR_SUFFIX)] + suffix)


def apply_sidecar(article: Article, path: Path, *, today: dt.date, registry: OutletRegistry) -> tuple[Article, list[str]]:
    """The article with its sidecar's fields applied (if there is one), and any warnings."""
    sidecar = sidecar_for(path)
    if not sidecar.is_file():
        return article, []
    try:
        data = json.loads(decode_bytes(sidecar.read_bytes()))
    except (OSError, NotTextError, ValueError) as error:
        return article, [f"sidecar {sidecar.name} ignored: {error}"]
    if not isinstance(data, dict):
        return article, [f"sidecar {sidecar.name} ignored: expected a JSON object"]
    warnings: list[str] = []
    changes: dict[str, Any] = {}
    for name, value in data.items():
        if name in TEXT_FIELDS:
            if value is not None and not isinstance(value, (str, int)):
                warnings.append(f"sidecar {sidecar.name}: {name} must be text; ignored")
                continue
            text = " ".join(str(value).split()) if value is not None else ""
            if name == "id" and not text:
                warnings.append(f"sidecar {sidecar.name}: empty id ignored")
                continue
            changes[name] = text or None
        elif name == "outlet":
            outlet = registry.resolve(str(value)) if value else None
            changes.update(
                outlet=outlet.name if outlet else None,
                outlet_key=outlet.key if outlet else None,
                outlet_group=outlet.group if outlet else None,
            )
        elif name == "date":
            try:
                changes["date"] = parse_record_date(value, today)
            except ValueError as error:
                warnings.append(f"sidecar {sidecar.name}: {error}; extracted date kept")
        else:
            warnings.append(f"sidecar {sidecar.name}: unknown field {name!r} ignored")
    return replace(article, **changes), warnings
