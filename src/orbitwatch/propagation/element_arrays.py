"""Many SGP4 mean element sets as columns: the one form in which a batch of element sets
crosses between layers (snapshot -> screening, access, environment, behaviour).

Rows are element sets (one per object in a snapshot; many per object in a history).
Units are the OMM's for SGP4 (rev/day, degrees, TEME; B* in 1/Earth radii); epochs are
exact UTC microseconds since 1970 (:mod:`orbitwatch.core.time`), so a batch carries its
own time base and converts to SGP4's split Julian dates without loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
from sgp4.api import Satrec, SatrecArray

from orbitwatch.core.orbit import apogee_altitude_km, perigee_altitude_km, semi_major_axis_km
from orbitwatch.core.time import us_to_split_jd
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation.sgp4_batch import init_satrec


@dataclass(frozen=True, slots=True, eq=False)
class ElementArrays:
    """n element sets as (n,) arrays; see the module for units."""

    norad_cat_id: np.ndarray  # int64
    epoch_us: np.ndarray  # int64, UTC microseconds since 1970-01-01
    mean_motion_rev_day: np.ndarray  # Kozai mean motion
    eccentricity: np.ndarray
    inclination_deg: np.ndarray
    ra_of_asc_node_deg: np.ndarray
    arg_of_pericenter_deg: np.ndarray
    mean_anomaly_deg: np.ndarray
    bstar: np.ndarray  # 1 / Earth radii
    mean_motion_dot: np.ndarray  # rev/day^2, as printed (dn/dt / 2)
    mean_motion_ddot: np.ndarray  # rev/day^3, as printed (d2n/dt2 / 6)

    @classmethod
    def from_element_sets(cls, elements: Sequence[ElementSet]) -> ElementArrays:
        def col(name: str, dtype=np.float64) -> np.ndarray:
            return np.array([getattr(es, name) for es in elements], dtype=dtype)

        return cls(
            norad_cat_id=col("norad_cat_id", np.int64),
            epoch_us=np.array([es.epoch_us for es in elements], np.int64),
            mean_motion_rev_day=col("mean_motion"), eccentricity=col("eccentricity"),
            inclination_deg=col("inclination"), ra_of_asc_node_deg=col("ra_of_asc_node"),
            arg_of_pericenter_deg=col("arg_of_pericenter"), mean_anomaly_deg=col("mean_anomaly"),
            bstar=col("bstar"), mean_motion_dot=col("mean_motion_dot"),
            mean_motion_ddot=col("mean_motion_ddot"),
        )

    def __len__(self) -> int:
        return len(self.norad_cat_id)

    def take(self, rows: np.ndarray | slice) -> ElementArrays:
        """The element sets at ``rows`` (indices, a mask or a slice)."""
        return ElementArrays(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    def concat(self, other: ElementArrays) -> ElementArrays:
        return ElementArrays(**{f.name: np.concatenate((getattr(self, f.name),
                                                        getattr(other, f.name)))
                                for f in fields(self)})

    # --- SGP4 ------------------------------------------------------------------------
    def satrec(self, k: int) -> Satrec:
        """An initialised Satrec of row ``k`` (as :func:`sgp4_batch.init_satrec`)."""
        return init_satrec(
            int(self.norad_cat_id[k]), us_to_split_jd(int(self.epoch_us[k])),
            float(self.bstar[k]), float(self.mean_motion_dot[k]), float(self.mean_motion_ddot[k]),
            float(self.eccentricity[k]), float(self.arg_of_pericenter_deg[k]),
            float(self.inclination_deg[k]), float(self.mean_anomaly_deg[k]),
            float(self.mean_motion_rev_day[k]), float(self.ra_of_asc_node_deg[k]))

    def satrecs(self) -> list[Satrec]:
        """One Satrec per row, in order."""
        return [self.satrec(k) for k in range(len(self))]

    def satrec_array(self) -> SatrecArray:
        """python-sgp4's vectorised form of :meth:`satrecs`."""
        return SatrecArray(self.satrecs())

    # --- geometry --------------------------------------------------------------------
    @property
    def semi_major_axis_km(self) -> np.ndarray:
        return semi_major_axis_km(self.mean_motion_rev_day)

    @property
    def perigee_altitude_km(self) -> np.ndarray:
        return perigee_altitude_km(self.mean_motion_rev_day, self.eccentricity)

    @property
    def apogee_altitude_km(self) -> np.ndarray:
        return apogee_altitude_km(self.mean_motion_rev_day, self.eccentricity)

    def max_radius_km(self) -> np.ndarray:
        """Generous upper bound on each object's geocentric distance (km): 10 % above the
        mean-element apogee, plus 100 km, which lunar-solar terms over weeks stay inside."""
        return self.semi_major_axis_km * (1.0 + self.eccentricity) * 1.1 + 100.0

    def age_days(self, at_us: int) -> np.ndarray:
        """Days from each epoch to ``at_us`` (positive when the epoch is earlier)."""
        return (at_us - self.epoch_us) / 86_400e6
