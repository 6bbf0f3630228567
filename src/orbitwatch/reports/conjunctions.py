"""The risk of a screening run's conjunctions, and the report row that shows it:
SOCRATES's columns plus orbitwatch's Pc with its covariance and hard-body radius stated.

Everything comes from the run: both states at TCA (TEME) and each object's facts as
screened (type, owner, RCS, regime, perigee, element-set epoch); nothing is propagated
again. A stored run's risk is computed once and stored with it (reports.run_risk).
Pc is Foster's 2D with the assumed covariance of each object (risk.covariance_model);
MAX_PROB is the maximum over the size of SOCRATES's RTN shape 100 : 300 : 100 m,
DILUTION each object's in-track 1-sigma (km) at that maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from orbitwatch.core.time import iso_ms
from orbitwatch.risk.covariance_model import MODEL_NAME, assumed_sigma_rtn_m, model_key
from orbitwatch.risk.events import band, events_risk
from orbitwatch.risk.hbr import Radius, radius_of
from orbitwatch.screening.results import ScreeningResult


@dataclass(slots=True)
class ConjunctionReport:
    run_id: int
    provenance: dict[str, Any]
    rows: list[dict[str, Any]]
    states: list[dict[str, Any]] = field(default_factory=list)  # per row, for CDMs
    skipped: int = 0  # events without states (runs from before states were stored, whose
    #                   element sets were supplied and never stored)


@dataclass(slots=True)
class RunRiskColumns:
    """The risk of a screening result's events as columns, one entry per report row:
    the events with states, the events of a docked stack at one TCA merged into one (the
    worst Pc of them), in TCA order."""

    events: np.ndarray  # rows of result.events
    pc: np.ndarray
    pc_max: np.ndarray
    max_prob: np.ndarray
    dilution_km: np.ndarray
    hbr_m: np.ndarray
    doubtful: np.ndarray
    stack: list[str | None]  # the stacks of a grouped row, else None
    grouped_events: np.ndarray  # how many stored events a row stands for
    skipped: int  # events without states


def model_and_radius(norad_cat_id: int, regime: str | None, perigee_km: float | None,
                     object_type: str | None, rcs_m2: float | None,
                     radii: dict[int, Radius] | None) -> tuple[str, Radius]:
    """An object's entry of the assumed covariance model and its hard-body radius (a
    radius table's, a known structure's, from RCS, or by type). NaN or None: unknown."""
    rcs = None if rcs_m2 is None or rcs_m2 != rcs_m2 else float(rcs_m2)
    return (model_key(regime or "other", perigee_km),
            radius_of(int(norad_cat_id), object_type, rcs, radii))


def run_risk_columns(result: ScreeningResult, cara_hbr: dict[int, Radius] | None = None,
                     group_docked: bool = True) -> RunRiskColumns:
    """The risk of every event of a screening result (fresh or stored), from the states
    at TCA and the object facts it carries, batched. ``group_docked``: the events of a
    docked stack's members at one TCA are one row."""
    ev = result.events
    known = np.isfinite(ev["r1_km"]).all(axis=1) & np.isfinite(ev["r2_km"]).all(axis=1)
    index = np.flatnonzero(known)
    index = index[np.lexsort((ev["miss_m"][index], ev["tca_us"][index]))]
    ev = ev[index]
    o = result.objects
    obj_keys, obj_radii = zip(*(model_and_radius(
        o.norad_cat_id[k], str(o.regime[k]), float(o.perigee_km[k]), o.object_type[k],
        float(o.rcs_m2[k]), cara_hbr) for k in range(len(o))), strict=True) if len(o) \
        else ((), ())
    keys = np.array(obj_keys, dtype=str)
    metres = np.array([r.metres for r in obj_radii])
    i1, i2 = ev["idx_1"].astype(np.int64), ev["idx_2"].astype(np.int64)
    sigma = (assumed_sigma_rtn_m(keys[i1], ev["dse_1_days"]),
             assumed_sigma_rtn_m(keys[i2], ev["dse_2_days"]))
    hbr = metres[i1] + metres[i2]
    risk = events_risk(ev["r1_km"], ev["v1_km_s"], ev["r2_km"], ev["v2_km_s"],
                       sigma[0], sigma[1], hbr)
    keep = np.arange(len(ev))
    stack: list[str | None] = [None] * len(ev)
    grouped = np.ones(len(ev), np.int64)
    if group_docked:
        keep, stack, grouped = _group_stacks(result, ev, risk.pc, metres)
    return RunRiskColumns(
        index[keep], risk.pc[keep], risk.pc_max[keep], risk.max_pc[keep],
        risk.dilution_km[keep], hbr[keep], risk.two_d_doubtful[keep], stack, grouped,
        int((~known).sum()))


