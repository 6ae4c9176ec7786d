"""The ``berita`` command line: index, extract, search, serve, status.

Each command's docstring is its ``--help``. Exit status: 0 when everything asked for
succeeded, 1 when some inputs failed (the rest was still done) or the index cannot be
used, 2 for usage errors.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from search.domain.errors import IndexUnavailable
from search.domain.result import IndexReport
from search.engine import BULK_COMMIT_EVERY, COMMIT_EVERY, EngineConfig, SearchEngine, open_engine, usable_cores
from search.extract import Extracted, Failed, Skipped, discover, read_discovered, read_file
from web import index_db, urls
from web.cli_analyst import compare_command, terms_command
from web.cli_migrate import migrate_command
from web.cli_opensearch import opensearch_group
from web.cli_options import CLI_QUERY_CHARS, engine_options, filter_options, filter_params
from web.cli_status import status_command
from web.formatting import UNKNOWN_DATE_LABEL, media_label
from web.guidance import archive_lines, guidance_lines

PROJECT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"

def default_seeds() -> Path:
    """``./seeds`` when run from a project checkout, else the seeds shipped beside the package."""
    here = Path("seeds")
    return here if here.is_dir() else PROJECT_SEEDS


@click.group()
@click.version_option(package_name="cari-berita")
def main() -> None:
    """Cari Berita: full-text search for Indonesian news."""


@main.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@engine_options
@click.option("--rebuild", is_flag=True, help="Build a complete new index beside the live one and swap it in.")
@click.option("--commit-every", type=click.IntRange(1),
              help=f"Commit after this many changes, so a crash loses at most one batch.  "
                   f"[default: {COMMIT_EVERY}; {BULK_COMMIT_EVERY} when filling an empty index]")
@click.option("--wait", "lock_timeout", default=60.0, show_default=True, type=click.FloatRange(0),
              help="Seconds to wait for another writer to finish.")
def index_command(paths: tuple[Path, ...], engine: EngineConfig, rebuild: bool, commit_every: int | None, lock_timeout: float) -> None:
    """Index article files: PATHS are .txt raw articles, saved .html pages, .json/.jsonl records, or folders of them.

    Without PATHS the bundled seeds/ are indexed. Runs are incremental: unchanged articles
    are left alone, changed ones replaced, and articles whose file left an indexed folder
    (or whose record left a re-read file) are deleted. The summary counts added, updated,
    unchanged, deleted and failed inputs, with each failure's reason. Exits 1 when any
    input failed (everything else is still indexed).

    With --rebuild a new index is built beside the live one (from its stored articles plus
    PATHS) and swapped in atomically; searches are answered from the old one until then.
    Use it after an upgrade that changes the index version.
    """
    ok = run_index(list(paths) or ([] if rebuild else [default_seeds()]), engine,
                   rebuild=rebuild, commit_every=commit_every, lock_timeout=lock_timeout)
    sys.exit(0 if ok else 1)


def run_index(
    paths: list[Path],
    config: EngineConfig,
    *,
    rebuild: bool = False,
    commit_every: int | None = None,
    lock_timeout: float = 60.0,
) -> bool:
    """Index ``paths`` into the configured engine with a progress bar and a printed summary; True if nothing failed."""
    from tqdm import tqdm

    files, problems = discover(paths)
    engine = open_engine(config)
    folders = [path for path in paths if path.is_dir()]
    total = sum(_size(path) for path in files)

    def committed(count: int) -> None:
        click.echo(f"committed {count} changes", err=True)

    with tqdm(total=total, unit="B", unit_scale=True, desc="Mengindeks", disable=None, file=sys.stderr) as bar:
        try:
            if rebuild:
                report, carried = engine.rebuild(read_discovered(files, problems), folders=folders,
                                                on_result=lambda r: bar.update(r.nbytes), lock_timeout=lock_timeout)
                click.echo(f"rebuilt: {carried} articles carried over from the previous index")
            else:
                report = engine.index(read_discovered(files, problems), folders=folders, on_result=lambda r: bar.update(r.nbytes),
                                       on_commit=committed, commit_every=commit_every, lock_timeout=lock_timeout)
        except IndexUnavailable as error:
            raise click.ClickException(str(error)) from error
    click.echo(report.summary())
    for failure in report.failed:
        click.echo(f"  failed: {failure.source}: {failure.reason}", err=True)
    for source, warning in report.warnings:
        click.echo(f"  warning: {source}: {warning}", err=True)
    for problem in problems:
        if isinstance(problem, Skipped):
            click.echo(f"  skipped: {problem.source}: {problem.reason}", err=True)
    click.echo(f"{_doc_count(engine)} articles in {index_place(config, engine)}")
    return report.ok


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@main.command("watch")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@engine_options
def watch_command(folder: Path, engine: EngineConfig) -> None:
    """Index FOLDER, then keep indexing new, changed and removed article files until stopped (Ctrl+C).

    Changes are gathered for a moment and indexed in small batches; a new file is
    searchable a second or two after it is written. Running servers see each batch at once.
    """

    from web.watch import watch

    def report(kind: str, result: IndexReport) -> None:
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        if kind.startswith("retry"):
            click.echo(f"{stamp} {kind}", err=True)
            return
        click.echo(f"{stamp} {result.summary()}")
        for failure in result.failed:
            click.echo(f"  failed: {failure.source}: {failure.reason}", err=True)
        if kind == "start":
            click.echo(f"watching {folder} (Ctrl+C to stop)")

    try:
        watch(folder, open_engine(engine), report=report)
    except KeyboardInterrupt:
        click.echo("stopped")
    except IndexUnavailable as error:
        raise click.ClickException(str(error)) from error


@main.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects instead of text.")
def extract_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Show what the indexer would store for each FILE: id, title, outlet, city, date, credits, body."""
    found, problems = discover(files)
    failed = [p for p in problems if isinstance(p, Failed)]
    records: list[dict[str, object]] = []
    notes: list[tuple[str, str]] = []
    for path in found:
        for result in read_file(path):
            if isinstance(result, Extracted):
                records.append(result.article.to_dict())
                notes.extend((result.article.source or str(path), warning) for warning in result.warnings)
            else:
                failed.append(result)
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        for record in records:
            for key in ("id", "title", "outlet", "outlet_key", "city", "date", "author", "editor", "url", "source"):
                click.echo(f"{key + ':':12} {record[key] if record[key] is not None else '-'}")
            click.echo("body:")
            click.echo(str(record["body"]))
            click.echo()
    for source, note in notes:
        click.echo(f"note: {source}: {note}", err=True)
    for failure in failed:
        click.echo(f"failed: {failure.source}: {failure.reason}", err=True)
    sys.exit(1 if failed else 0)


