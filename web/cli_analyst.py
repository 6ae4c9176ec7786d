"""``berita compare`` and ``berita terms``: the analyst views at the terminal, with the page's JSON under ``--json``."""

from __future__ import annotations

import json
from typing import Any

import click
from werkzeug.datastructures import MultiDict

from search.domain.errors import IndexUnavailable
from search.domain.request import InvalidRequest
from search.engine import EngineConfig, open_engine
from web.cli_options import CLI_QUERY_CHARS, engine_options, filter_options, filter_params


@click.command("compare")
@click.argument("queries", nargs=-1, required=True)
@filter_options
@click.option("--share", is_flag=True, help="Each period as a percentage of all articles of that period.")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as GET /api/banding.")
@engine_options
def compare_command(queries: tuple[str, ...], share: bool, as_json: bool, engine: EngineConfig, **filters: Any) -> None:
    """Compare up to five QUERIES over time (one column each), with the same filters for all."""
    from web.analyst import compare_envelope, compare_requests

    params = [("q", q) for q in queries] + filter_params(filters)
    try:
        requests = compare_requests(MultiDict(params), CLI_QUERY_CHARS)
        envelope = compare_envelope(open_engine(engine).compare(requests), share=share)
    except (InvalidRequest, IndexUnavailable) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(envelope, ensure_ascii=False, indent=2))
        return
    chart: dict[str, Any] = envelope["chart"]  # type: ignore[assignment]
    series = chart["series"]
    width = max((len(p["period"]) for p in chart["periods"]), default=8)
    click.echo(f"{'periode':<{width}}  " + "  ".join(f"{s['name'][:18]:>18}" for s in series))
    for number, period in enumerate(chart["periods"]):
        cells = [f"{s['values'][number]:>17.1f}%" if share else f"{s['counts'][number]:>18}" for s in series]
        click.echo(f"{period['period']:<{width}}  " + "  ".join(cells))
    click.echo(f"{'jumlah':<{width}}  " + "  ".join(f"{s['total']:>18}" for s in series))


@click.command("terms")
@click.argument("query", default="")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as GET /api/tentang.")
@engine_options
def terms_command(query: str, as_json: bool, engine: EngineConfig, **filters: Any) -> None:
    """What QUERY's articles are about: distinctive words and phrases (log-likelihood against the archive), most mentioned names."""
    from web.analyst import about_envelope
    from web.params import parse_search_args

    try:
        request = parse_search_args(MultiDict([("q", query), *filter_params(filters)]), CLI_QUERY_CHARS)
        envelope = about_envelope(open_engine(engine).about(request), request)
    except (InvalidRequest, IndexUnavailable) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(envelope, ensure_ascii=False, indent=2))
        return
    sampled = f", kata dan frasa dari sampel {envelope['read']}" if envelope["sampled"] else ""
    click.echo(f"{envelope['total']} artikel{sampled}")
    for key, heading in (("words", "Kata khas"), ("phrases", "Frasa khas"), ("names", "Nama")):
        click.echo()
        click.echo(click.style(heading, bold=True))
        for term in envelope[key]:  # type: ignore[attr-defined]
            click.echo(f"  {term['text']:<40} {term['docs']:>6} artikel" + (f"  G²={term['score']:.1f}" if term["score"] else ""))
