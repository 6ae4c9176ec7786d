"""Read article files and folders into Articles, one result per article or per failure.

This is the "read -> extract" end of the pipeline. It never touches the index: it yields
:class:`Extracted` for each article and :class:`Failed` for each input that could not
become one (with the reason), so one broken file never stops a batch.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from search.domain.article import Article
from search.extract.date_order import DateOrder, order_of_json_text, order_of_values
from search.extract.decode import NotTextError, decode_bytes, decode_line
from search.extract.html import extract_html
from search.extract.outlets import OutletRegistry, default_registry
from search.extract.records import DATE_FIELDS, RecordError, article_from_record, first_field
from search.extract.sidecar import apply_sidecar, article_beside, is_sidecar
from search.extract.text import extract_text_noted

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES
# One file, one article: these may carry a sidecar (``name.meta.json``).
SINGLE_ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
# A file of one record per line bigger than this is read a line at a time: a scraper's dump
# of a million articles is gigabytes, and reading it whole held four times that in memory.
STREAM_ABOVE_BYTES = 16 * 1024 * 1024
_SAMPLE_BYTES = 64 * 1024


@dataclass
class Extracted:
    """An article ready to index; ``nbytes`` is how much input it consumed (for progress)."""

    article: Article
    warnings: list[str] = field(default_factory=list)
    nbytes: int = 0
    origin: str = ""  # the file it came from (absolute path), "" when none


@dataclass
class Failed:
    """An input (file, or one record of a file) that produced no article, and why."""

    source: str
    reason: str
    nbytes: int = 0
    origin: str = ""
    position: int | None = None  # the record's place in a posted list or JSON Lines body, from 0


@dataclass
class Skipped:
    """A file inside a folder that is not an article format; listed, never silently dropped."""

    source: str
    reason: str


Result = Extracted | Failed


LINK_OUTSIDE = "symbolic link to a file outside the folder; not followed"
LINK_FOLDER = "symbolic link to a folder; not followed"


def leaves_folder(path: Path, folder: Path) -> bool:
    """Whether ``path`` is a symbolic link whose target lies outside ``folder``.

    Such a link would index a file nobody put in the folder (``watch/leak.txt ->
    /etc/secret``), and removing the link would never remove the article.
    """
    if not path.is_symlink():
        return False
    try:
        return not path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return True


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Failed | Skipped]]:
    """The article files under ``paths`` (sorted), plus what could not or will not be read.

    A file named explicitly is read whatever its suffix is not: an unsupported one fails.
    Inside folders, hidden entries are ignored and other suffixes are listed as skipped, and
    so are symbolic links to folders and to files outside the folder (never followed).
    """
    files: list[Path] = []
    problems: list[Failed | Skipped] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                linked = [d for d in dirs if not d.startswith(".") and (Path(root) / d).is_symlink()]
                problems.extend(Skipped(str(Path(root) / d), LINK_FOLDER) for d in sorted(linked))
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in linked)
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    child = Path(root) / name
                    if leaves_folder(child, path):
                        problems.append(Skipped(str(child), LINK_OUTSIDE))
                        continue
                    if is_sidecar(child):  # read with its article, not as one
                        if not any(article_beside(child, suffix).exists() for suffix in SINGLE_ARTICLE_SUFFIXES):
                            problems.append(Skipped(str(child), "sidecar without an article beside it"))
                        continue
                    if child.suffix.lower() in SUPPORTED_SUFFIXES:
                        files.append(child)
                    else:
                        problems.append(Skipped(str(child), f"not an article format ({child.suffix or 'no suffix'})"))
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                problems.append(Failed(str(path), f"unsupported file type {path.suffix or '(no suffix)'}; expected .txt, .html, .json or .jsonl"))
        else:
            problems.append(Failed(str(path), "no such file or folder"))
    return files, problems


def read_file(path: Path, *, today: dt.date | None = None, registry: OutletRegistry | None = None) -> Iterator[Result]:
    """Every article in one file (a .txt is one article; JSON/JSONL may hold many).

    Each result carries the file's absolute path as ``origin``, so the indexer can tell
    which articles a file still yields and delete the ones it no longer does.
    """
    origin = str(path.resolve())
    for result in _read_file(path, today=today, registry=registry):
        result.origin = origin
        yield result


def _read_file(path: Path, *, today: dt.date | None, registry: OutletRegistry | None) -> Iterator[Result]:
    today = today or dt.date.today()
    registry = registry or default_registry()
    source = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson") and path.stat().st_size > STREAM_ABOVE_BYTES:
            yield from _stream_jsonl(path, today, registry)
            return
        data = path.read_bytes()
    except OSError as error:
        yield Failed(source, f"cannot read: {error.strerror or error}")
        return
    try:
        text = decode_bytes(data)
    except NotTextError as error:
        yield Failed(source, str(error), nbytes=len(data))
        return
    if suffix in SINGLE_ARTICLE_SUFFIXES:
        notes: list[str] = []
        try:
            if suffix in HTML_SUFFIXES:
                article = extract_html(text, article_id=path.stem, today=today, source=source, registry=registry)
            else:
                article, notes = extract_text_noted(text, article_id=path.stem, today=today, source=source, registry=registry)
        except ValueError as error:
            yield Failed(source, str(error), nbytes=len(data))
        else:
            article, warnings = apply_sidecar(article, path, today=today, registry=registry)
            yield Extracted(article, notes + warnings, nbytes=len(data))
    elif suffix == ".json":
        yield from _read_json(text, path, today, registry, len(data))
    else:
        yield from _read_jsonl(text, path, today, registry)


def _record_result(record: object, fallback_id: str, source: str, today: dt.date, registry: OutletRegistry, nbytes: int,
                   order: DateOrder | None = None) -> Result:
    try:
        article, warnings = article_from_record(record, fallback_id=fallback_id, today=today, source=source, registry=registry, order=order)
    except RecordError as error:
        return Failed(source, str(error), nbytes=nbytes)
    return Extracted(article, warnings, nbytes=nbytes)


def _read_json(text: str, path: Path, today: dt.date, registry: OutletRegistry, nbytes: int) -> Iterator[Result]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        yield Failed(str(path), f"invalid JSON: {error.msg} at line {error.lineno} column {error.colno}", nbytes=nbytes)
        return
    if isinstance(data, dict):
        yield _record_result(data, path.stem, str(path), today, registry, nbytes)
    elif isinstance(data, list):
        share = nbytes // max(len(data), 1)
        order = order_of_values(first_field(record, DATE_FIELDS) for record in data if isinstance(record, dict))
        for position, record in enumerate(data):
            yield _record_result(record, f"{path.stem}-{position}", f"{path}[{position}]", today, registry, share, order)
        if not data:
            yield Failed(str(path), "JSON list holds no records", nbytes=nbytes)
    else:
        yield Failed(str(path), "JSON must be an object or a list of objects", nbytes=nbytes)


def _read_jsonl(text: str, path: Path, today: dt.date, registry: OutletRegistry) -> Iterator[Result]:
    # Not splitlines: U+2028 may sit inside a JSON string. Old Mac files end lines with a bare CR.
    separator = "\n" if "\n" in text or "\r" not in text else "\r"
    lines = [line.removesuffix("\r") for line in text.split(separator)]
    order = order_of_json_text(lines)
    yield from _jsonl_records(((line, len(line.encode("utf-8")) + 1) for line in lines), path, today, registry, order)


def _stream_jsonl(path: Path, today: dt.date, registry: OutletRegistry) -> Iterator[Result]:
    """A big JSONL file a line at a time: its start is checked like a whole file (empty, binary), then each line decoded."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
        try:
            decode_bytes(sample)
            if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\n" not in sample:  # rare: decode it whole
                handle.seek(0)
                yield from _read_jsonl(decode_bytes(handle.read()), path, today, registry)
                return
        except NotTextError as error:
            yield Failed(str(path), str(error), nbytes=path.stat().st_size)
            return
        start = len(codecs.BOM_UTF8) if sample.startswith(codecs.BOM_UTF8) else 0
        handle.seek(start)
        order = order_of_json_text(decode_line(raw) for raw in handle)  # a look over the file first: how it writes its dates
        handle.seek(start)
        lines = ((decode_line(raw.rstrip(b"\r\n")), len(raw)) for raw in handle)
        yield from _jsonl_records(lines, path, today, registry, order)


