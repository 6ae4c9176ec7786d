"""The coverage chart as data the page draws and the API returns: bars, a value scale, axis labels.

The engine counts matches per period (:mod:`search.analyst.periods`); this module decides how they
read: a scale of round steps (1, 2, 2.5 or 5 times a power of ten) whose gridlines carry
values, short Indonesian period labels (``19 Sep 2016``, ``Sep 2016``) for a handful of evenly
spaced bars, and each bar's full name and link for readers that go bar by bar.
"""

from __future__ import annotations

import math

from babel.numbers import format_percent

from search.domain.analyst import Coverage, Timeline
from search.domain.facets import FACETS
from search.domain.request import UNITS
from search.domain.result import SearchResult
from web.facets import RANGE_PARAMS, RESET_ON_CHANGE, Args, url_with
from web.formatting import LOCALE, date_range_label, period_label, persen, ribuan

# A new date range replaces every date filter (the range and the date facet) and returns to page 1.
DATE_PARAMS = (*RANGE_PARAMS, *(facet.name for facet in FACETS if facet.periods), *RESET_ON_CHANGE)
MAX_GRIDLINES = 4
AXIS_LABELS = 5  # first, last and three between (the page hides the in-between ones on a phone)
_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_scale(top: float, *, whole: bool) -> tuple[float, int]:
    """``(step, lines)``: the smallest round step with at most :data:`MAX_GRIDLINES` lines that reach ``top``.

    ``whole`` keeps steps whole numbers (article counts); percentages may step by 0.25.
    """
    if top <= 0:
        return 1.0, 1
    magnitude = 10.0 ** math.floor(math.log10(top / MAX_GRIDLINES))
    for factor in _STEPS:
        step = factor * magnitude
        if whole and (step < 1 or step != int(step)):
            continue
        lines = math.ceil(top / step - 1e-9)
        if lines <= MAX_GRIDLINES:
            return step, max(lines, 1)
    return 10.0 * magnitude, max(math.ceil(top / (10.0 * magnitude)), 1)


def _axis_positions(count: int) -> list[int]:
    """Which bars carry an axis label: up to :data:`AXIS_LABELS`, evenly spread, first and last included."""
    if count <= AXIS_LABELS:
        return list(range(count))
    return sorted({round(i * (count - 1) / (AXIS_LABELS - 1)) for i in range(AXIS_LABELS)})


def coverage_chart(result: SearchResult, base: str, args: Args, *, share: bool) -> dict[str, object] | None:
    """Matches per day/week/month with the scale and labels to draw them; ``None`` when nothing is dated.

    Each bar has its ``value`` (a count, or a percentage of all articles of the period when
    ``share``), its axis ``label``, its full ``period`` name, and the URL that narrows the search
    to the period. ``ticks`` are the gridlines from zero to ``scale_max``, each with its label.
    """
    chart = result.coverage
    if chart is None or not chart.buckets:
        return None
    undated = url_with(base, args, drop=DATE_PARAMS)
    values = [round((100.0 * b.count / b.everything if b.everything else 0.0) if share else float(b.count), 4) for b in chart.buckets]
    step, lines = nice_scale(max(values), whole=not share)
    scale_max = step * lines
    ticks = [{"value": step * i, "label": _tick_label(step * i, share), "y": f"{_y(step * i, scale_max):.2f}"} for i in range(lines + 1)]
    bars = _bars(chart, values, scale_max, undated)
    dated = [i for i, bar in enumerate(bars) if bar["count"]]
    return {
        "unit": chart.unit,
        "units": unit_choices(base, args, chart.unit),
        "scale_max": scale_max,
        "ticks": ticks,
        "axis": _axis_labels(bars),
        "focus": dated[0] if dated else 0,  # the one bar in the tab order: arrow keys move from it
        "range": date_range_label(chart.buckets[0].start, chart.buckets[-1].end),
        "count_url": url_with(base, args, drop=("chart",)),
        "share_url": url_with(base, args, drop=("chart",), add=[("chart", "share")]),
        "buckets": bars,
    }


# The plot's place in the chart's height, in percent: room above for the top value, below for the period labels.
PLOT_TOP, PLOT_HEIGHT = 12.0, 74.0


def _y(value: float, scale_max: float) -> float:
    return PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / scale_max


