"""Pc of CDMs by each method, side by side with the Pc each message reports."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orbitwatch.core.constants import MU_M3_S2
from orbitwatch.core.orbit import period_s_from_state
from orbitwatch.errors import InputError
from orbitwatch.formats.cdm import Cdm, read_cdm
from orbitwatch.risk.encounter import encounter_plane
from orbitwatch.risk.from_cdm import cdm_states
from orbitwatch.risk.maxpc import frisbee_max_pc, max_pc_over_scale
from orbitwatch.risk.nc3d import pc3d_nc
from orbitwatch.risk.pc2d import pc_circle, pc_square

#: SANA registry names of the methods (CCSDS 508.0-B-1 COLLISION_PROBABILITY_METHOD).
FOSTER = "FOSTER-1992"
ALFANO_MAX = "ALFANO-2005"
FRISBEE_MAX = "FRISBEE-MAX"  # not in the SANA registry; CARA's FrisbeeMaxPc
HALL_3D = "HALL-3D-NC"  # not in the SANA registry; CARA's Pc3D_Hall


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


def _half_period_s(r: np.ndarray, v: np.ndarray) -> float:
    """Half the two-body orbital period of a state (m, m/s): the span around TCA that
    belongs to this conjunction; the next pass of the pair is another one. A hyperbolic
    state gets one hour."""
    period = period_s_from_state(r, v, MU_M3_S2)
    return 3600.0 if math.isinf(period) else period / 2.0


def cdm_risk_rows(cdm: Cdm, hbr_m: float | None = None) -> list[dict]:
    """One row per method and hard-body region shape: Pc, what it assumes, and the CDM's
    own Pc. Foster's Pc is given over the disk of the hard-body radius (CARA's convention)
    and over the square around it (CSpOC's: their messages' Pc is reproduced by it); Hall's
    3D Nc checks the 2D method's assumptions (they fail for slow, long encounters)."""
    hbr, hbr_source = _hbr(cdm, hbr_m)
    s = cdm_states(cdm)
    known = [bool(np.any(o.covariance_rtn[:3, :3])) for o in cdm.objects]
    base = {
        "file": cdm.source,
        "object_1": cdm.objects[0].designator,
        "object_2": cdm.objects[1].designator,
        "tca_utc": cdm.relative["TCA"],
        "miss_m": cdm.miss_distance_m,
        "hbr_m": hbr,
        "hbr_source": hbr_source,
        "cdm_pc": cdm.collision_probability,
        "cdm_method": cdm.relative.get("COLLISION_PROBABILITY_METHOD"),
    }
    try:
        plane = encounter_plane(s.r1, s.v1, s.r2, s.v2, s.cov1[:3, :3] + s.cov2[:3, :3])
    except ValueError:
        return [{**base, "method": FOSTER, "hbr_shape": "circle", "pc": math.nan,
                 "covariance": "undefined: zero relative velocity, no encounter plane"}]
    kinds = "/".join(o.covariance_method for o in cdm.objects)
    # CALCULATED: from orbit determination (real); DEFAULT: a default value (assumed)
    kind = ("real" if all(o.covariance_method.upper() == "CALCULATED" for o in cdm.objects)
            else "assumed")
    if all(known):
        best = max_pc_over_scale(plane.miss, plane.covariance, hbr)
        both = f"{kind}: both from the CDM (COVARIANCE_METHOD {kinds})"
        return [
            {**base, "method": FOSTER, "hbr_shape": "circle",
             "pc": pc_circle(plane.miss, plane.covariance, hbr), "covariance": both},
            # CSpOC's stated Pc is this one (see orbitwatch.risk.pc2d)
            {**base, "method": FOSTER, "hbr_shape": "square",
             "pc": pc_square(plane.miss, plane.covariance, hbr), "covariance": both},
            {**base, "method": ALFANO_MAX, "hbr_shape": "circle", "pc": best.pc,
             "covariance": f"maximum over the size of the CDM's covariance (scale "
                           f"{best.scale:.3g} at the maximum)"},
            {**base, "method": HALL_3D, "hbr_shape": "sphere",
             "pc": pc3d_nc(s.r1, s.v1, s.cov1, s.r2, s.v2, s.cov2, hbr,
                           half_window_s=_half_period_s(s.r1, s.v1)).pc,
             "covariance": f"{both}; position and velocity, two-body motion within half "
                           "an orbit of TCA"},
        ]
    if any(known):
        which = 1 if known[0] else 2
        worst = frisbee_max_pc(plane.miss, plane.covariance, hbr)
        return [{**base, "method": FRISBEE_MAX, "hbr_shape": "circle", "pc": worst.pc,
                 "covariance": f"real for object {which} only; the other's is the worst "
                               f"case (sigma {worst.scale:.3g} m along the miss line)"}]
    return [{**base, "method": FOSTER, "hbr_shape": "circle", "pc": math.nan,
             "covariance": "none: both covariances are zero"}]


def cdm_files_risk(paths: list[Path], hbr_m: float | None = None) -> CdmRisk:
    """Rows for every readable CDM; a bad file is reported and the rest go on (a value
    that breaks a method's numerics is that file's error, not the batch's)."""
    rows, errors = [], []
    for path in paths:
        try:
            cdm = read_cdm(path.read_text(errors="replace"), source=str(path))
            rows += cdm_risk_rows(cdm, hbr_m)
        except InputError as err:
            errors.append(str(err))
        except (ArithmeticError, ValueError, np.linalg.LinAlgError) as err:
            errors.append(f"{path}: no Pc could be computed from its values "
                          f"({type(err).__name__}: {err})")
    return CdmRisk(rows, errors)
