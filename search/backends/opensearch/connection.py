"""The cluster connection: one client per engine, and every failure of the cluster as one clear line.

A cluster that cannot be reached, refuses the credentials, is red or answers an internal
error becomes :class:`~search.domain.errors.IndexUnavailable` with a message naming the
cluster's URL (never its password); the web layer answers it with 503 and the CLI with one
line and exit status 1. A request that ran past the search's time budget becomes
:class:`~search.domain.errors.SearchTimeout`, as on the Whoosh backend.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from opensearchpy import OpenSearch
from opensearchpy.exceptions import (
    HTTP_EXCEPTIONS,
    AuthenticationException,
    AuthorizationException,
    ConnectionError,
    ConnectionTimeout,
    NotFoundError,
    SerializationError,
    TransportError,
)

from search.budget import current_deadline
from search.domain.errors import IndexUnavailable
from search.engine import EngineConfig

# Seconds a request may take when no search budget bounds it (writes, counts, exports' pages).
REQUEST_TIMEOUT_S = 30.0
# A request the cluster could not serve is sent again to another node this many times (a node going down).
RETRIES = 3
# Connections kept open to each node: a server's threads, an export's pages and a write's bulk thread at once.
POOL_SIZE = 32


def public_url(url: str) -> str:
    """``url`` without its credentials: what messages and logs may show."""
    parts = []
    for one in url.split(","):
        split = urlsplit(one.strip())
        host = split.hostname or ""
        netloc = f"{host}:{split.port}" if split.port else host
        parts.append(urlunsplit((split.scheme, netloc, split.path, "", "")))
    return ",".join(parts)


def connect(config: EngineConfig) -> OpenSearch:
    """A client of the cluster ``config`` names (no request is made yet).

    Several comma-separated URLs name several nodes: a request goes to a live one, and a
    node that stops answering is left out until it answers again.
    """
    if not config.url.strip():
        raise IndexUnavailable("no OpenSearch URL given: set --opensearch-url or BERITA_OPENSEARCH_URL")
    hosts = [one.strip() for one in config.url.split(",") if one.strip()]
    return OpenSearch(hosts, timeout=REQUEST_TIMEOUT_S, max_retries=RETRIES, retry_on_timeout=False,
                      retry_on_status=(502, 504), pool_maxsize=POOL_SIZE, verify_certs=config.verify_certs, ssl_show_warn=config.verify_certs,
                      ca_certs=config.ca_certs or None)


def searched(client: OpenSearch, **arguments: Any) -> dict[str, Any]:
    """``client.search(**arguments)``, refused unless every shard answered.

    A cluster that lost a shard's every copy answers from the shards it still has, with 200:
    a total too small, an article that exists reported missing. Such an answer is never
    shown; the user is told part of the index is unavailable (503), as for a red cluster.
    """
    answer: dict[str, Any] = client.search(allow_partial_search_results=False, **arguments)
    whole(answer)
    return answer


class PartialAnswer(Exception):
    """Some of the index's shards did not answer (:func:`cluster_errors` names the cluster)."""


class MalformedAnswer(Exception):
    """The cluster answered without the part such an answer always has: seen from a node going down while the
    cluster manager is killed or restarted. The reader is told the cluster cannot serve now (503), as for a failed request."""


def part(answer: Any, key: str) -> Any:
    """``answer[key]``, or :class:`MalformedAnswer` when the cluster's answer has no such part."""
    try:
        return answer[key]
    except (KeyError, TypeError, IndexError):
        raise MalformedAnswer(f"an answer without {key!r}") from None


