"""Rows (dicts whose keys name the unit) as CSV: one float format for every output, the
shortest text that reads back to the same float (``repr``), so CSV from the CLI and from
the API are byte for byte the same and lose nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(float(value))  # numpy floats too (their repr names the type)
    return str(value)


def csv_text(rows: Sequence[dict[str, Any]], header: bool = True) -> str:
    """Header from the first row's keys (unless ``header`` is False: a later piece of
    one CSV), one line per row; empty text for no rows."""
    if not rows:
        return ""
    columns = list(rows[0])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(columns)
    writer.writerows([csv_cell(r.get(c)) for c in columns] for r in rows)
    return buf.getvalue()
