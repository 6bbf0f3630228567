"""CCSDS OMM (502.0-B-3) for SGP4 mean elements: JSON, CSV, XML and KVN, read and write.

Readers accept CelesTrak's shapes (numeric JSON values, 17-column CSV, ``<ndm>`` XML,
KVN with blank header values) and Space-Track's (string JSON values), epochs in
calendar or day-of-year form with or without fractional seconds and ``Z``, and
catalog numbers up to nine digits (python-sgp4's ``omm.initialize`` stops at 339,999;
we keep the real number outside the Satrec).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from orbitwatch.core.time import format_epoch
from orbitwatch.errors import FileFormatError, OMMFormatError
from orbitwatch.formats.csvrows import csv_header_and_rows
from orbitwatch.formats.elements import (
    ElementSet,
    ParseResult,
    Reject,
    non_finite_field,
    one_line,
    value_problem,
)

#: OMM keywords in CelesTrak's column order, mapped to ElementSet attributes.
KEYWORDS: dict[str, str] = {
    "OBJECT_NAME": "object_name",
    "OBJECT_ID": "object_id",
    "EPOCH": "epoch",
    "MEAN_MOTION": "mean_motion",
    "ECCENTRICITY": "eccentricity",
    "INCLINATION": "inclination",
    "RA_OF_ASC_NODE": "ra_of_asc_node",
    "ARG_OF_PERICENTER": "arg_of_pericenter",
    "MEAN_ANOMALY": "mean_anomaly",
    "EPHEMERIS_TYPE": "ephemeris_type",
    "CLASSIFICATION_TYPE": "classification_type",
    "NORAD_CAT_ID": "norad_cat_id",
    "ELEMENT_SET_NO": "element_set_no",
    "REV_AT_EPOCH": "rev_at_epoch",
    "BSTAR": "bstar",
    "MEAN_MOTION_DOT": "mean_motion_dot",
    "MEAN_MOTION_DDOT": "mean_motion_ddot",
}
_REQUIRED = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
             "ARG_OF_PERICENTER", "MEAN_ANOMALY", "NORAD_CAT_ID")
_FLOATS = ("MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
           "ARG_OF_PERICENTER", "MEAN_ANOMALY", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
_INTS = ("EPHEMERIS_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH")
_KVN_UNITS = {"MEAN_MOTION": "rev/day", "INCLINATION": "deg", "RA_OF_ASC_NODE": "deg",
              "ARG_OF_PERICENTER": "deg", "MEAN_ANOMALY": "deg", "BSTAR": "1/ER",
              "MEAN_MOTION_DOT": "rev/day**2", "MEAN_MOTION_DDOT": "rev/day**3"}

_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_EPOCH = re.compile(
    r"^(\d{4})-(?:(\d{2})-(\d{2})|(\d{3}))T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]00:?00)?$"
)
MAX_NORAD_DIGITS = 9


def parse_omm_epoch(text: str) -> datetime:
    """CCSDS epoch text -> aware UTC datetime, rounded to the microsecond.

    Accepts ``YYYY-MM-DDThh:mm:ss[.f]`` and day-of-year ``YYYY-DDDThh:mm:ss[.f]``,
    optionally ending in ``Z``. Raises ValueError otherwise.
    """
    m = _EPOCH.match(text.strip())
    if not m:
        raise ValueError(
            f"EPOCH {text!r} is not a CCSDS time (YYYY-MM-DDThh:mm:ss[.ffffff] or "
            "YYYY-DDDThh:mm:ss[.ffffff], UTC)"
        )
    year, month, day, doy, hh, mm, ss, frac, _ = m.groups()
    if doy is not None:
        base = datetime(int(year), 1, 1, tzinfo=UTC) + timedelta(days=int(doy) - 1)
        if base.year != int(year) or int(doy) < 1:
            raise ValueError(f"EPOCH {text!r}: day of year {doy} is not in {year}")
    else:
        base = datetime(int(year), int(month), int(day), tzinfo=UTC)
    frac = frac or ""
    # Round (half up) beyond microseconds; CelesTrak writes exactly six decimals.
    us = int(frac[:6].ljust(6, "0")) + (1 if len(frac) > 6 and frac[6] >= "5" else 0)
    if not (int(hh) < 24 and int(mm) < 60 and int(ss) < 61):
        raise ValueError(f"EPOCH {text!r}: time of day out of range")
    return base + timedelta(hours=int(hh), minutes=int(mm), seconds=int(ss), microseconds=us)


def _as_float(key: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{key} must be a number, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    s = str(value).strip()
    if not _NUMBER.match(s):
        raise ValueError(f"{key} must be a decimal number, got {value!r}")
    return float(s)


def _as_int(key: str, value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{key} must be an integer, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    s = str(value).strip()
    if not _INTEGER.match(s):
        raise ValueError(f"{key} must be an integer, got {value!r}")
    return int(s)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def element_set_from_omm(
    fields: Mapping[str, Any], *, source: str = "<omm>", line_no: int | None = None
) -> ElementSet:
    """Build an ElementSet from OMM keyword -> value (strings or numbers).

    Raises :class:`OMMFormatError` naming the keyword for a missing or bad value.
    """
    upper = {str(k).strip().upper(): v for k, v in fields.items()}

    def fail(key: str, reason: str) -> OMMFormatError:
        return OMMFormatError(reason, source=source, line_no=line_no, field=key)

    for key in _REQUIRED:
        if _blank(upper.get(key)):
            raise fail(key, f"mandatory keyword {key} is missing or empty")
    theory = upper.get("MEAN_ELEMENT_THEORY")
    if not _blank(theory) and "SGP4" not in str(theory).upper():
        raise fail("MEAN_ELEMENT_THEORY", f"only SGP4 mean elements are supported, got {theory!r}")
    out: dict[str, Any] = {}
    try:
        out["epoch"] = parse_omm_epoch(str(upper["EPOCH"]))
    except ValueError as err:
        raise fail("EPOCH", str(err))
    for key in _FLOATS:
        if not _blank(upper.get(key)):
            try:
                out[KEYWORDS[key]] = _as_float(key, upper[key])
            except ValueError as err:
                raise fail(key, str(err))
    for key in (*_INTS, "NORAD_CAT_ID"):
        if not _blank(upper.get(key)):
            try:
                out[KEYWORDS[key]] = _as_int(key, upper[key])
            except ValueError as err:
                raise fail(key, str(err))
    norad = out["norad_cat_id"]
    if not 0 <= norad < 10**MAX_NORAD_DIGITS:
        raise fail("NORAD_CAT_ID", f"NORAD_CAT_ID {norad} is outside 0..999999999 (9 digits)")
    if not 0 <= out["eccentricity"] < 1:
        raise fail("ECCENTRICITY", f"ECCENTRICITY {out['eccentricity']} is outside [0, 1)")
    if out["mean_motion"] <= 0:
        raise fail("MEAN_MOTION", f"MEAN_MOTION {out['mean_motion']} rev/day must be positive")
    if not 0 <= out["inclination"] <= 180:
        raise fail("INCLINATION", f"INCLINATION {out['inclination']} deg is outside 0..180")
    for key in ("OBJECT_NAME", "OBJECT_ID", "CLASSIFICATION_TYPE"):
        if not _blank(upper.get(key)):
            out[KEYWORDS[key]] = str(upper[key]).strip()
    es = ElementSet(**out)
    problem = value_problem(es)
    if problem:
        raise fail(*problem)
    return es


def _collect(items: Iterable[tuple[int | None, Mapping[str, Any] | OMMFormatError]],
             source: str, raw_of: Any) -> ParseResult:
    result = ParseResult(source=source)
    for line_no, item in items:
        if isinstance(item, OMMFormatError):
            result.rejects.append(Reject.from_error(item.located(source, line_no)))
            continue
        try:
            result.records.append(element_set_from_omm(item, source=source, line_no=line_no))
        except OMMFormatError as err:
            result.rejects.append(Reject.from_error(err, raw=raw_of(item)))
    return result


# --- JSON -------------------------------------------------------------------------


def parse_omm_json(text: str, *, source: str = "<json>") -> ParseResult:
    """A JSON array of OMM objects (CelesTrak numbers or Space-Track strings).

    A file that is not valid JSON (cut mid-record, say) is refused whole with the
    line and column where it breaks. ``line_no`` of a reject is the record's index
    (1-based) in the array.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise FileFormatError(
            f"{source}: not valid JSON at line {err.lineno}, column {err.colno}: {err.msg} "
            "(file cut or corrupted?); nothing was loaded from it"
        )
    except RecursionError:
        raise FileFormatError(f"{source}: JSON nested too deeply to be OMM records; nothing "
                              "was loaded from it")
    except ValueError as err:  # e.g. an integer of thousands of digits
        raise FileFormatError(f"{source}: not readable as JSON ({err}); nothing was loaded "
                              "from it")
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise FileFormatError(f"{source}: expected a JSON array of OMM objects")

    def items() -> Iterator[tuple[int, Mapping[str, Any] | OMMFormatError]]:
        for i, rec in enumerate(data, start=1):
            if isinstance(rec, dict):
                yield i, rec
            else:
                yield i, OMMFormatError(f"record {i} is not a JSON object", field="RECORD")

    return _collect(items(), source, lambda rec: json.dumps(rec))


