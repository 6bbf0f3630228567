"""What the endpoints share: times from query parameters, and the error answers of the
OpenAPI document. Id lists and CSV come from the application layer (app.inputs,
app.tables), as the CLI's do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from orbitwatch.app.inputs import parse_ids, parse_time
from orbitwatch.app.tables import csv_text

__all__ = ["ERROR_RESPONSES", "ErrorMessage", "csv_text", "parse_ids", "utc_param"]


def utc_param(value: str | None, name: str = "at") -> datetime:
    """A query parameter as UTC time (now when absent), or an InputError naming it."""
    return parse_time(value, name)


class ErrorMessage(BaseModel):
    """What was wrong, and where."""

    detail: str


#: The error answers every endpoint may give, for the OpenAPI documentation.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorMessage, "description": "Bad input: the message names the field"},
    404: {"model": ErrorMessage, "description": "No such object, run, event or job"},
}
