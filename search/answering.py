"""What a search answers when its query is off: a typo searched as corrected, the archive's facts when nothing matches.

Built on the interface's own :meth:`~search.engine.SearchEngine.search`, above the backends,
so every backend answers alike:

- A query nothing matches whose spelling suggestion finds articles is searched as the
  suggestion ("banjr jakarta" as "banjir jakarta"), and the result says so
  (``corrected_from``): a reader who typed a word wrong wants the articles, not a link to
  them. Everything it shows (hits, total, facets, chart, partial matches) is the corrected
  search's. ``SearchRequest.correction=False`` searches the words as typed, with the
  suggestion offered as before. When the suggestion finds nothing either (it is counted
  without an ``outlet:`` of the query), there is no correction and no suggestion.
- A search that finds nothing carries the archive's facts (:class:`~search.domain.result.Archive`:
  how many articles, from when to when, which outlets), so the reader learns what can be
  found here. So does a search naming an outlet that none of its matches comes from; an
  outlet with no article in the archive is listed in ``unknown_outlets``, so the reader is
  told that Kompas is not in this archive rather than shown a bare 0.
"""

from __future__ import annotations

import weakref
from dataclasses import replace
from typing import TYPE_CHECKING

from search.domain.facets import UNKNOWN
from search.domain.request import SearchRequest
from search.domain.result import Archive, SearchResult
from search.extract.outlets import default_registry
from search.querylang import prepare, read_query

if TYPE_CHECKING:
    from search.engine import SearchEngine

ARCHIVES_KEPT = 4  # commits whose archive facts are kept per engine
_archives: weakref.WeakKeyDictionary[SearchEngine, dict[str, Archive]] = weakref.WeakKeyDictionary()

# The whole archive, oldest first: its total, its outlets' counts and its first date in one search.
EVERYTHING = SearchRequest(sort="terlama", size=1, grouping=False)


def answer(engine: SearchEngine, request: SearchRequest) -> SearchResult:
    """``request`` searched on ``engine``, corrected when its words were misspelt, with the archive's facts when needed."""
    result = engine.search(request)
    if not result.total and result.suggestion:
        result = _corrected(engine, request, result)
    named = _named_outlets(result.request)
    if result.total and set(named) <= set(result.counts.get("outlet", {})):
        return result
    result.archive = _archive_of_commit(engine, result.commit)
    held = {key for key, _ in result.archive.outlets}
    result.unknown_outlets = tuple(name for name, key in named.items() if name not in held and key not in held)
    return result


def _corrected(engine: SearchEngine, request: SearchRequest, result: SearchResult) -> SearchResult:
    """The search of ``result``'s suggestion, marked as corrected; ``result`` itself when the reader asked for the words as typed.

    The suggestion is the query's whole text with the misspelt words replaced (an ``outlet:``
    or a phrase of the query is kept); when it finds nothing, the suggestion is dropped.
    """
    suggestion = respelled(request.q, result.suggestion or "")
    result.suggestion = suggestion
    if not request.correction:
        return result
    corrected = engine.search(replace(request, q=suggestion))
    if not corrected.total:
        result.suggestion = None
        return result
    corrected.corrected_from = request.q
    corrected.suggestion = None
    return corrected


def respelled(q: str, suggestion: str) -> str:
    """``q`` with each word the backend corrected replaced as ``suggestion`` (the corrected words alone) spells it.

    A backend suggests over the query's words (:func:`search.querylang.prepare`'s text, without
    ``outlet:``); the words stand at the same places in both, so each changed word is
    replaced where ``q`` writes it. ``suggestion`` itself when they cannot be paired (a
    repaired query: ``"banjr`` with its quote left open).
    """
    words, corrected = prepare(q).text.split(), suggestion.split()
    if len(words) != len(corrected):
        return suggestion
    changed = {word: new for word, new in zip(words, corrected, strict=True) if word != new}
    tokens = q.split()
    replaced = [changed.get(token, token) for token in tokens]
    return " ".join(replaced) if replaced != tokens else suggestion


def _named_outlets(request: SearchRequest) -> dict[str, str]:
    """The outlets a request asks for, each as it is asked for and as the registry keys it.

    ``outlet=`` values are facet keys as written (``kompas.com``; ``kompas`` finds nothing, but
    is Kompas.com's alias); ``outlet:`` names of the query are keys already.
    """
    registry = default_registry()
    named = {value: registry.resolve(value).key for value in request.outlets}
    return {**named, **{key: key for key in read_query(request.q).outlets}}


def _archive_of_commit(engine: SearchEngine, commit: str) -> Archive:
    """The archive's facts (:func:`_archive`), worked out once per commit of ``engine`` when its results name their commit.

    A search that finds nothing shows the archive's facts: one search of everything, the
    costliest a server answers (7 ms over 100,000 articles), and the same until the next commit.
    """
    known = _archives.setdefault(engine, {}) if commit else {}
    archive = known.get(commit)
    if archive is None:
        everything = engine.search(EVERYTHING)
        archive = _archive(everything)
        if everything.commit:  # the commit it was read from: a commit may have come between the two searches
            if len(known) >= ARCHIVES_KEPT:
                known.clear()
            known[everything.commit] = archive
    return archive


def _archive(everything: SearchResult) -> Archive:
    """The archive's article count, first and last date, and outlets by count, from a search of everything (oldest first)."""
    counted = everything.counts.get("outlet", {}).items()  # articles of no known outlet are not an outlet to list
    outlets = sorted(((key, n) for key, n in counted if key != UNKNOWN), key=lambda item: (-item[1], item[0]))
    first = everything.hits[0].date if everything.hits else None
    return Archive(articles=everything.total, first=first, last=everything.newest, outlets=tuple(outlets),
                   outlet_labels=dict(everything.outlet_labels))
