"""CSV rows that never stop a file: every reader of a CSV format (OMM, SATCAT) goes
through here, so that a row the csv module cannot read (a field over its size limit, a
stray carriage return or NUL) is that row's reject, and a header it cannot read is one
clear error for the file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from orbitwatch.errors import FileFormatError


def csv_header_and_rows(text: str, source: str
                        ) -> tuple[list[str] | None, Iterator[tuple[int, list[str] | str]]]:
    """The header (upper case, stripped; None for empty text) and an iterator of
    ``(line number, cells)`` or ``(line number, reason)`` for a row that cannot be read."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = [h.strip().upper() for h in next(reader)]
    except StopIteration:
        return None, iter(())
    except csv.Error as err:
        raise FileFormatError(f"{source}: line 1 is not readable as a CSV header ({err})")

    def rows() -> Iterator[tuple[int, list[str] | str]]:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                yield reader.line_num, f"row not readable as CSV: {err}"
                continue
            yield reader.line_num, row

    return header, rows()
