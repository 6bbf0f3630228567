"""Hard-body radius of each object: CARA's per-object estimates when loaded, else a
radius from the object's type and radar cross-section.

CARA distributes HBR and mass estimates for every catalogued object (CSV columns
ObjectID, HBR [m], HBRSigma, HBRSource, Mass, MassSigma, MassSource); objects without an
estimate there have an empty HBR. The fallback turns a SATCAT RCS (m^2) into the radius
of a disk of that area, with a floor by object type; with neither, a default by type.
The combined HBR of a pair is the sum of the two radii. Every value says where it came
from.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from orbitwatch.errors import InputError

#: Radius (m) by SATCAT object type when nothing better is known: a typical payload, a
#: rocket body stage, a fragment. Chosen near the medians of CARA's estimates per type.
DEFAULT_RADIUS_M = {"PAYLOAD": 2.0, "ROCKET BODY": 3.0, "DEBRIS": 0.5, "UNKNOWN": 1.0}
RCS_FLOOR_M = 0.1


@dataclass(frozen=True, slots=True)
class Radius:
    metres: float
    source: str


def load_cara_hbr(path: Path) -> dict[int, Radius]:
    """CARA's HBR table: catalog number -> radius (objects with an empty HBR left out)."""
    out: dict[int, Radius] = {}
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"ObjectID", "HBR", "HBRSource"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(f"{path}: not a CARA HBR table (missing columns "
                             f"{', '.join(sorted(missing))})")
        for line_no, row in enumerate(reader, start=2):
            text = (row["HBR"] or "").strip()
            if not text:
                continue
            try:
                value = float(text)
                key = int(row["ObjectID"])
            except ValueError:
                raise InputError(f"{path}, line {line_no}: HBR/ObjectID not a number: "
                                 f"{row['ObjectID']!r}, {text!r}")
            if value > 0:
                out[key] = Radius(value, f"CARA estimate ({row['HBRSource']})")
    return out


#: Structures far larger than their radar cross-section suggests (RCS saturates): the
#: radius of the sphere around them. ISS: half the diagonal of its 109 m x 73 m outline
#: (NASA's reference guide): sqrt(54.5^2 + 36.5^2) = 65.6 m.
KNOWN_STRUCTURES = {
    25544: Radius(65.6, "ISS: half-diagonal of its 109 m x 73 m outline"),
}


def radius_of(norad_cat_id: int, object_type: str | None, rcs_m2: float | None,
              cara: dict[int, Radius] | None = None) -> Radius:
    """The best radius orbitwatch knows for one object: a radius table's (CARA's, given
    or stored with the catalog), a known large structure's, one from the SATCAT RCS, or
    a default by type."""
    if cara and norad_cat_id in cara:
        return cara[norad_cat_id]
    if norad_cat_id in KNOWN_STRUCTURES:
        return KNOWN_STRUCTURES[norad_cat_id]
    if rcs_m2 is not None and rcs_m2 > 0:
        return Radius(max(math.sqrt(rcs_m2 / math.pi), RCS_FLOOR_M),
                      "from SATCAT RCS (disk of that area)")
    kind = (object_type or "UNKNOWN").upper()
    kind = kind if kind in DEFAULT_RADIUS_M else "UNKNOWN"
    return Radius(DEFAULT_RADIUS_M[kind], f"default for {kind.lower()}")
