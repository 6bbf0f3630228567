"""What a screening run found, as structured arrays with units in the field names, and
its SOCRATES-compatible table form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from orbitwatch.core.time import iso_ms

EVENT_DTYPE = np.dtype([
    ("idx_1", "i4"), ("idx_2", "i4"),  # rows of ScreeningResult.objects
    ("norad_cat_id_1", "i8"), ("norad_cat_id_2", "i8"),
    ("tca_us", "i8"),  # microseconds since 1970-01-01 UTC
    ("miss_m", "f8"), ("rel_speed_m_s", "f8"),
    ("miss_r_m", "f8"), ("miss_t_m", "f8"), ("miss_n_m", "f8"),  # object 2 - object 1, RTN of 1
    ("dse_1_days", "f8"), ("dse_2_days", "f8"),  # TCA minus element-set epoch
    ("entry_s", "f8"), ("exit_s", "f8"),  # volume entry / exit, s from TCA
    # both objects' SGP4 states at TCA (TEME of date): what risk, CDMs and reports read
    ("r1_km", "f8", (3,)), ("v1_km_s", "f8", (3,)),
    ("r2_km", "f8", (3,)), ("v2_km_s", "f8", (3,)),
])

FORMATION_DTYPE = np.dtype([
    ("idx_1", "i4"), ("idx_2", "i4"),
    ("norad_cat_id_1", "i8"), ("norad_cat_id_2", "i8"),
    ("min_distance_m", "f8"),  # least distance seen over the window
    ("time_us", "i8"),  # when it was seen
    ("rel_speed_m_s", "f8"),  # at that time
])

SORT_KEYS = {"tca": "tca_us", "miss": "miss_m", "speed": "rel_speed_m_s"}


@dataclass(slots=True)
class ObjectTable:
    """The screened objects as they were screened (row = index used by the events): the
    facts risk and reports need, so that a stored run is read without recomputation."""

    norad_cat_id: np.ndarray
    object_name: list[str | None]
    object_type: list[str | None]  # SATCAT type at screening time
    owner: list[str | None]  # SATCAT owner code at screening time
    epoch_us: np.ndarray  # element-set epoch, UTC us since 1970
    element_set_id: np.ndarray  # -1 for user-supplied element sets
    primary: np.ndarray  # bool
    object_id: list[str | None] = field(default_factory=list)  # COSPAR designator
    rcs_m2: np.ndarray = field(default_factory=lambda: np.empty(0))  # NaN: unknown
    regime: np.ndarray = field(default_factory=lambda: np.empty(0, "U5"))  # core.orbit
    perigee_km: np.ndarray = field(default_factory=lambda: np.empty(0))  # from mean elements

    def __len__(self) -> int:
        return len(self.norad_cat_id)

    def take(self, rows: np.ndarray) -> ObjectTable:
        """The objects at ``rows`` (indices), in that order."""
        rows = np.asarray(rows, np.int64)

        def pick(values: list) -> list:
            return [values[k] for k in rows.tolist()] if values else []

        return ObjectTable(
            self.norad_cat_id[rows], pick(self.object_name), pick(self.object_type),
            pick(self.owner), self.epoch_us[rows], self.element_set_id[rows],
            self.primary[rows], pick(self.object_id), self.rcs_m2[rows], self.regime[rows],
            self.perigee_km[rows])


@dataclass(slots=True)
class PropagationFailure:
    norad_cat_id: int
    first_failure_utc: str
    code: int
    message: str


@dataclass(slots=True)
class ScreeningResult:
    """Events (EVENT_DTYPE), formation/docked pairs (FORMATION_DTYPE), objects whose
    propagation failed in the window, and the run's provenance."""

    events: np.ndarray
    formation: np.ndarray
    objects: ObjectTable
    failures: list[PropagationFailure]
    provenance: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    run_id: int | None = None

    def sorted_events(self, by: str = "tca") -> np.ndarray:
        key = SORT_KEYS[by]
        return self.events[np.argsort(self.events[key], kind="stable")]

    def event_rows(self, by: str = "tca", limit: int | None = None) -> list[dict[str, Any]]:
        """SOCRATES columns (TCA_RANGE km, TCA_RELATIVE_SPEED km/s, DSE days) and ours."""
        o = self.objects
        rows = []
        for e in self.sorted_events(by)[:limit]:
            i1, i2 = int(e["idx_1"]), int(e["idx_2"])
            rows.append(event_row(e, o.object_name[i1], o.object_name[i2],
                                  o.object_type[i1], o.owner[i1], o.object_type[i2],
                                  o.owner[i2]))
        return rows

    def formation_rows(self) -> list[dict[str, Any]]:
        o = self.objects
        return [{
            "NORAD_CAT_ID_1": int(f["norad_cat_id_1"]),
            "OBJECT_NAME_1": o.object_name[int(f["idx_1"])],
            "NORAD_CAT_ID_2": int(f["norad_cat_id_2"]),
            "OBJECT_NAME_2": o.object_name[int(f["idx_2"])],
            "MIN_DISTANCE_M": round(float(f["min_distance_m"]), 2),
            "AT": iso_ms(int(f["time_us"])),
            "REL_SPEED_M_S": round(float(f["rel_speed_m_s"]), 3),
        } for f in np.sort(self.formation, order="min_distance_m")]

    def summary(self) -> str:
        p = self.provenance
        return (f"{len(self.events)} conjunctions within {p['volume']} over "
                f"{p['window_start']} .. {p['window_end']} among {p['objects']} objects "
                f"({p['scope']}); {len(self.formation)} formation/docked pairs "
                f"(relative speed < {p['formation_speed_m_s']:g} m/s); "
                f"{len(self.failures)} objects failed to propagate in the window")


