"""TLE, 3LE and 2LE: strict column-by-column reading, and writing.

Every field is checked against its column range before any value reaches SGP4:
python-sgp4's C++ ``twoline2rv`` reads fixed columns without checking them, so one
shifted space silently turned RAAN 348.72 deg into 0.27 deg. Layout reference:
CelesTrak "NORAD Two-Line Element Set Format" and Space-Track's Alpha-5 notes.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Literal

from orbitwatch.errors import TLEFormatError, TLEWriteError
from orbitwatch.formats.elements import (
    ElementSet,
    ParseResult,
    Reject,
    non_finite_field,
    one_line,
    value_problem,
)

ChecksumPolicy = Literal["verify", "ignore"]

LINE_LENGTH = 69
_ALPHA5_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # I and O are never used
MAX_TLE_CATALOG_NUMBER = 339_999  # 'Z9999'

# (name, first column, last column) in 1-based inclusive columns, and the regular
# expression the field must match. Separators between fields must be blank.
_Field = tuple[str, int, int, re.Pattern[str]]
_ANGLE = re.compile(r"^ *\d{1,3}\.\d+$")
_LINE1_FIELDS: list[_Field] = [
    ("LINE_NUMBER", 1, 1, re.compile(r"^1$")),
    ("NORAD_CAT_ID", 3, 7, re.compile(r"^(?: *\d+|[A-HJ-NP-Z]\d{4})$")),
    ("CLASSIFICATION_TYPE", 8, 8, re.compile(r"^[UCS ]$")),
    ("OBJECT_ID", 10, 17, re.compile(r"^(?:\d{5}[A-Z ]{3}| {8}|\d{2} {3}[A-Z ]{3})$")),
    ("EPOCH", 19, 32, re.compile(r"^\d{2}[ \d]{2}\d\.\d{8}$")),
    ("MEAN_MOTION_DOT", 34, 43, re.compile(r"^[ +-]\.\d{8}$|^[ +-]?0\.\d{7,8}$")),
    ("MEAN_MOTION_DDOT", 45, 52, re.compile(r"^[ +-]\d{5}[+-]\d$")),
    ("BSTAR", 54, 61, re.compile(r"^[ +-]\d{5}[+-]\d$")),
    ("EPHEMERIS_TYPE", 63, 63, re.compile(r"^[\d ]$")),
    ("ELEMENT_SET_NO", 65, 68, re.compile(r"^ *\d*$")),
]
_LINE2_FIELDS: list[_Field] = [
    ("LINE_NUMBER", 1, 1, re.compile(r"^2$")),
    ("NORAD_CAT_ID", 3, 7, re.compile(r"^(?: *\d+|[A-HJ-NP-Z]\d{4})$")),
    ("INCLINATION", 9, 16, _ANGLE),
    ("RA_OF_ASC_NODE", 18, 25, _ANGLE),
    ("ECCENTRICITY", 27, 33, re.compile(r"^\d{7}$")),
    ("ARG_OF_PERICENTER", 35, 42, _ANGLE),
    ("MEAN_ANOMALY", 44, 51, _ANGLE),
    ("MEAN_MOTION", 53, 63, re.compile(r"^ *\d{1,2}\.\d+$")),
    ("REV_AT_EPOCH", 64, 68, re.compile(r"^ *\d*$")),
]
_TEMPLATES = {
    1: "1 NNNNNC NNNNNAAA NNNNN.NNNNNNNN +.NNNNNNNN +NNNNN-N +NNNNN-N N NNNNN",
    2: "2 NNNNN NNN.NNNN NNN.NNNN NNNNNNN NNN.NNNN NNN.NNNN NN.NNNNNNNNNNNNNN",
}


def _separators(spec: list[_Field]) -> list[tuple[int, str, str]]:
    """Blank columns between consecutive fields: (column, field before, field after)."""
    out = []
    for (name_a, _, last_a, _), (name_b, first_b, _, _) in itertools.pairwise(spec):
        out.extend((col, name_a, name_b) for col in range(last_a + 1, first_b))
    return out


_SEPARATORS = {1: _separators(_LINE1_FIELDS), 2: _separators(_LINE2_FIELDS)}
_LINE1_FIELD_NAMES = frozenset(f[0] for f in _LINE1_FIELDS)


# --- Alpha-5 and checksums --------------------------------------------------------


def alpha5_decode(text: str) -> int:
    """Decode a 5-character TLE catalog field ('25544', 'A0000', 'Z9999') to an int."""
    s = text.strip()
    if not s:
        raise ValueError("empty catalog number")
    if s[0].isalpha():
        if len(s) != 5 or s[0] not in _ALPHA5_LETTERS or not s[1:].isdigit():
            raise ValueError(f"not an Alpha-5 catalog number: {text!r}")
        return (_ALPHA5_LETTERS.index(s[0]) + 10) * 10_000 + int(s[1:])
    if not s.isdigit():
        raise ValueError(f"not a catalog number: {text!r}")
    return int(s)


def alpha5_encode(number: int) -> str:
    """Encode a catalog number as the 5-character TLE field (Alpha-5 above 99,999)."""
    if not 0 <= number <= MAX_TLE_CATALOG_NUMBER:
        raise TLEWriteError(
            f"catalog number {number} has no TLE form: TLE fields hold 0..339999 "
            "(Alpha-5 'Z9999'); write OMM instead"
        )
    if number < 100_000:
        return f"{number:05d}"
    head, tail = divmod(number, 10_000)
    return f"{_ALPHA5_LETTERS[head - 10]}{tail:04d}"


#: Each character's checksum value as the character of that digit: ASCII digits keep
#: theirs, '-' counts 1, every other character 0 (Unicode digits such as '²' too).
_CHECKSUM_DIGIT = {c: (chr(c) if 48 <= c <= 57 else "1" if c == 45 else "0")
                   for c in range(128)}


def checksum(line: str) -> int:
    """Modulo-10 checksum of a TLE line's first 68 columns: digits count their value,
    '-' counts 1, everything else 0 (a translation table and one sum, in C)."""
    head = line[:68].encode("ascii", "replace").decode("ascii")
    digits = head.translate(_CHECKSUM_DIGIT).encode("ascii")
    return (sum(digits) - 48 * len(digits)) % 10


# --- reading ----------------------------------------------------------------------


def _implied_exponent(text: str) -> float:
    """' 12345-4' -> 0.12345e-4 (TLE's implied-decimal exponential fields)."""
    sign = -1.0 if text[0] == "-" else 1.0
    return sign * float(f"0.{text[1:6]}e{text[6:8]}")


def _template_hint(line: str, line_number: int) -> str:
    # both values start in the same column, so a shifted field shows as a shifted character
    return f"\n  got:       {line!r}\n  expected:  {_TEMPLATES[line_number]!r}"


def _check_line(
    line: str, line_number: int, *, source: str, line_no: int, checksum_policy: ChecksumPolicy
) -> dict[str, str]:
    """Check one TLE line column by column; return its raw fields by name."""
    spec = _LINE1_FIELDS if line_number == 1 else _LINE2_FIELDS

    def fail(field: str, reason: str) -> TLEFormatError:
        return TLEFormatError(
            reason + _template_hint(line, line_number),
            source=source, line_no=line_no, field=field, raw=line,
        )

    if not line.isascii():
        bad = next(ch for ch in line if not ch.isascii())
        raise fail("LINE", f"line {line_number} holds a non-ASCII character {bad!r}")
    # Separators first: a shifted field shows up here with the field's name.
    shifted = next(
        ((col, before, after) for col, before, after in _SEPARATORS[line_number]
         if col <= len(line) and line[col - 1] != " "),
        None,
    )
    length_note = (
        f"line {line_number} has {len(line)} characters, a TLE line has exactly {LINE_LENGTH}"
        if len(line) != LINE_LENGTH else ""
    )
    if shifted is not None:
        col, before, after = shifted
        reason = (
            f"column {col} of line {line_number} must be blank between {before} and {after}, "
            f"found {line[col - 1]!r}: the columns are shifted ({before} wider than its "
            "columns, or a character missing before it)"
        )
        raise fail(before, f"{length_note}; {reason}" if length_note else reason)
    if length_note:
        raise fail("LINE", length_note + " (a missing or extra character shifts the fields)")
    values: dict[str, str] = {}
    for name, first, last, pattern in spec:
        raw = line[first - 1 : last]
        if not pattern.match(raw):
            raise fail(name, f"{name} in columns {first}-{last} is {raw!r}, not a valid value")
        values[name] = raw
    if checksum_policy == "verify":
        written = line[68]
        if not written.isdigit() or int(written) != checksum(line):
            raise fail(
                "CHECKSUM",
                f"checksum of line {line_number} is {written!r} but the line sums to "
                f"{checksum(line)} (use checksum policy 'ignore' to accept it)",
            )
    return values


def _epoch_from_field(text: str) -> datetime:
    """'yyddd.dddddddd' -> exact UTC datetime; years 57-99 are 19xx, 00-56 are 20xx."""
    yy = int(text[:2])
    year = 1900 + yy if yy >= 57 else 2000 + yy
    day_str, frac_str = text[2:].split(".")
    day_of_year = int(day_str)
    if not 1 <= day_of_year <= 366:
        raise ValueError(f"day of year {day_of_year} is outside 1..366")
    if day_of_year == 366 and not calendar.isleap(year):
        raise ValueError(f"day of year 366 in {year}, which is not a leap year")
    # 1e-8 day is exactly 864 microseconds, so the epoch is exact in microseconds.
    us = int(frac_str.ljust(8, "0")[:8]) * 864
    return datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=day_of_year - 1, microseconds=us)


