"""Load files into the catalog: read, detect the format, parse strictly, store."""

from __future__ import annotations

import hashlib
from pathlib import Path

from orbitwatch.catalog.store import CatalogStore, LoadReport
from orbitwatch.errors import FileFormatError, InputError
from orbitwatch.formats import detect_format, parse_satcat_csv, read_elements
from orbitwatch.formats.tle import ChecksumPolicy


def read_text(path: str | Path) -> str:
    """A file's text (UTF-8, or Latin-1 when it is not UTF-8); clear error if missing."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file")
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory, not a catalog file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def load_text(
    store: CatalogStore, text: str, *, source: str, fmt: str | None = None,
    checksum_policy: ChecksumPolicy = "verify",
) -> LoadReport:
    """Parse and store one source's text (element sets or SATCAT), in one transaction."""
    fmt = fmt or detect_format(text, source)
    sha = hashlib.sha256(text.encode()).hexdigest()
    if fmt == "satcat":
        sat = parse_satcat_csv(text, source=source)
        return store.load_satcat(sat.records, sat.rejects, source=source, sha256=sha)
    result = read_elements(text, source=source, fmt=fmt, checksum_policy=checksum_policy)
    if not result.records and not result.rejects and text.strip():
        raise FileFormatError(f"{source}: no element sets found in it")
    return store.load_elements(result.records, result.rejects, source=source, fmt=fmt,
                               sha256=sha)


def load_path(
    store: CatalogStore, path: str | Path, *, fmt: str | None = None,
    checksum_policy: ChecksumPolicy = "verify",
) -> LoadReport:
    """Load a file of element sets (TLE/3LE/2LE, OMM JSON/CSV/XML/KVN) or SATCAT CSV."""
    return load_text(store, read_text(path), source=str(path), fmt=fmt,
                     checksum_policy=checksum_policy)