#: What the SOCRATES columns of an event row mean: their names are SOCRATES's, so they
#: carry no unit; ours carry theirs in the name.
SOCRATES_COLUMNS_NOTE = ("TCA_RANGE km, TCA_RELATIVE_SPEED km/s (SOCRATES's columns); DSE_1, "
                         "DSE_2 days from each object's element-set epoch to TCA.")


def event_row(e: np.void, name_1: str | None, name_2: str | None,
              type_1: str | None = None, owner_1: str | None = None,
              type_2: str | None = None, owner_2: str | None = None) -> dict[str, Any]:
    """One event (EVENT_DTYPE) as a row: SOCRATES columns (TCA_RANGE km,
    TCA_RELATIVE_SPEED km/s, DSE days), then ours with units in their names."""
    tca = int(e["tca_us"])
    return {
        "NORAD_CAT_ID_1": int(e["norad_cat_id_1"]),
        "OBJECT_NAME_1": name_1,
        "DSE_1": round(float(e["dse_1_days"]), 3),
        "NORAD_CAT_ID_2": int(e["norad_cat_id_2"]),
        "OBJECT_NAME_2": name_2,
        "DSE_2": round(float(e["dse_2_days"]), 3),
        "TCA": iso_ms(tca),
        "TCA_RANGE": round(float(e["miss_m"]) / 1000.0, 6),
        "TCA_RELATIVE_SPEED": round(float(e["rel_speed_m_s"]) / 1000.0, 6),
        "MISS_M": round(float(e["miss_m"]), 2),
        "REL_SPEED_M_S": round(float(e["rel_speed_m_s"]), 2),
        "MISS_R_M": round(float(e["miss_r_m"]), 2),
        "MISS_T_M": round(float(e["miss_t_m"]), 2),
        "MISS_N_M": round(float(e["miss_n_m"]), 2),
        "VOLUME_ENTRY": iso_ms(tca + round(float(e["entry_s"]) * 1e6)),
        "VOLUME_EXIT": iso_ms(tca + round(float(e["exit_s"]) * 1e6)),
        "OBJECT_TYPE_1": type_1,
        "OWNER_1": owner_1,
        "OBJECT_TYPE_2": type_2,
        "OWNER_2": owner_2,
    }
