"""CCSDS CDMs (508.0-B-1) for screening events: both states in GCRF at TCA, the
covariance each object was assumed to have (COVARIANCE_METHOD DEFAULT), the screening
volume and period, and the Pc with its SANA method name."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np

from orbitwatch._version import __version__
from orbitwatch.core.time import datetime_to_split_jd, format_epoch, us_to_datetime
from orbitwatch.formats.cdm import POS_VEL_COVARIANCE_KEYS, Cdm, CdmObject
from orbitwatch.propagation.frames import rtn_basis, teme_to_gcrf
from orbitwatch.risk.covariance_model import MODEL_NAME


def _f(x: float, digits: int = 9) -> str:
    return f"{x:.{digits}f}"


def event_cdm(row: dict[str, Any], state: dict[str, Any], provenance: dict[str, Any],
              volume_m: tuple[float, float, float], message_id: str) -> Cdm:
    """A CDM for one conjunction row (reports.conjunctions) and its states."""
    tca = us_to_datetime(state["tca_us"])
    jd, fr = datetime_to_split_jd(tca)
    pos, vel = [], []
    for side in ("1", "2"):
        p, v = teme_to_gcrf(np.asarray(state[f"r{side}_km"])[None],
                            np.asarray(state[f"v{side}_km_s"])[None],
                            np.array([jd]), np.array([fr]))
        pos.append(p[0])
        vel.append(v[0])
    basis = rtn_basis(pos[0], vel[0])
    rel_r = basis @ (pos[1] - pos[0]) * 1000.0
    rel_v = basis @ (vel[1] - vel[0]) * 1000.0
    header = {
        "CCSDS_CDM_VERS": "1.0",
        "CREATION_DATE": format_epoch(datetime.now(UTC))[:23],
        "ORIGINATOR": "ORBITWATCH",
        "MESSAGE_ID": message_id,
    }
    relative = {
        "TCA": format_epoch(tca)[:23],
        "MISS_DISTANCE": _f(float(np.linalg.norm(rel_r)), 3),
        "RELATIVE_SPEED": _f(float(np.linalg.norm(rel_v)), 3),
        "RELATIVE_POSITION_R": _f(rel_r[0], 3), "RELATIVE_POSITION_T": _f(rel_r[1], 3),
        "RELATIVE_POSITION_N": _f(rel_r[2], 3),
        "RELATIVE_VELOCITY_R": _f(rel_v[0], 3), "RELATIVE_VELOCITY_T": _f(rel_v[1], 3),
        "RELATIVE_VELOCITY_N": _f(rel_v[2], 3),
        "START_SCREEN_PERIOD": provenance["window_start"].rstrip("Z")[:23],
        "STOP_SCREEN_PERIOD": provenance["window_end"].rstrip("Z")[:23],
        "SCREEN_VOLUME_FRAME": "RTN",
        "SCREEN_VOLUME_SHAPE": "ELLIPSOID",
        "SCREEN_VOLUME_X": _f(volume_m[0], 1), "SCREEN_VOLUME_Y": _f(volume_m[1], 1),
        "SCREEN_VOLUME_Z": _f(volume_m[2], 1),
        "COLLISION_PROBABILITY": f"{row['PC']:.6e}",
        "COLLISION_PROBABILITY_METHOD": "FOSTER-1992",
    }
    comments = [
        f"orbitwatch {__version__}: states from SGP4 at TCA as screened, TEME to GCRF",
        f"HBR = {row['HBR_M']:.3f} [m] ({row['HBR_SOURCE']})",
        f"Covariance assumed: {MODEL_NAME}; maximum Pc (ALFANO-2005, SOCRATES shape "
        f"100/300/100 m) = {row['MAX_PROB']:.6e}",
    ]
    objects = []
    for k, side in enumerate(("1", "2")):
        obj = state[f"object_{side}"]
        values = {
            "OBJECT": f"OBJECT{side}",
            "OBJECT_DESIGNATOR": str(obj["norad_cat_id"]),
            "CATALOG_NAME": "SATCAT",
            "OBJECT_NAME": obj["object_name"] or "UNKNOWN",
            "INTERNATIONAL_DESIGNATOR": obj["object_id"] or "UNKNOWN",
            "EPHEMERIS_NAME": "NONE",
            "COVARIANCE_METHOD": "DEFAULT",
            "MANEUVERABLE": "N/A",
            "REF_FRAME": "GCRF",
            "GRAVITY_MODEL": "SGP4",
            "X": _f(pos[k][0], 6), "Y": _f(pos[k][1], 6), "Z": _f(pos[k][2], 6),
            "X_DOT": _f(vel[k][0], 9), "Y_DOT": _f(vel[k][1], 9), "Z_DOT": _f(vel[k][2], 9),
        }
        if obj["object_type"]:
            values["OBJECT_TYPE"] = _object_type(obj["object_type"])
        sigma = np.asarray(state[f"sigma{side}_m"], float)
        cov = np.zeros((6, 6))
        cov[:3, :3] = np.diag(sigma**2)
        idx = 0
        for i in range(6):
            for j in range(i + 1):
                values[POS_VEL_COVARIANCE_KEYS[idx]] = f"{cov[i, j]:.6e}"
                idx += 1
        note = [f"element set epoch {format_epoch(us_to_datetime(obj['epoch_us']))[:23]}; "
                f"RTN 1-sigma assumed {sigma[0]:.0f}/{sigma[1]:.0f}/{sigma[2]:.0f} m, "
                "velocity terms unknown (0)"]
        objects.append(CdmObject(values, np.concatenate((pos[k], vel[k])), cov, note))
    return Cdm(message_id, header, relative, (objects[0], objects[1]), comments)


def _object_type(satcat_type: str) -> str:
    mapping = {"PAYLOAD": "PAYLOAD", "ROCKET BODY": "ROCKET BODY", "DEBRIS": "DEBRIS"}
    return mapping.get(satcat_type.upper(), "UNKNOWN")