def _cospar_from_field(text: str) -> str | None:
    """'98067A  ' -> '1998-067A'; blank -> None."""
    s = text.strip()
    if not s or not s[:5].isdigit():
        return None
    yy = int(s[:2])
    year = 1900 + yy if yy >= 57 else 2000 + yy
    return f"{year}-{s[2:5]}{s[5:].strip()}"


def parse_tle_lines(
    line1: str,
    line2: str,
    name: str | None = None,
    *,
    source: str = "<tle>",
    line_no: int = 1,
    checksum_policy: ChecksumPolicy = "verify",
    check_values: bool = True,
) -> ElementSet:
    """Read one TLE set strictly. ``line_no`` is the file line of ``line1``.

    Raises :class:`TLEFormatError` naming the source, line and field on any defect.
    ``check_values=False`` skips :func:`value_problem` (every column is still checked):
    for reference sets that hold impossible orbits on purpose, such as Vallado's
    verification cases for SGP4's own error codes.
    """
    f1 = _check_line(line1, 1, source=source, line_no=line_no, checksum_policy=checksum_policy)
    f2 = _check_line(
        line2, 2, source=source, line_no=line_no + 1, checksum_policy=checksum_policy
    )
    try:
        satnum = alpha5_decode(f1["NORAD_CAT_ID"])
    except ValueError as err:
        raise TLEFormatError(str(err), source=source, line_no=line_no, field="NORAD_CAT_ID")
    satnum2 = alpha5_decode(f2["NORAD_CAT_ID"])
    if satnum2 != satnum:
        raise TLEFormatError(
            f"line 1 is for catalog number {satnum} but line 2 for {satnum2}",
            source=source, line_no=line_no + 1, field="NORAD_CAT_ID", raw=line2,
        )
    try:
        epoch = _epoch_from_field(f1["EPOCH"])
    except ValueError as err:
        raise TLEFormatError(str(err), source=source, line_no=line_no, field="EPOCH")
    ecc = int(f2["ECCENTRICITY"]) * 1e-7
    mean_motion = float(f2["MEAN_MOTION"])
    if mean_motion <= 0:
        raise TLEFormatError(
            f"MEAN_MOTION must be positive, got {mean_motion}",
            source=source, line_no=line_no + 1, field="MEAN_MOTION",
        )
    for fname in ("INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY"):
        limit = 180.0 if fname == "INCLINATION" else 360.0
        if not 0.0 <= float(f2[fname]) <= limit:
            raise TLEFormatError(
                f"{fname} {float(f2[fname])} deg is outside 0..{limit:g}",
                source=source, line_no=line_no + 1, field=fname,
            )
    clean_name = _clean_name(name)
    es = ElementSet(
        norad_cat_id=satnum,
        epoch=epoch,
        mean_motion=mean_motion,
        eccentricity=float(f"{ecc:.7f}"),
        inclination=float(f2["INCLINATION"]),
        ra_of_asc_node=float(f2["RA_OF_ASC_NODE"]),
        arg_of_pericenter=float(f2["ARG_OF_PERICENTER"]),
        mean_anomaly=float(f2["MEAN_ANOMALY"]),
        bstar=_implied_exponent(f1["BSTAR"]),
        mean_motion_dot=float(f1["MEAN_MOTION_DOT"].replace(" ", "")),
        mean_motion_ddot=_implied_exponent(f1["MEAN_MOTION_DDOT"]),
        object_name=clean_name,
        object_id=_cospar_from_field(f1["OBJECT_ID"]),
        classification_type=f1["CLASSIFICATION_TYPE"].strip() or "U",
        ephemeris_type=int(f1["EPHEMERIS_TYPE"].strip() or 0),
        element_set_no=int(f1["ELEMENT_SET_NO"].strip() or 0),
        rev_at_epoch=int(f2["REV_AT_EPOCH"].strip() or 0),
    )
    problem = value_problem(es) if check_values else None
    if problem:
        field, reason = problem
        if field == "OBJECT_NAME":
            where, raw = line_no - 1, name
        elif field in _LINE1_FIELD_NAMES:
            where, raw = line_no, line1
        else:
            where, raw = line_no + 1, line2
        raise TLEFormatError(reason, source=source, line_no=where, field=field, raw=raw)
    return es