@main.command("search")
@click.argument("query", default="")
@filter_options
@click.option("--sort", type=click.Choice(["relevansi", "terbaru", "terlama"]),
              help="Order of hits.  [default: relevansi with words, terbaru without]")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="Hits to show.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Page of hits.")
@click.option("--no-grouping", is_flag=True, help="List every copy of a story as its own hit (grouped by default).")
@click.option("--as-typed", is_flag=True, help="Search QUERY as typed even when nothing matches it (a misspelt query is searched corrected by default).")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as GET /api/search.")
@engine_options
def search_command(
    query: str,
    sort: str | None,
    limit: int,
    page: int,
    no_grouping: bool,
    as_typed: bool,
    as_json: bool,
    engine: EngineConfig,
    **filters: Any,
) -> None:
    """Search the index for QUERY (all words required, "quoted phrases" in order).

    When nothing matches QUERY and its spelling correction finds articles, those are shown,
    with a line saying so ("Menampilkan hasil untuk …"); --as-typed keeps the words as typed.
    """
    from werkzeug.datastructures import MultiDict

    from search.domain.request import InvalidRequest
    from search.engine import answer
    from web.envelope import search_envelope
    from web.params import parse_search

    params = [("q", query), ("page", str(page)), ("size", str(limit)), ("sort", sort or ""), *filter_params(filters)]
    params += [("grouping", "off")] if no_grouping else []
    params += [("correction", "off")] if as_typed else []
    try:
        request, notices = parse_search(MultiDict(params), CLI_QUERY_CHARS)  # the page's and the API's parameters, one parser
        envelope = search_envelope(answer(open_engine(engine), request), urls.API_SEARCH, notices)
    except (InvalidRequest, IndexUnavailable) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(envelope, ensure_ascii=False, indent=2))
        return
    _print_results(envelope)


