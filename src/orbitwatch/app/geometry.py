"""Where objects are: one object's track, the whole catalog's positions for the globe,
an event's two tracks around TCA, and the element-set table of an object. SGP4 and the
frames are called here, not in the interfaces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sgp4.api import SatrecArray

from orbitwatch.app.freshness import staleness
from orbitwatch.catalog.snapshot import Snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.constants import MU_KM3_S2
from orbitwatch.core.orbit import apogee_altitude_km, perigee_altitude_km
from orbitwatch.core.time import TimeBase, datetime_to_us, iso_ms
from orbitwatch.core.twobody import kepler_states
from orbitwatch.errors import NotFoundError
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation.frames import itrf_to_geodetic, rtn_basis, teme_to_itrf
from orbitwatch.propagation.sgp4_batch import satrec_from_elements

#: The most points one track request returns.
MAX_TRACK_POINTS = 5000


def element_row(es: ElementSet) -> dict[str, Any]:
    """One element set as a row, units in the column names."""
    return {"EPOCH_UTC": iso_ms(es.epoch_us), "MEAN_MOTION_REV_DAY": es.mean_motion,
            "ECCENTRICITY": es.eccentricity, "INCLINATION_DEG": es.inclination,
            "RA_OF_ASC_NODE_DEG": es.ra_of_asc_node,
            "ARG_OF_PERICENTER_DEG": es.arg_of_pericenter,
            "MEAN_ANOMALY_DEG": es.mean_anomaly, "BSTAR_PER_EARTH_RADIUS": es.bstar,
            "PERIGEE_ALT_KM": round(float(perigee_altitude_km(es.mean_motion,
                                                              es.eccentricity)), 3),
            "APOGEE_ALT_KM": round(float(apogee_altitude_km(es.mean_motion,
                                                            es.eccentricity)), 3),
            "ELEMENT_SET_NO": es.element_set_no}


def object_track(store: CatalogStore, norad_cat_id: int, at: datetime, *,
                 minutes: float, step_s: float, before_minutes: float = 0.0) -> dict[str, Any]:
    """Positions from ``before_minutes`` before ``at`` to ``minutes`` after that start,
    every ``step_s``, from the latest element set at or before ``at``: ITRF (km) and
    WGS84 geodetic latitude, longitude (deg) and height (km)."""
    t0 = at - timedelta(minutes=before_minutes)
    at_us = datetime_to_us(at)
    sets = [es for es in store.history(norad_cat_id) if es.epoch_us <= at_us]
    if not sets:
        raise NotFoundError(f"no element set of object {norad_cat_id} at or before "
                            f"{iso_ms(at_us)}")
    es = sets[-1]
    n = min(int((minutes + before_minutes) * 60 // step_s) + 1, MAX_TRACK_POINTS)
    t = np.arange(n) * step_s
    base = TimeBase.at(t0)
    jd, fr = base.split_jd(t)
    err, pos, vel = satrec_from_elements(es).sgp4_array(jd, fr)
    r, _ = teme_to_itrf(pos, vel, jd, fr)
    lat, lon, h = itrf_to_geodetic(r)
    ok = err == 0
    return {"norad_cat_id": norad_cat_id, "object_name": es.object_name,
            "element_set_epoch_utc": iso_ms(es.epoch_us),
            "times_utc": [base.iso(x) for x in t[ok]],
            "itrf_km": np.round(r[ok], 3).tolist(),
            "lat_deg": np.round(lat[ok], 4).tolist(), "lon_deg": np.round(lon[ok], 4).tolist(),
            "alt_km": np.round(h[ok], 3).tolist(),
            "sgp4_failures": int((~ok).sum())}


@dataclass
class CatalogAtTime:
    """A snapshot with its satellites initialised once (for repeated position requests)."""

    snapshot: Snapshot
    array: SatrecArray | None  # None for an empty snapshot

    @classmethod
    def of(cls, snapshot: Snapshot) -> CatalogAtTime:
        return cls(snapshot, snapshot.arrays.satrec_array() if len(snapshot) else None)

    def positions(self, at: datetime, step_s: float) -> dict[str, Any]:
        """Every object's ITRF position (km, 0.1 km) at ``at`` and ``step_s`` later, for a
        globe to interpolate between; objects SGP4 cannot propagate are left out."""
        snap = self.snapshot
        out: dict[str, Any] = {"at_utc": iso_ms(datetime_to_us(at)), "step_s": step_s,
                               "snapshot_id": snap.snapshot_id,
                               "elements_age": staleness(snap, at)}
        if self.array is None:
            return {**out, "ids": [], "names": [], "types": [], "owners": [],
                    "p0_km": [], "p1_km": []}
        jd, fr = TimeBase.at(at).split_jd(np.array([0.0, step_s]))
        err, pos, vel = self.array.sgp4(jd, fr)
        r, _ = teme_to_itrf(pos, vel, jd, fr)
        ok = (err == 0).all(axis=1) & np.isfinite(r).all(axis=(1, 2))
        idx = np.flatnonzero(ok)
        return {**out,
                "ids": snap.norad_cat_id[idx].tolist(),
                "names": [snap.element_sets[i].object_name for i in idx],
                "types": [snap.object_type[i] for i in idx],
                "owners": [snap.owner[i] for i in idx],
                "p0_km": np.round(r[idx, 0], 1).ravel().tolist(),
                "p1_km": np.round(r[idx, 1], 1).ravel().tolist()}


def event_geometry(store: CatalogStore, state: dict[str, Any],
                   half_minutes: float) -> dict[str, Any]:
    """Both objects' ITRF tracks (km) from ``half_minutes`` before to after TCA, the miss
    vector and relative velocity in the first object's RTN frame (m, m/s), for one event
    of a conjunction report (``reports.conjunctions``: states at TCA, element-set ids).

    A track is SGP4 on the element set the run screened; an element set that was supplied
    to the run and not stored gives a two-body track from the state at TCA instead
    (``track_methods`` says which)."""
    base = TimeBase(state["tca_us"])
    t = np.linspace(-half_minutes * 60.0, half_minutes * 60.0, 91)
    jd, fr = base.split_jd(t)
    sets = store.element_sets_by_id([state["element_set_id_1"], state["element_set_id_2"]])
    tracks, methods = [], []
    for side in ("1", "2"):
        es = sets.get(state[f"element_set_id_{side}"])
        if es is not None:
            err, pos, vel = satrec_from_elements(es).sgp4_array(jd, fr)
            methods.append("SGP4")
        else:
            pos, vel = kepler_states(np.asarray(state[f"r{side}_km"]),
                                     np.asarray(state[f"v{side}_km_s"]), t, mu=MU_KM3_S2)
            err = np.zeros(len(t), np.uint8)
            methods.append("two-body from the state at TCA")
        r, _ = teme_to_itrf(pos, vel, jd, fr)
        tracks.append(np.round(r[err == 0], 3).tolist())
    basis = rtn_basis(np.asarray(state["r1_km"]), np.asarray(state["v1_km_s"]))
    miss = basis @ (np.asarray(state["r2_km"]) - state["r1_km"]) * 1000.0
    dv = basis @ (np.asarray(state["v2_km_s"]) - state["v1_km_s"]) * 1000.0
    return {"track_1_itrf_km": tracks[0], "track_2_itrf_km": tracks[1],
            "track_offsets_s": t.tolist(), "track_methods": methods,
            "miss_rtn_m": np.round(miss, 2).tolist(),
            "relative_velocity_rtn_m_s": np.round(dv, 2).tolist()}
