"""The README's SQL cookbook runs on the demo warehouse and returns the lines it shows."""

from __future__ import annotations

import datetime as dt
import re

import duckdb

from pipelines.settings import PROJECT_ROOT


def cookbook() -> list[tuple[str, str]]:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("### Cookbook", 1)[1].split("```sql", 1)[1].split("```", 1)[0]
    entries = []
    for chunk in re.split(r"\n(?=-- \d+\. )", block.strip()):
        lines = chunk.strip().splitlines()
        sql = " ".join(line for line in lines[1:-1])
        expected = lines[-1].removeprefix("-- ")
        entries.append((sql.rstrip(";"), expected))
    return entries


def render(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    return str(value)


def test_ten_questions_each_with_its_output(demo_warehouse):
    entries = cookbook()
    assert len(entries) == 10
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        for sql, expected in entries:
            rows = [" | ".join(render(v) for v in row) for row in con.execute(sql).fetchall()]
            prefix = expected.removesuffix("...").strip()
            assert any(row.startswith(prefix) for row in rows), (sql, expected, rows[:5])
