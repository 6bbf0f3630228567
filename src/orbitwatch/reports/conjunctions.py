"""The conjunctions of a stored screening run with their risk: SOCRATES's columns plus
orbitwatch's Pc with its covariance and hard-body radius stated.

States at TCA come from SGP4 on the element sets the run used (the run stores their
ids). Pc is Foster's 2D with the assumed covariance of each object
(risk.covariance_model); MAX_PROB is the maximum over the size of SOCRATES's RTN shape
100 : 300 : 100 m, DILUTION each object's in-track 1-sigma (km) at that maximum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from orbitwatch.catalog.info import orbit_regime
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.formats.elements import ElementSet, datetime_to_split_jd, iso_ms, us_to_datetime
from orbitwatch.propagation.sgp4_batch import EARTH_RADIUS_KM, MU_KM3_S2, satrec_from_elements
from orbitwatch.risk.covariance_model import MODEL_NAME, assumed_sigma_rtn_m, model_key
from orbitwatch.risk.events import band, events_risk
from orbitwatch.risk.hbr import Radius, radius_of
from orbitwatch.screening.runs import load_run

SORTS = ("maxprob", "pc", "range", "tca")


@dataclass(slots=True)
class ConjunctionReport:
    run_id: int
    provenance: dict[str, Any]
    rows: list[dict[str, Any]]
    states: list[dict[str, Any]] = field(default_factory=list)  # per row, for CDMs
    skipped: int = 0  # events whose element sets are not in the store


def _perigee_km(es: ElementSet) -> float:
    n = es.mean_motion * 2.0 * math.pi / 86400.0
    a = (MU_KM3_S2 / n**2) ** (1.0 / 3.0)
    return a * (1.0 - es.eccentricity) - EARTH_RADIUS_KM


def conjunction_report(store: CatalogStore, run_id: int, *, sort: str = "maxprob",
                       cara_hbr: dict[int, Radius] | None = None,
                       object_id: int | None = None) -> ConjunctionReport:
    """Every event of run ``run_id`` (of catalog number ``object_id`` only, when given)
    with its risk, sorted (maxprob, pc: largest first; range, tca: smallest first)."""
    prov, ev, names_1, names_2, es_ids = load_run(store, run_id, object_id)
    sets = store.element_sets_by_id(es_ids.ravel())
    info = store.object_info(np.concatenate((ev["norad_cat_id_1"], ev["norad_cat_id_2"])))
    keep = [k for k in range(len(ev)) if es_ids[k, 0] in sets and es_ids[k, 1] in sets]
    n = len(keep)
    r = np.zeros((2, n, 3))
    v = np.zeros((2, n, 3))
    sigma = np.zeros((2, n, 3))
    hbr = np.zeros(n)
    hbr_sources: list[str] = []
    regimes: list[str] = []
    for row, k in enumerate(keep):
        jd, fr = datetime_to_split_jd(us_to_datetime(int(ev["tca_us"][k])))
        radii = []
        keys = []
        for side in (0, 1):
            es = sets[int(es_ids[k, side])]
            _, pos, vel = satrec_from_elements(es).sgp4(jd, fr)  # screened: no error here
            r[side, row], v[side, row] = pos, vel
            key = model_key(orbit_regime(es), _perigee_km(es))
            keys.append(key)
            dse = ev[f"dse_{side + 1}_days"][k]
            sigma[side, row] = assumed_sigma_rtn_m(key, dse)
            facts = info.get(es.norad_cat_id, {})
            radii.append(radius_of(es.norad_cat_id, facts.get("object_type"),
                                   facts.get("rcs_m2"), cara_hbr))
        hbr[row] = radii[0].metres + radii[1].metres
        hbr_sources.append(" + ".join(x.source for x in radii))
        regimes.append("/".join(keys))
    risk = events_risk(r[0], v[0], r[1], v[1], sigma[0], sigma[1], hbr)
    rows, states = [], []
    for row, k in enumerate(keep):
        id_1, id_2 = int(ev["norad_cat_id_1"][k]), int(ev["norad_cat_id_2"][k])
        rows.append({
            "NORAD_CAT_ID_1": id_1, "OBJECT_NAME_1": names_1[k],
            "DSE_1": round(float(ev["dse_1_days"][k]), 3),
            "NORAD_CAT_ID_2": id_2, "OBJECT_NAME_2": names_2[k],
            "DSE_2": round(float(ev["dse_2_days"][k]), 3),
            "TCA": iso_ms(int(ev["tca_us"][k])),
            "TCA_RANGE": float(ev["miss_m"][k]) / 1000.0,
            "TCA_RELATIVE_SPEED": float(ev["rel_speed_m_s"][k]) / 1000.0,
            "MAX_PROB": float(risk.max_pc[row]),
            "DILUTION": float(risk.dilution_km[row]),
            "PC": float(risk.pc[row]),
            "PC_BAND": band(float(risk.pc[row])),
            "PC_METHOD": "FOSTER-1992",
            "PC_2D_DOUBTFUL": bool(risk.two_d_doubtful[row]),
            "COVARIANCE": f"assumed: {MODEL_NAME} ({regimes[row]})",
            "HBR_M": float(hbr[row]),
            "HBR_SOURCE": hbr_sources[row],
            "OWNER_1": info.get(id_1, {}).get("owner"),
            "OWNER_2": info.get(id_2, {}).get("owner"),
        })
        states.append({"r1_km": r[0, row], "v1_km_s": v[0, row], "r2_km": r[1, row],
                       "v2_km_s": v[1, row], "sigma1_m": sigma[0, row],
                       "sigma2_m": sigma[1, row], "tca_us": int(ev["tca_us"][k]),
                       "es_1": sets[int(es_ids[k, 0])], "es_2": sets[int(es_ids[k, 1])],
                       "type_1": info.get(id_1, {}).get("object_type"),
                       "type_2": info.get(id_2, {}).get("object_type")})
    order = _order(rows, sort)
    return ConjunctionReport(run_id, prov, [rows[i] for i in order], [states[i] for i in order],
                             len(ev) - n)


def _order(rows: list[dict], sort: str) -> list[int]:
    def nan_low(x: float) -> float:
        return x if x == x else -1.0

    keys = {
        "maxprob": lambda i: (-nan_low(rows[i]["MAX_PROB"]), rows[i]["TCA_RANGE"]),
        "pc": lambda i: (-nan_low(rows[i]["PC"]), rows[i]["TCA_RANGE"]),
        "range": lambda i: (rows[i]["TCA_RANGE"], rows[i]["TCA"]),
        "tca": lambda i: (rows[i]["TCA"], rows[i]["TCA_RANGE"]),
    }
    return sorted(range(len(rows)), key=keys[sort])