def multi_searched(client: OpenSearch, searches: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[dict[str, Any]]:
    """Several searches in one request (each a header and a body), each answer refused unless whole (see :func:`searched`)."""
    lines: list[dict[str, Any]] = []
    for header, body in searches:
        lines += [{"allow_partial_search_results": False, **header}, body]
    return [answered(answer) for answer in part(client.msearch(body=lines, request_timeout=request_timeout()), "responses")]


def answered(answer: dict[str, Any]) -> dict[str, Any]:
    """One search of a multi-search, or its failure raised as the client raises a failed request's (a red index's 503, say):
    the cluster answers a multi-search with 200 however many of its searches failed."""
    if "error" in answer:
        status = int(answer.get("status") or 500)
        error = answer["error"]
        raise HTTP_EXCEPTIONS.get(status, TransportError)(status, error.get("type", "") if isinstance(error, dict) else str(error), answer)
    whole(answer)
    return answer


def whole(answer: dict[str, Any]) -> None:
    """Raise :class:`PartialAnswer` when a search's answer lacks some of the index's shards."""
    shards = answer.get("_shards") or {}
    total = int(shards.get("total", 0))
    answered = int(shards.get("successful", 0)) + int(shards.get("skipped", 0))
    if shards.get("failed") or answered < total:
        raise PartialAnswer(f"{answered} of {total} shards answered")


def request_timeout() -> float:
    """Seconds the next request may take: what is left of the search's budget, else :data:`REQUEST_TIMEOUT_S`."""
    deadline = current_deadline()
    if math.isinf(deadline.at):
        return REQUEST_TIMEOUT_S
    return max(0.05, deadline.at - time.monotonic())


@contextlib.contextmanager
def cluster_errors(config: EngineConfig) -> Iterator[None]:
    """Turn the client's exceptions into the engine's: one clear line naming the cluster (see the module docstring)."""
    where = public_url(config.url)
    try:
        yield
    except PartialAnswer as error:
        raise IndexUnavailable(f"part of the index on the OpenSearch cluster at {where} is unavailable ({error})") from None
    except (MalformedAnswer, SerializationError) as error:
        raise IndexUnavailable(f"the OpenSearch cluster at {where} cannot serve now ({error})") from None
    except ConnectionTimeout:
        current_deadline().check()  # a search past its budget says so
        raise IndexUnavailable(f"the OpenSearch cluster at {where} did not answer in time") from None
    except ConnectionError:
        raise IndexUnavailable(f"the OpenSearch cluster at {where} cannot be reached") from None
    except (AuthenticationException, AuthorizationException):
        raise IndexUnavailable(f"the OpenSearch cluster at {where} refused the credentials (check the user name and password)") from None
    except NotFoundError as error:
        if _error_type(error) == "index_not_found_exception":
            raise IndexUnavailable(f"no index {config.index_name!r} on the OpenSearch cluster at {where}; run `berita index` first") from None
        if _error_type(error) == "search_phase_execution_exception":  # "No search context found": its node went away mid-search
            raise IndexUnavailable(f"part of the index on the OpenSearch cluster at {where} is unavailable (a shard's node went away "
                                   "during the search)") from None
        raise
    except TransportError as error:
        if error.status_code == 503 and _error_type(error) == "search_phase_execution_exception":
            raise IndexUnavailable(f"part of the index on the OpenSearch cluster at {where} is unavailable (a shard has no copy that answers)") from None
        if isinstance(error.status_code, int) and error.status_code >= 500 or error.status_code == 429:
            raise IndexUnavailable(f"the OpenSearch cluster at {where} cannot serve now ({_reason(error)})") from None
        raise


def _error_type(error: TransportError) -> str:
    info = error.info if isinstance(error.info, dict) else {}
    detail = info.get("error")
    return str(detail.get("type", "")) if isinstance(detail, dict) else ""


def _reason(error: TransportError) -> str:
    """A short reason for a failed request: the cluster's error type, else its status."""
    return _error_type(error) or f"status {error.status_code}"



SCAN_PAGE = 500  # documents a scan reads at a time
SCAN_TIMEOUT_S = 120.0  # a page of whole articles, on a busy cluster


def scan(client: OpenSearch, index: str, query: dict[str, Any], fields: list[str],
         sort: list[dict[str, Any]] | None = None) -> Iterator[dict[str, Any]]:
    """The ``_source`` (``fields`` of it) of every match of ``query``, read a page at a time in ``sort`` order (by id by
    default) with ``search_after``: every match, however many (what a rebuild copies, a write run looks up)."""
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {"query": query, "size": SCAN_PAGE, "_source": fields, "sort": sort or [{"id": "asc"}], "track_total_hits": False}
        if after:
            body["search_after"] = after
        found = searched(client, index=index, body=body, request_timeout=SCAN_TIMEOUT_S)["hits"]["hits"]
        yield from (hit["_source"] for hit in found)
        if len(found) < SCAN_PAGE:
            return
        after = found[-1]["sort"]
