"""SATCAT CSV: CelesTrak's columns and the processed variant (lower-case names, types
spelled out, dates with times). Read-only: orbitwatch keeps SATCAT as object metadata."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from orbitwatch.errors import FileFormatError, SatcatFormatError
from orbitwatch.formats.csvrows import csv_header_and_rows
from orbitwatch.formats.elements import Reject, control_characters

#: CelesTrak OBJECT_TYPE codes and the spelled-out forms, to one vocabulary.
OBJECT_TYPES = {
    "PAY": "PAYLOAD", "PAYLOAD": "PAYLOAD",
    "R/B": "ROCKET BODY", "ROCKET BODY": "ROCKET BODY",
    "DEB": "DEBRIS", "DEBRIS": "DEBRIS",
    "UNK": "UNKNOWN", "UNKNOWN": "UNKNOWN", "TBA": "UNKNOWN", "": "UNKNOWN",
}


@dataclass(frozen=True, slots=True)
class SatcatRecord:
    """One catalogued object. Dates are UTC days; sizes in km, minutes, degrees, m**2."""

    norad_cat_id: int
    object_name: str | None
    object_id: str | None
    object_type: str
    owner: str | None
    launch_date: date | None
    decay_date: date | None
    rcs_m2: float | None = None
    period_min: float | None = None
    inclination_deg: float | None = None
    apogee_km: float | None = None
    perigee_km: float | None = None


@dataclass(slots=True)
class SatcatResult:
    source: str
    records: list[SatcatRecord]
    rejects: list[Reject]


def _date(text: str) -> date | None:
    s = text.strip()
    return date.fromisoformat(s[:10]) if s else None


def _float(text: str) -> float | None:
    s = text.strip()
    return float(s) if s else None


def parse_satcat_csv(text: str, *, source: str = "<satcat>") -> SatcatResult:
    """Read SATCAT CSV (any column order, upper or lower case names)."""
    header, row_iter = csv_header_and_rows(text, source)
    if header is None:
        return SatcatResult(source, [], [])
    if "NORAD_CAT_ID" not in header or "OBJECT_TYPE" not in header:
        raise FileFormatError(
            f"{source}: line 1 is not a SATCAT header (needs NORAD_CAT_ID and OBJECT_TYPE)"
        )
    records: list[SatcatRecord] = []
    rejects: list[Reject] = []
    for line_no, row in row_iter:
        if isinstance(row, str):  # the csv module could not read this row
            e = SatcatFormatError(row, source=source, line_no=line_no, field="ROW")
            rejects.append(Reject.from_error(e))
            continue
        if not any(c.strip() for c in row):
            continue
        raw = ",".join(row)
        field = "ROW"
        try:
            if len(row) != len(header):
                raise ValueError(f"row has {len(row)} cells, the header {len(header)}")
            f = dict(zip(header, row, strict=True))
            field = "NORAD_CAT_ID"
            norad = int(f["NORAD_CAT_ID"])
            field = "OBJECT_TYPE"
            kind = OBJECT_TYPES.get(f["OBJECT_TYPE"].strip().upper())
            if kind is None:
                raise ValueError(f"unknown OBJECT_TYPE {f['OBJECT_TYPE']!r}")
            field = "LAUNCH_DATE"
            launch = _date(f.get("LAUNCH_DATE", ""))
            field = "DECAY_DATE"
            decay = _date(f.get("DECAY_DATE", ""))
            field = "RCS"
            rcs = _float(f.get("RCS", ""))
            for field in ("OBJECT_NAME", "OBJECT_ID", "OWNER"):
                bad = control_characters(f.get(field, ""))
                if bad:
                    raise ValueError(f"{field} holds control characters {', '.join(bad[:5])}")
            field = "PERIOD"
            rec = SatcatRecord(
                norad_cat_id=norad,
                object_name=f.get("OBJECT_NAME", "").strip() or None,
                object_id=f.get("OBJECT_ID", "").strip() or None,
                object_type=kind,
                owner=f.get("OWNER", "").strip() or None,
                launch_date=launch,
                decay_date=decay,
                rcs_m2=rcs,
                period_min=_float(f.get("PERIOD", "")),
                inclination_deg=_float(f.get("INCLINATION", "")),
                apogee_km=_float(f.get("APOGEE", "")),
                perigee_km=_float(f.get("PERIGEE", "")),
            )
        except ValueError as err:
            e = SatcatFormatError(str(err), source=source, line_no=line_no, field=field)
            rejects.append(Reject.from_error(e, raw=raw))
            continue
        records.append(rec)
    return SatcatResult(source, records, rejects)


_SATCAT_COLUMNS = ("OBJECT_NAME", "OBJECT_ID", "NORAD_CAT_ID", "OBJECT_TYPE", "OWNER",
                   "LAUNCH_DATE", "DECAY_DATE", "PERIOD", "INCLINATION", "APOGEE", "PERIGEE",
                   "RCS")


def write_satcat_csv(records: list[SatcatRecord]) -> str:
    """SATCAT CSV in CelesTrak's column names (types spelled out)."""

    def cell(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            return f"{v:.3f}"
        return str(v)

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_SATCAT_COLUMNS)
    for r in records:
        w.writerow(cell(v) for v in (
            r.object_name, r.object_id, r.norad_cat_id, r.object_type, r.owner,
            r.launch_date, r.decay_date, r.period_min, r.inclination_deg, r.apogee_km,
            r.perigee_km, r.rcs_m2))
    return buf.getvalue()