def _clean_name(name: str | None) -> str | None:
    if name is None:
        return None
    s = name.strip()
    if s.startswith("0 "):  # Space-Track 3LE: '0 ISS (ZARYA)'
        s = s[2:].strip()
    return s or None


def _looks_like(line: str, number: str) -> bool:
    return line.startswith(number + " ") and len(line) >= 60


@dataclass(slots=True)
class _Pending:
    line_no: int
    text: str


def iter_tle(
    lines: Iterable[str],
    *,
    source: str = "<tle>",
    checksum_policy: ChecksumPolicy = "verify",
) -> Iterator[ElementSet | Reject]:
    """Read a TLE/3LE/2LE stream, yielding an :class:`ElementSet` or a :class:`Reject`
    for each set. A bad set never stops the stream: the reader picks up at the next
    line 1 (an orphan line 1 or line 2 is rejected with a reason)."""
    name: _Pending | None = None
    line1: _Pending | None = None
    for line_no, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        stripped = line.rstrip()
        if not stripped:
            continue
        if _looks_like(line, "1"):
            if line1 is not None:
                yield _orphan(line1, source, "line 1 is not followed by a line 2")
            line1 = _Pending(line_no, stripped if len(stripped) <= LINE_LENGTH else line)
            continue
        if _looks_like(line, "2"):
            if line1 is None:
                yield _orphan(_Pending(line_no, line), source, "line 2 without a line 1 before it")
                name = None
                continue
            text2 = stripped if len(stripped) <= LINE_LENGTH else line
            try:
                yield parse_tle_lines(
                    line1.text, text2, name.text if name else None,
                    source=source, line_no=line1.line_no, checksum_policy=checksum_policy,
                )
            except TLEFormatError as err:
                raw_text = "\n".join(p.text for p in (name, line1) if p) + "\n" + line
                yield Reject.from_error(err, raw=raw_text)
            line1 = name = None
            continue
        # A name line (3LE) or junk; a pending line 1 is orphaned by it, and so is a
        # pending name line: no line 1 followed it
        if line1 is not None:
            yield _orphan(line1, source, "line 1 is not followed by a line 2")
            line1 = None
        elif name is not None:
            yield _orphan(name, source, _NOT_TLE)
        name = _Pending(line_no, stripped)
    if line1 is not None:
        yield _orphan(line1, source, "line 1 at the end of the file has no line 2")
    elif name is not None:
        yield _orphan(name, source, _NOT_TLE)


