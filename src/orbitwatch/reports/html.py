"""A standalone HTML page of report rows: no scripts, no network, prints well."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

_BAND_COLOURS = {"red": "#f8d0d0", "yellow": "#fbf1c4", "green": "#d9f0d9"}
_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; white-space: nowrap; }
th { background: #eee; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
p.note { color: #555; max-width: 60em; }
"""


def _cell(value: Any) -> tuple[str, bool]:
    if isinstance(value, float):
        if value != value:
            return "", True
        text = f"{value:.4e}" if value != 0 and abs(value) < 1e-3 else f"{value:.6g}"
        return text, True
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), True
    return escape("" if value is None else str(value)), False


def html_page(title: str, rows: list[dict[str, Any]], notes: list[str]) -> str:
    """The page: title, notes (method, units, covariance kind), then the table."""
    columns = list(rows[0]) if rows else []
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        colour = _BAND_COLOURS.get(str(row.get("PC_BAND", "")), "")
        style = f' style="background:{colour}"' if colour else ""
        cells = []
        for c in columns:
            text, num = _cell(row[c])
            cells.append(f'<td class="num">{text}</td>' if num else f"<td>{text}</td>")
        body.append(f"<tr{style}>{''.join(cells)}</tr>")
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        + "".join(f'<p class="note">{escape(n)}</p>' for n in notes)
        + f'<p class="note">Made by orbitwatch, {made}. {len(rows)} rows.</p>'
        + f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        "</body></html>\n"
    )
