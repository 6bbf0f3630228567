"""Rows to the terminal: an aligned table, CSV or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from orbitwatch.app.tables import csv_text

OUTPUT_FORMATS = ("table", "csv", "json")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != 0.0 and abs(value) < 1e-3:  # probabilities: keep the exponent
            return f"{value:.4e}"
        return f"{value:.6f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.6g}"
    return str(value)


def render(rows: Sequence[dict[str, Any]], fmt: str, *, title: str | None = None,
           notes: Sequence[str] = ()) -> str:
    """Rows (dicts with the same keys) in the named format. A column's name carries its
    unit, or one of ``notes`` says it: a table prints them under it, for the person
    reading it; CSV and JSON stay data alone (their columns: docs/)."""
    if fmt == "json":
        return json.dumps(list(rows), indent=1, default=str) + "\n"
    if not rows:
        return "" if fmt == "csv" else f"{title + ': ' if title else ''}(none)\n"
    columns = list(rows[0])
    if fmt == "csv":
        return csv_text(rows)
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    numeric = [all(_is_number(row[i]) for row in cells) for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric, strict=True)).rstrip()

    out = [title] if title else []
    out += [line(columns), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    if notes:
        out += ["", *notes]
    return "\n".join(out) + "\n"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return text == ""
    return True