def conjunction_row(event, name_1: str | None, name_2: str | None, owner_1: str | None,
                    owner_2: str | None, pc: float, pc_max: float, max_prob: float,
                    dilution_km: float, hbr_m: float, doubtful: bool,
                    models: tuple[str, str], hbr_sources: tuple[str, str],
                    stack: str | None, grouped_events: int) -> dict[str, Any]:
    """One report row: SOCRATES's columns, then Pc with its method, covariance and
    hard-body radius stated. ``event`` is a mapping with the stored event's fields."""
    pc = stored_float(pc)
    return {
        "NORAD_CAT_ID_1": int(event["norad_cat_id_1"]), "OBJECT_NAME_1": name_1,
        "DSE_1": round(float(event["dse_1_days"]), 3),
        "NORAD_CAT_ID_2": int(event["norad_cat_id_2"]), "OBJECT_NAME_2": name_2,
        "DSE_2": round(float(event["dse_2_days"]), 3),
        "TCA": iso_ms(int(event["tca_us"])),
        "TCA_RANGE": float(event["miss_m"]) / 1000.0,
        "TCA_RELATIVE_SPEED": float(event["rel_speed_m_s"]) / 1000.0,
        "MAX_PROB": stored_float(max_prob),
        "DILUTION": stored_float(dilution_km),
        "PC": pc,
        "PC_MAX": stored_float(pc_max),
        "PC_BAND": band(pc),
        "PC_METHOD": "FOSTER-1992",
        "PC_2D_DOUBTFUL": bool(doubtful),
        "COVARIANCE": f"assumed: {MODEL_NAME} ({models[0]}/{models[1]})",
        "HBR_M": float(hbr_m),
        "HBR_SOURCE": f"{hbr_sources[0]} + {hbr_sources[1]}",
        "OWNER_1": owner_1,
        "OWNER_2": owner_2,
        "STACK": stack,
        "GROUPED_EVENTS": grouped_events,
    }


def stored_float(x: float | None) -> float:
    """A stored number (NULL stands for NaN) as a float."""
    return float("nan") if x is None else float(x)


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


def _group_stacks(result: ScreeningResult, ev: np.ndarray, pc: np.ndarray,
                  metres: np.ndarray) -> tuple[np.ndarray, list[str | None], np.ndarray]:
    """One row per approach of a docked stack (the worst Pc of its members' events at
    the same TCA), with the stack named and the number of events it stands for; the
    events stay stored one per pair. Returns the rows of ``ev`` kept, their STACK and
    GROUPED_EVENTS."""
    stacks = _stacks(result, metres)
    n = len(ev)
    if not stacks:
        return np.arange(n), [None] * n, np.ones(n, np.int64)
    # per event: the approach it belongs to (None: no stack member in it)
    keys = [_stack_key(stacks, int(e["idx_1"]), int(e["idx_2"]), int(e["tca_us"]))
            if int(e["idx_1"]) in stacks or int(e["idx_2"]) in stacks else None for e in ev]
    best: dict[tuple, int] = {}
    counts: dict[tuple, int] = {}
    for k, key in enumerate(keys):
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
            if key not in best or pc[k] > pc[best[key]]:
                best[key] = k
    keep = [k for k, key in enumerate(keys) if key is None or best[key] == k]
    stack: list[str | None] = []
    grouped = np.ones(len(keep), np.int64)
    for row, k in enumerate(keep):
        if keys[k] is None:
            stack.append(None)
            continue
        i1, i2 = int(ev["idx_1"][k]), int(ev["idx_2"][k])
        stack.append("; ".join(stacks[i][1] for i in (i1, i2) if i in stacks))
        grouped[row] = counts[keys[k]]
    return np.array(keep, np.int64), stack, grouped