def _jsonl_records(lines: Iterable[tuple[str, int]], path: Path, today: dt.date, registry: OutletRegistry,
                   order: DateOrder) -> Iterator[Result]:
    """Each (line, its size in bytes) as a record's result; blank lines skipped, bad JSON a failure of its own."""
    for number, (line, nbytes) in enumerate(lines, start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield Failed(source, f"invalid JSON: {error.msg} at column {error.colno}", nbytes=nbytes)
            continue
        yield _record_result(record, f"{path.stem}-{number}", source, today, registry, nbytes, order)


def read_paths(paths: Iterable[Path], *, today: dt.date | None = None) -> Iterator[Result]:
    """Every article and failure under ``paths``; skipped files are not included (see :func:`discover`)."""
    yield from read_discovered(*discover(paths), today=today)


def read_discovered(files: list[Path], problems: list[Failed | Skipped], *, today: dt.date | None = None) -> Iterator[Result]:
    """:func:`read_paths` for what :func:`discover` already found (callers that also need the file list)."""
    for problem in problems:
        if isinstance(problem, Failed):
            yield problem
    for path in files:
        yield from read_file(path, today=today)


__all__ = ["Extracted", "Failed", "Skipped", "Result", "discover", "read_discovered", "read_file", "read_paths", "Article"]
