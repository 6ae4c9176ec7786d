"""What the envelope says when a query is off: the correction it was searched as, notices, and the archive's facts.

The engine decides (:func:`search.engine.answer`: a misspelt query searched as corrected, the
archive's facts when nothing matched, the outlets it does not hold); the words and URLs
are this module's, in the envelope the page, the API and the CLI share:

- ``corrected``: ``{"query", "original", "url", "original_url"}`` when the query as typed found
  nothing and its correction is shown; ``original_url`` searches the words as typed
  (``correction=off``, the filters kept), so following it never corrects again.
- ``notices``: what was mended or cannot be found, one sentence each: a reversed date range
  swapped (:data:`web.params.DATES_SWAPPED`), an outlet the archive does not hold.
- ``unknown_outlets``: those outlets, ``{"value", "label"}``.
- ``archive``: the archive's article count, first and last date and its largest outlets, when
  nothing matched (or an outlet was asked for that none of the matches comes from).

``berita search`` prints the same as lines (:func:`guidance_lines`, :func:`archive_lines`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from search.domain.result import Archive, SearchResult
from web.facet_labels import registered_name
from web.facets import Args, url_with
from web.formatting import ribuan, short_date

ARCHIVE_OUTLETS = 5  # the archive's outlets the envelope and a notice list, largest first


def guidance(result: SearchResult, base: str, args: Args, notices: Sequence[str] = ()) -> dict[str, object]:
    """The envelope's ``corrected``, ``notices``, ``unknown_outlets`` and ``archive`` (see the module docstring)."""
    unknown = [{"value": value, "label": registered_name(value)} for value in result.unknown_outlets]
    if unknown and result.archive:
        notices = [*notices, unknown_outlets_notice([item["label"] for item in unknown], result.archive)]
    return {"corrected": corrected(result, base, args), "notices": list(notices), "unknown_outlets": unknown,
            "archive": archive_dict(result.archive) if result.archive else None}


def corrected(result: SearchResult, base: str, args: Args) -> dict[str, str] | None:
    """"Menampilkan hasil untuk …": the query searched, the one typed, and the URLs of both (the filters kept)."""
    if result.corrected_from is None:
        return None
    kept = [(key, value) for key, value in args if key not in ("q", "page")]
    return {"query": result.request.q, "original": result.corrected_from, "url": url_with(base, args, drop=("page",)),
            "original_url": url_with(base, [("q", result.corrected_from), *kept, ("correction", "off")])}


def held_label(archive: Archive, key: str) -> str:
    """An outlet of the archive as its articles name it."""
    return archive.outlet_labels.get(key, key)


def archive_dict(archive: Archive) -> dict[str, object]:
    """The archive's facts as the envelope states them, dates as ISO text with their labels (``22 Agu 2016``)."""
    return {
        "articles": archive.articles,
        "first": archive.first.isoformat() if archive.first else None,
        "last": archive.last.isoformat() if archive.last else None,
        "first_label": short_date(archive.first) if archive.first else None,
        "last_label": short_date(archive.last) if archive.last else None,
        "outlet_count": len(archive.outlets),
        "outlets": [{"value": key, "label": held_label(archive, key), "count": count} for key, count in archive.outlets[:ARCHIVE_OUTLETS]],
    }


def unknown_outlets_notice(labels: list[str], archive: Archive) -> str:
    """``Kompas.com tidak ada di arsip ini; media yang ada: CNN Indonesia (1.239), … dan 5 lainnya.``"""
    listed = archive.outlets[:ARCHIVE_OUTLETS]
    if not listed:
        return f"{' dan '.join(labels)} tidak ada di arsip ini; arsip ini belum memuat artikel."
    held = ", ".join(f"{held_label(archive, key)} ({ribuan(count)})" for key, count in listed)
    others = len(archive.outlets) - len(listed)
    return f"{' dan '.join(labels)} tidak ada di arsip ini; media yang ada: {held}{f' dan {others} lainnya' if others else ''}."


def guidance_lines(envelope: dict[str, Any]) -> list[str]:
    """What ``berita search`` says before the count: the correction searched instead, the notices, the suggestion."""
    corrected = envelope["corrected"]
    lines = [f'Menampilkan hasil untuk "{corrected["query"]}". Cari "{corrected["original"]}" saja: --as-typed'] if corrected else []
    lines += [line for line in [envelope["notice"], *envelope["notices"]] if line]
    return lines + ([f"Mungkin maksud Anda: {envelope['suggestion']['query']}"] if envelope["suggestion"] else [])


def archive_lines(envelope: dict[str, Any]) -> list[str]:
    """What ``berita search`` says after a count of 0: what the archive holds."""
    archive = envelope["archive"]
    if envelope["total"] or not archive or not archive["first"]:
        return []
    return [f"Arsip ini memuat {ribuan(archive['articles'])} artikel dari {archive['first_label']} sampai {archive['last_label']}."]