def _bars(chart: Coverage, values: list[float], scale_max: float, undated: str) -> list[dict[str, object]]:
    """Each period's bar: its counts, labels and link (``undated`` narrowed to the period), its rectangle in percent
    of the chart (``x``, ``y``, ``width``, ``height``) and its description.

    Computed here rather than in the template, each bar's dict built at once: a chart has up
    to a hundred bars, and template arithmetic cost more than the search behind it.
    """
    joiner = "&" if "?" in undated else "?"  # ISO dates need no encoding: url_with's result, a bar at a time cheaper
    n = len(values)
    width = f"{80.0 / n:.3f}"
    bars: list[dict[str, object]] = []
    for i, (b, value) in enumerate(zip(chart.buckets, values, strict=True)):
        start, end = b.start.isoformat(), b.end.isoformat()
        label, period = period_label(b.start, b.end, chart.unit)
        count_text, share_text = ribuan(b.count), persen(b.count, b.everything) if b.everything else None
        height = PLOT_HEIGHT * value / scale_max
        said = f"{period}: {count_text} artikel" + (f" ({share_text})" if share_text else "")
        bars.append({
            "from": start, "to": end, "label": label, "period": period, "count": b.count, "all": b.everything,
            "value": value, "count_text": count_text, "share_text": share_text, "url": f"{undated}{joiner}from={start}&to={end}",
            "x": f"{(i + 0.1) * 100.0 / n:.3f}", "y": f"{PLOT_TOP + PLOT_HEIGHT - height:.3f}", "width": width, "height": f"{height:.3f}",
            "describe": said, **_tip_place(i < n / 2, len(said)),
            "title": f"{period}: {count_text} artikel" + (f" ({share_text} dari {ribuan(b.everything)})" if share_text else ""),
        })
    return bars


def _tip_place(rightwards: bool, chars: int) -> dict[str, object]:
    """Where a tip is drawn beside its bar or period (pixels from it), as wide as its longest line of ``chars``
    characters: rightwards in the chart's first half, leftwards in its second, so it stays inside the chart."""
    width = round(chars * TIP_CHAR_PX + 2 * TIP_PAD_PX)
    return {"tip_width": width, "tip_x": 8 if rightwards else -width - 4, "text_x": 8 + TIP_PAD_PX if rightwards else -width - 4 + TIP_PAD_PX}


def _axis_labels(bars: list[dict[str, object]]) -> list[dict[str, object]]:
    """The labelled bars: index, label, ``x`` (the bar's centre, percent) and the class that anchors the text
    (the first and last at their ends; every other in-between one hidden on a phone)."""
    n = len(bars)
    chosen = _axis_positions(n)
    labels = []
    for place, i in enumerate(chosen):
        kind = "first" if place == 0 else "last" if place == len(chosen) - 1 else "mid minor" if place % 2 else "mid"
        labels.append({"index": i, "label": bars[i]["label"], "x": f"{(i + 0.5) * 100.0 / n:.3f}", "class": kind})
    return labels


def _tick_label(value: float, share: bool) -> str:
    if share:
        return format_percent(value / 100, format="#,##0.##%" if value >= 0.01 or not value else "#,##0.#####%", locale=LOCALE)
    return ribuan(int(value))


# Series colours (distinguishable in the common colour-vision deficiencies) and dash patterns, so
# a series is told apart without colour too.
SERIES_STYLES = (("#0b5cad", ""), ("#c2410c", "6 3"), ("#15803d", "2 3"), ("#7e22ce", "8 3 2 3"), ("#a16207", "1 2"),
                 ("#4b5563", "10 4"))


def unit_choices(base: str, args: Args, shown: str) -> list[dict[str, object]]:
    """The day/week/month switch: each unit with the URL that draws the chart by it (the rest kept) and whether it is shown."""
    return [{"unit": unit, "label": unit, "selected": unit == shown, "url": url_with(base, args, drop=("unit",), add=[("unit", unit)])}
            for unit in UNITS]


# A tip's text is measured by its characters (the page draws it in SVG, which cannot size a box to its text).
TIP_CHAR_PX, TIP_LINE_PX, TIP_PAD_PX = 6.8, 16, 6


