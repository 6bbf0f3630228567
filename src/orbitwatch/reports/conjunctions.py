"""The conjunctions of a stored screening run with their risk: SOCRATES's columns plus
orbitwatch's Pc with its covariance and hard-body radius stated.

Everything is read from the stored run: both states at TCA (TEME) and each object's
facts as screened (type, owner, RCS, regime, perigee, element-set epoch); nothing is
propagated again. Pc is Foster's 2D with the assumed covariance of each object
(risk.covariance_model); MAX_PROB is the maximum over the size of SOCRATES's RTN shape
100 : 300 : 100 m, DILUTION each object's in-track 1-sigma (km) at that maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.time import iso_ms
from orbitwatch.risk.covariance_model import MODEL_NAME, TLE_MODEL, model_key
from orbitwatch.risk.events import band, events_risk
from orbitwatch.risk.hbr import Radius, radius_of
from orbitwatch.screening.results import ScreeningResult
from orbitwatch.screening.runs import load_run

SORTS = ("maxprob", "pc", "range", "tca")


@dataclass(slots=True)
class ConjunctionReport:
    run_id: int
    provenance: dict[str, Any]
    rows: list[dict[str, Any]]
    states: list[dict[str, Any]] = field(default_factory=list)  # per row, for CDMs
    skipped: int = 0  # events without states (runs from before states were stored, whose
    #                   element sets were supplied and never stored)


def _object_facts(result: ScreeningResult, k: int) -> dict[str, Any]:
    o = result.objects
    return {"norad_cat_id": int(o.norad_cat_id[k]), "object_name": o.object_name[k],
            "object_id": o.object_id[k], "object_type": o.object_type[k],
            "owner": o.owner[k], "epoch_us": int(o.epoch_us[k])}


def conjunction_report(store: CatalogStore, run_id: int, *, sort: str = "maxprob",
                       cara_hbr: dict[int, Radius] | None = None,
                       object_id: int | None = None) -> ConjunctionReport:
    """Every event of run ``run_id`` (of catalog number ``object_id`` only, when given)
    with its risk, sorted (maxprob, pc: largest first; range, tca: smallest first).
    Hard-body radii: ``cara_hbr`` when given, else the radius table stored with the
    catalog (``orbitwatch catalog radii``), else defaults (risk.hbr.radius_of)."""
    run = load_run(store, run_id, object_id)
    if cara_hbr is None:
        cara_hbr = {k: Radius(m, src)
                    for k, (m, src) in store.stored_radii(run.objects.norad_cat_id).items()}
    return risk_report(run, sort=sort, cara_hbr=cara_hbr)


def risk_report(result: ScreeningResult, *, sort: str = "maxprob",
                cara_hbr: dict[int, Radius] | None = None,
                group_docked: bool = True) -> ConjunctionReport:
    """The risk of every event of a screening result (fresh or stored), from the states
    at TCA and the object facts it carries. ``group_docked``: the events of a docked
    stack's members at one TCA are one row (STACK names the stack, GROUPED_EVENTS says
    how many events it stands for)."""
    ev, o = result.events, result.objects
    known = np.isfinite(ev["r1_km"]).all(axis=1) & np.isfinite(ev["r2_km"]).all(axis=1)
    ev = ev[known]
    n = len(ev)
    # per object once (the model entry, the radius), then per event by index
    n_obj = len(o)
    obj_keys = [model_key(str(o.regime[k]), float(o.perigee_km[k])) for k in range(n_obj)]
    obj_radii = [radius_of(int(o.norad_cat_id[k]), o.object_type[k],
                           None if np.isnan(o.rcs_m2[k]) else float(o.rcs_m2[k]), cara_hbr)
                 for k in range(n_obj)]
    key_names = sorted(set(obj_keys))
    key_of = np.array([key_names.index(k) for k in obj_keys], np.int64)
    sigma0 = np.array([TLE_MODEL[k][0] for k in key_names]).reshape(-1, 3)
    growth = np.array([TLE_MODEL[k][1] for k in key_names]).reshape(-1, 3)
    metres = np.array([r.metres for r in obj_radii])
    sigma = np.zeros((2, n, 3))
    for side in (0, 1):
        idx = ev[f"idx_{side + 1}"].astype(np.int64)
        days = np.abs(ev[f"dse_{side + 1}_days"])[:, None]
        sigma[side] = sigma0[key_of[idx]] + growth[key_of[idx]] * days
    i1, i2 = ev["idx_1"].astype(np.int64), ev["idx_2"].astype(np.int64)
    hbr = metres[i1] + metres[i2]
    risk = events_risk(ev["r1_km"], ev["v1_km_s"], ev["r2_km"], ev["v2_km_s"],
                       sigma[0], sigma[1], hbr)
    rows, states = [], []
    for row in range(n):
        e = ev[row]
        k1, k2 = int(e["idx_1"]), int(e["idx_2"])
        rows.append({
            "NORAD_CAT_ID_1": int(e["norad_cat_id_1"]), "OBJECT_NAME_1": o.object_name[k1],
            "DSE_1": round(float(e["dse_1_days"]), 3),
            "NORAD_CAT_ID_2": int(e["norad_cat_id_2"]), "OBJECT_NAME_2": o.object_name[k2],
            "DSE_2": round(float(e["dse_2_days"]), 3),
            "TCA": iso_ms(int(e["tca_us"])),
            "TCA_RANGE": float(e["miss_m"]) / 1000.0,
            "TCA_RELATIVE_SPEED": float(e["rel_speed_m_s"]) / 1000.0,
            "MAX_PROB": float(risk.max_pc[row]),
            "DILUTION": float(risk.dilution_km[row]),
            "PC": float(risk.pc[row]),
            "PC_MAX": float(risk.pc_max[row]),
            "PC_BAND": band(float(risk.pc[row])),
            "PC_METHOD": "FOSTER-1992",
            "PC_2D_DOUBTFUL": bool(risk.two_d_doubtful[row]),
            "COVARIANCE": f"assumed: {MODEL_NAME} ({obj_keys[k1]}/{obj_keys[k2]})",
            "HBR_M": float(hbr[row]),
            "HBR_SOURCE": f"{obj_radii[k1].source} + {obj_radii[k2].source}",
            "OWNER_1": o.owner[k1],
            "OWNER_2": o.owner[k2],
        })
        states.append({"r1_km": e["r1_km"], "v1_km_s": e["v1_km_s"], "r2_km": e["r2_km"],
                       "v2_km_s": e["v2_km_s"], "sigma1_m": sigma[0, row],
                       "sigma2_m": sigma[1, row], "tca_us": int(e["tca_us"]),
                       "object_1": _object_facts(result, k1),
                       "object_2": _object_facts(result, k2),
                       "element_set_id_1": int(o.element_set_id[k1]),
                       "element_set_id_2": int(o.element_set_id[k2])})
    if group_docked:
        rows, states = _group_stacks(result, ev, rows, states, metres)
    order = _order(rows, sort)
    return ConjunctionReport(result.run_id or 0, result.provenance, [rows[i] for i in order],
                             [states[i] for i in order], int((~known).sum()))


#: Objects whose least distance over a run stays under this are one docked stack: docked
#: vehicles and modules carry the station's own element set (their distance is 0).
DOCKED_M = 1.0


def _stacks(result: ScreeningResult, metres: np.ndarray) -> dict[int, tuple[int, str]]:
    """Object row -> (stack leader's row, the stack's description), for the objects of
    docked stacks (formation pairs closer than DOCKED_M over the whole run). The leader
    is the largest member (the station)."""
    parent = list(range(len(result.objects)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for f in result.formation:
        if f["min_distance_m"] < DOCKED_M:
            parent[root(int(f["idx_1"]))] = root(int(f["idx_2"]))
    members: dict[int, list[int]] = {}
    for k in range(len(parent)):
        members.setdefault(root(k), []).append(k)
    o = result.objects
    out = {}
    for group in members.values():
        if len(group) < 2:
            continue
        leader = max(group, key=lambda k: (metres[k], -int(o.norad_cat_id[k])))
        ids = sorted(int(o.norad_cat_id[k]) for k in group)
        text = (f"{o.object_name[leader] or ids[0]} stack: {len(group)} objects sharing "
                f"one element set ({', '.join(map(str, ids))})")
        out.update({k: (leader, text) for k in group})
    return out


def _stack_key(stacks: dict[int, tuple[int, str]], i1: int, i2: int, tca_us: int) -> tuple:
    """The approach an event belongs to: the two stacks (or objects), either way round,
    and the TCA to the second."""
    a, b = stacks.get(i1, (i1,))[0], stacks.get(i2, (i2,))[0]
    return min(a, b), max(a, b), round(tca_us / 1e6)


def _group_stacks(result: ScreeningResult, ev: np.ndarray, rows: list[dict],
                  states: list[dict], metres: np.ndarray) -> tuple[list[dict], list[dict]]:
    """One row per approach of a docked stack (the worst Pc of its members' events at
    the same TCA), with the stack named and the number of events it stands for; the
    events stay stored one per pair."""
    stacks = _stacks(result, metres)
    for row in rows:
        row["STACK"], row["GROUPED_EVENTS"] = None, 1
    if not stacks:
        return rows, states
    # per event: the approach it belongs to (None: no stack member in it)
    keys = [_stack_key(stacks, int(e["idx_1"]), int(e["idx_2"]), int(e["tca_us"]))
            if int(e["idx_1"]) in stacks or int(e["idx_2"]) in stacks else None for e in ev]
    best: dict[tuple, int] = {}
    counts: dict[tuple, int] = {}
    for k, key in enumerate(keys):
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
            if key not in best or rows[k]["PC"] > rows[best[key]]["PC"]:
                best[key] = k
    keep = [k for k, key in enumerate(keys) if key is None or best[key] == k]
    for k in keep:
        if keys[k] is not None:
            i1, i2 = int(ev["idx_1"][k]), int(ev["idx_2"][k])
            rows[k]["STACK"] = "; ".join(stacks[i][1] for i in (i1, i2) if i in stacks)
            rows[k]["GROUPED_EVENTS"] = counts[keys[k]]
    return [rows[k] for k in keep], [states[k] for k in keep]


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