# --- CSV --------------------------------------------------------------------------


def parse_omm_csv(text: str, *, source: str = "<csv>") -> ParseResult:
    """OMM CSV with a header row; ``line_no`` is the file line of each row.

    A row with fewer or more cells than the header (a file cut mid-row) is rejected.
    """
    header, row_iter = csv_header_and_rows(text, source)
    if header is None:
        return ParseResult(source=source)
    if "NORAD_CAT_ID" not in header or "EPOCH" not in header:
        raise FileFormatError(
            f"{source}: line 1 is not an OMM CSV header (needs NORAD_CAT_ID and EPOCH), "
            f"got {','.join(header)[:120]!r}"
        )
    rows: list[tuple[int, list[str] | OMMFormatError]] = [
        (ln, OMMFormatError(row, field="ROW") if isinstance(row, str) else row)
        for ln, row in row_iter]

    def items() -> Iterator[tuple[int, Mapping[str, Any] | OMMFormatError]]:
        for ln, row in rows:
            if isinstance(row, OMMFormatError):
                yield ln, row
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield ln, OMMFormatError(
                    f"row has {len(row)} cells but the header has {len(header)} "
                    "(file cut mid-row?)", field="ROW", raw=",".join(row),
                )
                continue
            yield ln, dict(zip(header, row, strict=True))

    return _collect(items(), source, lambda rec: ",".join(str(v) for v in rec.values()))


