"""Pc of CDMs by each method, side by side with the Pc each message reports."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from orbitwatch.errors import InputError
from orbitwatch.formats.cdm import Cdm, read_cdm
from orbitwatch.risk.encounter import encounter_plane
from orbitwatch.risk.from_cdm import cdm_states
from orbitwatch.risk.maxpc import max_pc_over_scale
from orbitwatch.risk.pc2d import pc_circle

#: SANA registry names of the methods (CCSDS 508.0-B-1 COLLISION_PROBABILITY_METHOD).
FOSTER = "FOSTER-1992"
ALFANO_MAX = "ALFANO-2005"


@dataclass(slots=True)
class CdmRisk:
    rows: list[dict]
    errors: list[str]


def _hbr(cdm: Cdm, hbr_m: float | None) -> tuple[float, str]:
    if hbr_m is not None:
        return hbr_m, "given (--hbr)"
    value, source = cdm.hbr_with_source()
    if value is not None:
        return value, source
    raise InputError(f"{cdm.source}: the message carries no hard-body radius "
                     "(COMMENT HBR or exclusion-volume radii); give one with --hbr")


def cdm_risk_rows(cdm: Cdm, hbr_m: float | None = None) -> list[dict]:
    """One row per method: Pc, what it assumes, and the CDM's own Pc."""
    hbr, hbr_source = _hbr(cdm, hbr_m)
    s = cdm_states(cdm)
    cov_kind = "/".join(o.covariance_method for o in cdm.objects)
    try:
        plane = encounter_plane(s.r1, s.v1, s.r2, s.v2, s.cov1[:3, :3] + s.cov2[:3, :3])
    except ValueError:
        plane = None
    foster = pc_circle(plane.miss, plane.covariance, hbr) if plane else math.nan
    best = max_pc_over_scale(plane.miss, plane.covariance, hbr) if plane else None
    base = {
        "file": cdm.source,
        "object_1": cdm.objects[0].designator,
        "object_2": cdm.objects[1].designator,
        "tca_utc": cdm.relative["TCA"],
        "miss_m": cdm.miss_distance_m,
        "hbr_m": hbr,
        "hbr_source": hbr_source,
    }
    cdm_pc = cdm.collision_probability
    cdm_method = cdm.relative.get("COLLISION_PROBABILITY_METHOD")
    return [
        {**base, "method": FOSTER, "pc": foster,
         "covariance": f"real: the CDM's ({cov_kind})",
         "cdm_pc": cdm_pc, "cdm_method": cdm_method},
        {**base, "method": ALFANO_MAX, "pc": best.pc if best else math.nan,
         "covariance": f"maximum over the size of the CDM's covariance (scale "
                       f"{best.scale:.3g} at the maximum)" if best else "undefined",
         "cdm_pc": cdm_pc, "cdm_method": cdm_method},
    ]


def cdm_files_risk(paths: list[Path], hbr_m: float | None = None) -> CdmRisk:
    """Rows for every readable CDM; a bad file is reported and the rest go on."""
    rows, errors = [], []
    for path in paths:
        try:
            cdm = read_cdm(path.read_text(errors="replace"), source=str(path))
            rows += cdm_risk_rows(cdm, hbr_m)
        except InputError as err:
            errors.append(str(err))
    return CdmRisk(rows, errors)