def _columns(periods: list[tuple[str, str]], series: list[dict[str, object]], everything: list[int], share: bool,
             scale_max: float, links: list[str]) -> list[dict[str, object]]:
    """Each period as a column the reader can point at or focus: its place (percent of the plot), its values as one
    sentence (what a screen reader says) and as the lines of the tip drawn beside it, and each series' dot.

    The tip opens away from the nearer edge, so the first and last periods' tips stay inside the chart.
    """
    n = len(periods)
    step = 100.0 / max(n - 1, 1)
    columns = []
    for i, ((_short, full), everyone, link) in enumerate(zip(periods, everything, links, strict=True)):
        values = [(str(s["name"]), int(s["counts"][i]), float(s["values"][i])) for s in series]  # type: ignore[index]
        said = [f"{name}: {ribuan(count)}" + (f" ({persen(count, everyone)})" if share and everyone else "") for name, count, _ in values]
        lines = [full, *said, f"semua artikel: {ribuan(everyone)}"]
        x = i * step if n > 1 else 50.0
        columns.append({
            "x": f"{x:.3f}", "left": f"{max(x - step / 2, 0):.3f}", "width": f"{min(step, 100.0):.3f}", "url": link,
            "describe": f"{full}: " + ", ".join(said) + f"; semua artikel {ribuan(everyone)}",
            "lines": lines, **_tip_place(x < 50, max(len(line) for line in lines)),
            "tip_height": len(lines) * TIP_LINE_PX + TIP_PAD_PX, "line_height": TIP_LINE_PX,
            "dots": [{"y": f"{PLOT_TOP_LINES + PLOT_LINES * (1 - value / scale_max):.2f}", "colour": s["colour"]}
                     for (_, _, value), s in zip(values, series, strict=True)],
        })
    return columns


# The line charts' plot in percent of their height (the template draws the lines in this band).
PLOT_TOP_LINES, PLOT_LINES = 8.0, 78.0


def series_chart(line: Timeline, names: list[str], links: list[str | None], totals: list[int], *, share: bool,
                 base: str = "", args: Args | None = None, multiples: bool = False) -> dict[str, object]:
    """Several series over one axis as lines: values per period (counts or % of the archive), a scale, axis labels.

    ``totals`` are each series' matches (undated ones included, so a total is the search page's);
    ``points`` place each line in a 1000 x 100 box (the page stretches it to its width; a single
    period is a level line across it).
    """
    periods = [period_label(s, e, line.unit) for s, e in zip(line.starts, line.ends, strict=True)]
    values = [[(100.0 * c / a if a else 0.0) if share else float(c) for c, a in zip(counts, line.everything, strict=True)]
              for counts in line.counts]
    step, lines = nice_scale(max((v for row in values for v in row), default=0.0), whole=not share)
    scale_max = step * lines
    width = max(len(periods) - 1, 1)
    series: list[dict[str, object]] = []
    for number, (name, link, total, counts, row) in enumerate(zip(names, links, totals, line.counts, values, strict=True)):
        colour, dash = SERIES_STYLES[number % len(SERIES_STYLES)]
        spots = [(1000 * i / width, 100 - 100 * v / scale_max) for i, v in enumerate(row)]
        if len(spots) == 1:
            spots.append((1000.0, spots[0][1]))
        series.append({
            "name": name, "url": link, "total": total, "counts": list(counts), "values": [round(v, 4) for v in row],
            "colour": colour, "dash": dash, "points": " ".join(f"{x:.1f},{y:.2f}" for x, y in spots),
        })
    kept = list(args or [])
    narrowed = [url_with(base, kept, drop=DATE_PARAMS, add=[("from", start.isoformat()), ("to", end.isoformat())])
                for start, end in zip(line.starts, line.ends, strict=True)]
    if multiples:  # one small chart per series: each its own columns, its links narrowing to the series' own search
        for entry, link in zip(series, links, strict=True):
            own = [f"{link}{'&' if '?' in link else '?'}from={s.isoformat()}&to={e.isoformat()}" if link else narrowed[i]
                   for i, (s, e) in enumerate(zip(line.starts, line.ends, strict=True))]
            entry["columns"] = _columns(periods, [entry], list(line.everything), share, scale_max, own)
    return {
        "unit": line.unit,
        "units": unit_choices(base, kept, line.unit),
        "share": share,
        "columns": _columns(periods, series, list(line.everything), share, scale_max, narrowed),
        "focus": 0,
        "range": date_range_label(line.starts[0], line.ends[-1]) if periods else "",
        "periods": [{"from": s.isoformat(), "to": e.isoformat(), "label": short, "period": full, "all": a}
                    for (short, full), s, e, a in zip(periods, line.starts, line.ends, line.everything, strict=True)],
        "series": series,
        "scale_max": scale_max,
        "ticks": [{"value": step * i, "label": _tick_label(step * i, share)} for i in range(lines + 1)],
        "axis": _axis_positions(len(periods)),
    }