_NOT_TLE = ("not a TLE line 1 or 2, and no line 1 follows it as it would a name line "
            "(columns 1-2 of a line 1 are '1 ', of a line 2 '2 ', each 69 characters)")


def _orphan(p: _Pending, source: str, reason: str) -> Reject:
    return Reject(source=source, line_no=p.line_no, field="LINE", reason=reason, raw=p.text)


def parse_tle(
    text: str, *, source: str = "<tle>", checksum_policy: ChecksumPolicy = "verify"
) -> ParseResult:
    """Read TLE/3LE/2LE text into records and rejects."""
    result = ParseResult(source=source)
    for item in iter_tle(text.splitlines(), source=source, checksum_policy=checksum_policy):
        if isinstance(item, Reject):
            result.rejects.append(item)
        else:
            result.records.append(item)
    return result


# --- writing ----------------------------------------------------------------------


def _round_half_up(value: float, places: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _format_implied_exponent(value: float) -> str:
    """0.00022159168 -> ' 22159-3': sign, 5-digit mantissa (rounded half up), exponent."""
    if value == 0:
        return " 00000+0"
    d = Decimal(repr(abs(value)))
    exponent = d.adjusted() + 1  # value = 0.ddddd x 10**exponent
    mantissa = (d.scaleb(-exponent) * 100_000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if mantissa >= 100_000:
        mantissa //= 10
        exponent += 1
    if not -9 <= exponent <= 9:
        raise TLEWriteError(f"value {value!r} does not fit a TLE exponent field")
    sign = "-" if value < 0 else " "
    return f"{sign}{int(mantissa):05d}{'-' if exponent < 0 else '+'}{abs(exponent)}"


def _epoch_field(epoch: datetime) -> str:
    t = epoch.astimezone(UTC)
    if not 1957 <= t.year <= 2056:
        raise TLEWriteError(f"epoch year {t.year} has no two-digit TLE form (1957..2056)")
    start = datetime(t.year, 1, 1, tzinfo=UTC)
    delta = t - start
    us_of_day = delta.seconds * 1_000_000 + delta.microseconds
    frac = (Decimal(us_of_day) / Decimal(86_400_000_000)).quantize(
        Decimal("1e-8"), rounding=ROUND_HALF_UP
    )
    day = delta.days + 1
    if frac >= 1:
        day, frac = day + 1, frac - 1
    return f"{t.year % 100:02d}{day:03d}.{int(frac * 10**8):08d}"


def _designator_field(object_id: str | None) -> str:
    m = re.match(r"^(\d{4})-(\d{3})([A-Z]{0,3})$", object_id or "")
    return f"{m.group(1)[2:]}{m.group(2)}{m.group(3):<3}" if m else " " * 8


def format_tle(es: ElementSet, *, name_line: bool = True) -> list[str]:
    """Write an element set as TLE lines (with a name line first when asked and known).

    Values are rounded half up to each field's resolution; eccentricity is truncated to
    7 digits, as CelesTrak renders it.
    Raises :class:`TLEWriteError` for catalog numbers above 339,999 and values that are
    not finite.
    """
    bad = non_finite_field(es)
    if bad:
        raise TLEWriteError(f"element set of {es.norad_cat_id}: {bad} is not a finite "
                            "number and has no TLE form")
    satnum = alpha5_encode(es.norad_cat_id)
    ndot = _round_half_up(es.mean_motion_dot, 8)
    ndot_text = f"{abs(ndot):.8f}"[1:]
    ndot_field = ("-" if ndot < 0 else " ") + ndot_text
    line1 = (
        f"1 {satnum}{es.classification_type or 'U'} {_designator_field(es.object_id)} "
        f"{_epoch_field(es.epoch)} {ndot_field} {_format_implied_exponent(es.mean_motion_ddot)} "
        f"{_format_implied_exponent(es.bstar)} {es.ephemeris_type % 10:1d} "
        f"{es.element_set_no % 10_000:4d}"
    )
    # CelesTrak truncates eccentricity to 7 digits (gpconf 'tle-writer-alpha5').
    ecc = Decimal(repr(es.eccentricity)).quantize(Decimal("1e-7"), rounding=ROUND_DOWN)
    if ecc >= 1:
        raise TLEWriteError(f"eccentricity {es.eccentricity} has no TLE form")
    angles = [
        f"{float(_round_half_up(getattr(es, a), 4)):8.4f}"
        for a in ("inclination", "ra_of_asc_node", "arg_of_pericenter", "mean_anomaly")
    ]
    line2 = (
        f"2 {satnum} {angles[0]} {angles[1]} {int(ecc * 10**7):07d} {angles[2]} {angles[3]} "
        f"{float(_round_half_up(es.mean_motion, 8)):11.8f}{es.rev_at_epoch % 100_000:5d}"
    )
    line1 += str(checksum(line1))
    line2 += str(checksum(line2))
    lines = [line1, line2]
    if name_line and es.object_name:
        lines.insert(0, one_line(es.object_name))
    return lines


def write_tle(elements: Iterable[ElementSet], *, name_lines: bool = True) -> str:
    """Write element sets as 3LE (or 2LE without name lines) text."""
    return "".join(
        "\n".join(format_tle(es, name_line=name_lines)) + "\n" for es in elements
    )