# --- XML --------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].upper()


def parse_omm_xml(text: str | bytes, *, source: str = "<xml>") -> ParseResult:
    """OMM XML: an ``<ndm>`` of ``<omm>`` elements or a single ``<omm>`` (any
    namespace). ``line_no`` of a reject is the record's index."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as err:
        line, col = err.position
        raise FileFormatError(f"{source}: malformed XML at line {line}, column {col}: {err}")
    if _local(root.tag) == "OMM":
        omms = [root]
    else:
        omms = [e for e in root.iter() if _local(e.tag) == "OMM"]

    def items() -> Iterator[tuple[int, Mapping[str, Any]]]:
        for i, omm in enumerate(omms, start=1):
            fields: dict[str, Any] = {}
            for el in omm.iter():
                if len(el) == 0:
                    fields.setdefault(_local(el.tag), (el.text or "").strip())
            yield i, fields

    return _collect(items(), source, lambda rec: json.dumps(rec))


# --- KVN --------------------------------------------------------------------------


def parse_omm_kvn(text: str, *, source: str = "<kvn>") -> ParseResult:
    """OMM KVN, one or more messages (each starts with ``CCSDS_OMM_VERS``).

    Units in brackets, COMMENT lines, blank lines and CRLF are accepted; a line that
    is not ``KEY = value`` rejects its message with the line number.
    """
    messages: list[tuple[int, dict[str, Any] | OMMFormatError]] = []
    current: dict[str, Any] | None = None
    start = 0
    broken: OMMFormatError | None = None

    def close() -> None:
        if current is not None:
            messages.append((start, broken or current))

    for line_no, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("COMMENT"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip().upper()
        if not sep or not re.fullmatch(r"[A-Z0-9_]+", key):
            err = OMMFormatError(f"line is not 'KEYWORD = value': {raw!r}", line_no=line_no,
                                 field="LINE", raw=raw)
            if current is None:
                current, start = {}, line_no
            broken = broken or err
            continue
        if key == "CCSDS_OMM_VERS":
            close()
            current, start, broken = {}, line_no, None
        if current is None:
            current, start = {}, line_no
        value = re.sub(r"\s*\[[^\]]*\]\s*$", "", value.strip())
        if key in current and key != "COMMENT":
            broken = broken or OMMFormatError(f"keyword {key} appears twice in one message",
                                              line_no=line_no, field=key)
        current[key] = value
    close()
    return _collect(messages, source, lambda rec: json.dumps(rec))


# --- dispatch ---------------------------------------------------------------------

OMM_FORMATS = ("json", "csv", "xml", "kvn")


def parse_omm(text: str, fmt: str, *, source: str = "<omm>") -> ParseResult:
    """Read OMM text in the named format (json, csv, xml or kvn)."""
    readers = {"json": parse_omm_json, "csv": parse_omm_csv, "xml": parse_omm_xml,
               "kvn": parse_omm_kvn}
    if fmt not in readers:
        raise FileFormatError(f"{source}: unknown OMM format {fmt!r}; use one of {OMM_FORMATS}")
    return readers[fmt](text, source=source)


# --- writing ----------------------------------------------------------------------


def _number(value: float) -> str:
    """Shortest decimal text that reads back as the same float (Python's repr)."""
    return repr(float(value))


def omm_fields(es: ElementSet) -> dict[str, Any]:
    """OMM keyword -> value of an element set (numbers as Python numbers)."""
    out: dict[str, Any] = {}
    for key, attr in KEYWORDS.items():
        value = getattr(es, attr)
        out[key] = format_epoch(value) if key == "EPOCH" else value
    out["OBJECT_NAME"] = es.object_name or ""
    out["OBJECT_ID"] = es.object_id or ""
    return out


def _check_finite(elements: list[ElementSet]) -> None:
    for es in elements:
        key = non_finite_field(es)
        if key:
            raise FileFormatError(f"element set of {es.norad_cat_id}: {key} is "
                                  f"{getattr(es, KEYWORDS[key])!r}, which OMM cannot hold")


def write_omm_json(elements: Iterable[ElementSet]) -> str:
    """JSON array with CelesTrak's keys and numeric values."""
    elements = list(elements)
    _check_finite(elements)
    return json.dumps([omm_fields(es) for es in elements], indent=1, allow_nan=False) + "\n"


def write_omm_csv(elements: Iterable[ElementSet]) -> str:
    """CSV with CelesTrak's 17 columns."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(KEYWORDS)
    for es in elements:
        f = omm_fields(es)
        writer.writerow(_number(v) if isinstance(v, float) else v for v in f.values())
    return buf.getvalue()


def _header(es: ElementSet) -> list[tuple[str, str]]:
    return [("OBJECT_NAME", es.object_name or ""), ("OBJECT_ID", es.object_id or ""),
            ("CENTER_NAME", "EARTH"), ("REF_FRAME", "TEME"), ("TIME_SYSTEM", "UTC"),
            ("MEAN_ELEMENT_THEORY", "SGP4")]


def _body(es: ElementSet) -> list[tuple[str, str]]:
    f = omm_fields(es)
    order = ["EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
             "ARG_OF_PERICENTER", "MEAN_ANOMALY", "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE",
             "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR", "MEAN_MOTION_DOT",
             "MEAN_MOTION_DDOT"]
    return [(k, _number(f[k]) if isinstance(f[k], float) else str(f[k])) for k in order]


def write_omm_kvn(elements: Iterable[ElementSet], *, originator: str = "ORBITWATCH") -> str:
    """KVN messages, one per element set, units in brackets as CCSDS recommends."""
    created = format_epoch(datetime.now(UTC))
    chunks = []
    for es in elements:
        lines = [("CCSDS_OMM_VERS", "2.0"), ("CREATION_DATE", created),
                 ("ORIGINATOR", originator), *_header(es), *_body(es)]
        chunks.append("".join(
            f"{k:<19} = {one_line(v)}" + (f" [{_KVN_UNITS[k]}]" if k in _KVN_UNITS else "")
            + "\n"
            for k, v in lines
        ))
    return "\n".join(chunks)


def write_omm_xml(elements: Iterable[ElementSet], *, originator: str = "ORBITWATCH") -> str:
    """An ``<ndm>`` document with one OMM 2.0 ``<omm>`` per element set."""
    created = format_epoch(datetime.now(UTC))
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<ndm>"]
    for es in elements:
        out.append('<omm id="CCSDS_OMM_VERS" version="2.0">')
        out.append(f"<header><CREATION_DATE>{created}</CREATION_DATE>"
                   f"<ORIGINATOR>{escape(originator)}</ORIGINATOR></header>")
        out.append("<body><segment><metadata>")
        out.extend(f"<{k}>{escape(one_line(v))}</{k}>" for k, v in _header(es))
        out.append("</metadata><data><meanElements>")
        body = _body(es)
        out.extend(f"<{k}>{escape(v)}</{k}>" for k, v in body[:7])
        out.append("</meanElements><tleParameters>")
        out.extend(f"<{k}>{escape(v)}</{k}>" for k, v in body[7:])
        out.append("</tleParameters></data></segment></body></omm>")
    out.append("</ndm>")
    return "\n".join(out) + "\n"


def write_omm(elements: Iterable[ElementSet], fmt: str) -> str:
    """Write element sets as OMM in the named format (json, csv, xml or kvn)."""
    writers = {"json": write_omm_json, "csv": write_omm_csv, "xml": write_omm_xml,
               "kvn": write_omm_kvn}
    if fmt not in writers:
        raise FileFormatError(f"unknown OMM format {fmt!r}; use one of {OMM_FORMATS}")
    return writers[fmt](elements)
