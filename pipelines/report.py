"""A self-contained HTML report of the warehouse: current facts per company, a chart of quarterly
deliveries, the conflicts with their explanations and signals, the target chains and the consistency
warnings. One file, inline CSS and SVG, no script and nothing fetched: it opens anywhere, offline."""

from __future__ import annotations

import datetime as dt
import html
import math
import re

import duckdb
import pandas as pd

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]
QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.4rem 0 1rem}
th,td{border:1px solid #ddd;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.status-disputed{color:#b00020;font-weight:600}.status-revised{color:#8a5a00}.status-confirmed{color:#1b5e20}
.signal{display:inline-block;background:#fff3cd;border:1px solid #e0c060;border-radius:3px;padding:0 .3rem;margin:0 .2rem .2rem 0;font-size:.8rem}
.muted{color:#666;font-size:.85rem}svg text{font-family:inherit}
"""


def _e(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def number(value: float, unit: str = "") -> str:
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    if abs(value) >= 1e9:
        text = f"{value / 1e9:,.2f}".rstrip("0").rstrip(".") + " bn"
    elif value.is_integer():
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def _date(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), table_id: str = "") -> str:
    if not rows:
        return '<p class="muted">None.</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    ident = f' id="{table_id}"' if table_id else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above ``value``: round axis ticks."""
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def line_chart(series: dict[str, list[tuple[str, float]]], title: str, width: int = 900, height: int = 360) -> str:
    """An inline SVG line chart: one line per series over the sorted union of their periods."""
    periods = sorted({p for points in series.values() for p, _ in points})
    if not periods:
        return '<p class="muted">No quarterly figures to chart.</p>'
    values = [v for points in series.values() for _, v in points]
    top = _nice_ceiling(max(values) * 1.05) if values and max(values) > 0 else 1.0
    left, right, upper, lower = 80, 170, 30, 50
    plot_w, plot_h = width - left - right, height - upper - lower

    def x(period: str) -> float:
        return left + (plot_w * periods.index(period) / (len(periods) - 1) if len(periods) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return upper + plot_h * (1 - value / top)

    parts = [f'<svg id="deliveries-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
             f'<title>{_e(title)}</title>',
             f'<rect x="{left}" y="{upper}" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#ccc"/>']
    for i in range(5):
        tick = top * i / 4
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end">{_e(number(round(tick)))}</text>')
    for period in periods:
        parts.append(f'<text x="{x(period):.1f}" y="{upper + plot_h + 18}" font-size="11" text-anchor="middle">{_e(period)}</text>')
    for index, (name, points) in enumerate(sorted(series.items())):
        color = PALETTE[index % len(PALETTE)]
        ordered = sorted(points)
        coords = " ".join(f"{x(p):.1f},{y(v):.1f}" for p, v in ordered)
        if len(ordered) > 1:
            parts.append(f'<polyline class="series" data-series="{_e(name)}" fill="none" stroke="{color}" stroke-width="2.5" points="{coords}"/>')
        for p, v in ordered:
            parts.append(f'<circle cx="{x(p):.1f}" cy="{y(v):.1f}" r="4" fill="{color}"><title>{_e(name)} {_e(p)}: {_e(number(v))}</title></circle>')
        legend_y = upper + 16 + index * 20
        parts.append(f'<rect x="{left + plot_w + 14}" y="{legend_y - 9}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{left + plot_w + 32}" y="{legend_y + 1}" font-size="12">{_e(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _read(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def build_report(con: duckdb.DuckDBPyConnection, metric: str = "deliveries", generated: dt.datetime | None = None) -> str:
    """The report's HTML, from an open (read-only) warehouse connection."""
    facts = _read(con, "SELECT entity, metric, scope, period, kind, value, unit, qualifier, status, rule, n_sources, "
                       "learned_at, explanation FROM current_facts ORDER BY entity, metric, period, scope, kind")
    conflicts = _read(con, "SELECT entity, metric, scope, period, kind, candidate_values, provisional_value, rule, signals, "
                           "signal_details, n_sources, explanation FROM open_conflicts ORDER BY entity, metric, period")
    candidates = _read(con, "SELECT conflict_id, value, unit, qualifier, provisional, document_path, publisher, tier, "
                            "published_date FROM conflict_candidates ORDER BY conflict_id, value, document_path")
    conflict_ids = _read(con, "SELECT conflict_id, entity, metric, period FROM open_conflicts")
    chains = _read(con, "SELECT entity, metric, scope, period, step, value, unit, status, stated_on, superseded_on, cue "
                        "FROM target_chains ORDER BY entity, metric, period, step")
    warnings = _read(con, "SELECT entity, relation, metric, period, expected, stated, explanation FROM consistency_warnings "
                          "ORDER BY entity, relation, period")
    counts = dict(con.execute("SELECT status, count(*) FROM facts GROUP BY status").fetchall())
    (documents,) = con.execute("SELECT count(*) FROM documents WHERE status = 'loaded'").fetchone()
    generated = generated or dt.datetime.now()

    series: dict[str, list[tuple[str, float]]] = {}
    chart_rows = facts[(facts["metric"] == metric) & (facts["kind"] == "actual") & facts["period"].str.match(QUARTER)
                       & (facts["scope"] == "")]
    for row in chart_rows.itertuples():
        series.setdefault(row.entity, []).append((row.period, float(row.value)))

    out = [
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<title>Figures warehouse report</title>", f"<style>{STYLE}</style></head><body>",
        "<h1>Figures warehouse report</h1>",
        f'<p class="muted">Generated {_e(generated.strftime("%Y-%m-%d %H:%M"))} from {documents} documents; '
        f'{sum(counts.values())} facts ({_e(", ".join(f"{k} {v}" for k, v in sorted(counts.items())))}), '
        f'{len(conflicts)} open conflicts, {len(warnings)} consistency warnings.</p>',
        f"<h2 id=\"chart\">Quarterly {_e(metric)} per company</h2>",
        line_chart(series, f"Quarterly {metric} per company"),
        "<h2 id=\"conflicts\">Conflicts</h2>",
    ]
    if conflicts.empty:
        out.append('<p class="muted">No open conflicts.</p>')
    for row in conflicts.itertuples():
        unit = facts[(facts["entity"] == row.entity) & (facts["metric"] == row.metric)]["unit"]
        unit = unit.iloc[0] if not unit.empty else ""
        out.append(f"<h3>{_e(row.entity)} · {_e(row.metric)} · {_e(row.period)}{' · ' + _e(row.scope) if row.scope else ''}</h3>")
        out.append(f"<p>Provisional value <strong>{_e(number(row.provisional_value, unit))}</strong> by rule <code>{_e(row.rule)}</code>. "
                   f"{_e(row.explanation)}</p>")
        details = list(row.signal_details) if row.signal_details is not None else []
        if details:
            out.append("<p>" + "".join(f'<span class="signal">{_e(s)}</span>' for s in details) + "</p>")
        ids = conflict_ids[(conflict_ids["entity"] == row.entity) & (conflict_ids["metric"] == row.metric)
                           & (conflict_ids["period"] == row.period)]["conflict_id"]
        these = candidates[candidates["conflict_id"].isin(ids)]
        out.append(_table(
            ["value", "qualifier", "provisional", "document", "publisher", "tier", "published"],
            [[_e(number(c.value, c.unit)), _e(c.qualifier), "yes" if c.provisional else "", _e(c.document_path),
              _e(c.publisher), _e(c.tier), _e(_date(c.published_date))] for c in these.itertuples()],
            numeric={0}, table_id=f"candidates-{_e(row.entity)}-{_e(row.metric)}-{_e(row.period)}".replace(" ", "_")))

    out.append("<h2 id=\"warnings\">Consistency warnings</h2>")
    out.append(_table(["company", "relation", "metric", "period", "expected", "stated", "explanation"],
                      [[_e(w.entity), _e(w.relation), _e(w.metric), _e(w.period), _e(number(round(w.expected, 2))),
                        _e(number(w.stated)), _e(w.explanation)] for w in warnings.itertuples()],
                      numeric={4, 5}, table_id="consistency-warnings"))

    out.append("<h2 id=\"targets\">Target revisions</h2>")
    out.append(_table(["company", "metric", "period", "step", "value", "status", "stated on", "superseded on", "why"],
                      [[_e(c.entity), _e(c.metric), _e(c.period), str(c.step), _e(number(c.value, c.unit)), _e(c.status),
                        _e(_date(c.stated_on)), _e(_date(c.superseded_on)), _e(c.cue)] for c in chains.itertuples()],
                      numeric={3, 4}, table_id="target-chains"))

    out.append("<h2 id=\"facts\">Current facts per company</h2>")
    for entity, rows in facts.groupby("entity", sort=True):
        out.append(f"<h3>{_e(entity)}</h3>")
        out.append(_table(
            ["metric", "scope", "period", "kind", "value", "status", "rule", "sources", "learned", "explanation"],
            [[_e(r.metric), _e(r.scope), _e(r.period), _e(r.kind), _e(number(r.value, r.unit)),
              f'<span class="status-{_e(r.status)}">{_e(r.status)}</span>', _e(r.rule), str(r.n_sources),
              _e(_date(r.learned_at)), _e(r.explanation)] for r in rows.itertuples()],
            numeric={4, 7}, table_id=f"facts-{entity}".replace(" ", "_")))
    out.append("</body></html>")
    return "\n".join(out)


def write_report(con: duckdb.DuckDBPyConnection, output: str, metric: str = "deliveries") -> int:
    """Write the report of the warehouse ``con`` reads (read-only) to ``output``; returns its size in bytes."""
    text = build_report(con, metric)
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)
    return len(text.encode("utf-8"))
