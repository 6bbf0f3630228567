"""Parse and write orbital data formats. Pure functions: no database, no network.

:func:`read_elements` detects the format of a file's text; the per-format readers
live in :mod:`.tle` and :mod:`.omm`, SATCAT in :mod:`.satcat`.
"""

from __future__ import annotations

from pathlib import Path

from orbitwatch.errors import FileFormatError
from orbitwatch.formats.elements import ElementSet, ParseResult, Reject
from orbitwatch.formats.omm import parse_omm, write_omm
from orbitwatch.formats.satcat import SatcatRecord, parse_satcat_csv
from orbitwatch.formats.tle import ChecksumPolicy, parse_tle, write_tle

__all__ = [
    "ElementSet",
    "ParseResult",
    "Reject",
    "SatcatRecord",
    "detect_format",
    "parse_omm",
    "parse_satcat_csv",
    "parse_tle",
    "read_elements",
    "write_omm",
    "write_tle",
]

_EXTENSIONS = {".tle": "tle", ".3le": "tle", ".2le": "tle", ".txt": "tle", ".json": "json",
               ".csv": "csv", ".xml": "xml", ".kvn": "kvn", ".omm": "kvn"}


def detect_format(text: str, name: str = "") -> str:
    """Guess a file's format: 'tle', 'json', 'csv', 'xml', 'kvn' or 'satcat'.

    Content wins over the file extension where they disagree.
    """
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    first_line = head.split("\n", 1)[0].upper()
    if head.startswith(("[", "{")):
        return "json"
    if head.startswith("<"):
        return "xml"
    if "CCSDS_OMM_VERS" in head[:400]:
        return "kvn"
    if "," in first_line and "NORAD_CAT_ID" in first_line:
        return "csv" if "EPOCH" in first_line else "satcat"
    if any(line.startswith(("1 ", "2 ")) for line in head.splitlines()[:4]):
        return "tle"
    ext = Path(name).suffix.lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    raise FileFormatError(
        f"{name or 'input'}: cannot tell its format (not TLE, OMM JSON/CSV/XML/KVN or SATCAT)"
    )


def read_elements(
    text: str, *, source: str = "<input>", fmt: str | None = None,
    checksum_policy: ChecksumPolicy = "verify",
) -> ParseResult:
    """Read element sets from text in any supported format (detected when not given)."""
    fmt = fmt or detect_format(text, source)
    if fmt == "tle":
        return parse_tle(text, source=source, checksum_policy=checksum_policy)
    if fmt == "satcat":
        raise FileFormatError(f"{source}: this is a SATCAT file, not element sets")
    return parse_omm(text, fmt, source=source)