def _print_results(envelope: dict) -> None:
    for line in guidance_lines(envelope):  # the correction searched instead, the notices, the suggestion
        click.echo(line)
    stories = envelope["stories"]
    in_stories = f" dalam {stories} cerita" if stories is not None and stories < envelope["total"] else ""
    click.echo(f"{envelope['total']} hasil{in_stories} (halaman {envelope['page']} dari {envelope['pages']})")
    for line in archive_lines(envelope):  # nothing matched: what the archive holds
        click.echo(line)
    hits, partial = envelope["hits"], envelope["partial"]
    first = (envelope["page"] - 1) * envelope["size"] + 1
    for index, hit in enumerate(hits):
        for match in (p for p in partial if p["before"] == index):
            _echo_partial(match)
        number = first + index
        meta = _meta(hit)
        click.echo()
        click.echo(click.style(f"{number}. {hit['headline']}", bold=True) + f"  [{hit['id']}]")
        click.echo(f"   {meta}")
        click.echo("   " + _terminal_snippet(str(hit["snippet"])))
        if hit["similar_count"]:
            outlets = ", ".join(dict.fromkeys(media_label(other["outlet"]) for other in hit["similar"]))
            click.echo(f"   + {hit['similar_count']} artikel serupa: {outlets}")
    after = [p for p in partial if p["before"] == len(hits)]
    if after:
        click.echo()
        click.echo(click.style("Cocok sebagian (memuat sebagian kata; tidak dihitung):", bold=True))
    for match in after:
        meta = _meta(match)
        missing = f"  (tidak memuat: {match['missing']})" if match["missing"] else ""
        click.echo(f"- {match['headline']}  [{match['id']}]  {meta}{missing}")
    facets = envelope["facets"]
    if facets["outlet"] or facets["date"]:
        click.echo()
    if facets["outlet"]:
        click.echo("Media: " + ", ".join(f"{v['label']} ({v['count']}) [{v['value']}]" for v in facets["outlet"]))
    if facets["date"]:
        click.echo("Tahun: " + ", ".join(f"{v['label']} ({v['count']})" for v in facets["date"]))


def _meta(hit: dict[str, Any]) -> str:
    """A listed article's outlet, date (or the unknown-date label) and city, as one line."""
    return " · ".join(str(x) for x in (media_label(hit["outlet"]), hit["date"] or UNKNOWN_DATE_LABEL, hit["city"]) if x)


def _echo_partial(match: dict[str, Any]) -> None:
    """A partial match among the hits: unnumbered, with the word it lacks (it is not counted)."""
    meta = _meta(match)
    click.echo()
    click.echo(f"~  {match['headline']}  [{match['id']}]")
    click.echo(f"   {meta} · cocok sebagian, tidak memuat: {match['missing']}")
    click.echo("   " + _terminal_snippet(str(match["snippet"])))


def _terminal_snippet(snippet: str) -> str:
    import html

    marked = re.sub(r"<mark[^>]*>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True, underline=True), snippet)
    return html.unescape(marked)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes.  [default: one per core]")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64), help="Threads per worker.")
@engine_options
def serve_command(host: str, port: int, workers: int | None, threads: int, engine: EngineConfig) -> None:
    """Serve the search page and JSON API with gunicorn (a production WSGI server).

    When the index is missing or empty, the bundled seeds/ are indexed first so the page
    shows results at once.
    """
    from web import create_app
    from web.server import PortInUse, check_port_free, serve

    try:
        check_port_free(host, port)  # before the start-up work: a taken port fails at once
    except PortInUse as error:
        raise click.ClickException(f"{error} (is another server running? choose another --port)") from error
    backend = open_engine(engine)
    place = index_place(engine, backend)
    # Counted on the start-up engine, never the served one: a cluster connection the served engine opened here would be
    # inherited by every forked worker, and their answers would cross on one socket.
    articles = _doc_count(backend) if backend.exists() else 0
    if not articles:
        seeds = default_seeds()
        click.echo(f"No articles yet in {place}: indexing the bundled sample articles ({len(discover([seeds])[0])} files in {seeds}/) first.")
        run_index([seeds], engine)
        articles = _doc_count(backend)
    app = create_app(index_db.engine_settings(engine))
    with app.app_context():  # the app's own engine, whose workers inherit what it computed
        index_db.get_engine().warm()
    click.echo(f"Serving Cari Berita on http://{host}:{port}/ with {articles:,} articles from {place}. Press Ctrl+C to stop.")
    serve(app, host=host, port=port, workers=workers or usable_cores(), threads=threads)


def index_place(config: EngineConfig, engine: SearchEngine) -> str:
    """The index in words a first-time user can act on: ``the index folder index/``, or ``OpenSearch at URL (index berita)``.

    A bare ``index`` (the Whoosh folder's name) reads as a typo in a sentence about an index.
    """
    return f"the index folder {engine.describe()}/" if config.name == "whoosh" else f"OpenSearch at {engine.describe()}"


def _doc_count(engine: SearchEngine) -> int:
    try:
        return engine.count()
    except IndexUnavailable as error:
        raise click.ClickException(str(error)) from error


main.add_command(compare_command)
main.add_command(terms_command)
main.add_command(opensearch_group)
main.add_command(status_command)
main.add_command(migrate_command)
