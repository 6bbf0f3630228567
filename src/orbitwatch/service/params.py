"""Request parameters shared by the endpoints: times, id lists, CSV bodies."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from orbitwatch.errors import InputError
from orbitwatch.formats.elements import parse_utc


def utc_param(value: str | None, name: str = "at") -> datetime:
    """A query parameter as UTC time (now when absent), or an InputError naming it."""
    if value is None or value == "":
        return datetime.now(UTC)
    try:
        return parse_utc(value)
    except ValueError as exc:
        raise InputError(f"{name}: {exc}")


def parse_ids(text: str | None, name: str = "ids") -> list[int] | None:
    """``"25544,48274"`` as catalog numbers, or an InputError naming the parameter."""
    if not text:
        return None
    try:
        ids = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise InputError(f"{name}: catalog numbers separated by commas, got {text!r}")
    if any(not 0 <= i <= 999_999_999 for i in ids):
        raise InputError(f"{name}: catalog numbers are 0 .. 999999999, got {text!r}")
    return ids


def csv_text(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buf.getvalue()


class ErrorMessage(BaseModel):
    """What was wrong, and where."""

    detail: str


#: The error answers every endpoint may give, for the OpenAPI documentation.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorMessage, "description": "Bad input: the message names the field"},
    404: {"model": ErrorMessage, "description": "No such object, run, event or job"},
}
