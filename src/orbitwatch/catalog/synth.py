"""A synthetic catalog with the shape of the real one, for the demo and for scaling.

Class fractions were measured by ``tools/measure_catalog_mix.py`` on the active
payloads of CelesTrak's 'active' group (2026-07-12) plus the other objects of
Space-Track's full catalog (2022-01-25); see docs/synthetic_catalog.md. Within a
class, shells, inclinations and clouds follow the public parameters of the large
constellations, the sun-synchronous band, the 2007-2021 debris-generating events,
the navigation constellations and the GEO belt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from orbitwatch.core.constants import EARTH_RADIUS_KM, J2, MU_KM3_S2
from orbitwatch.core.orbit import mean_motion_rev_day
from orbitwatch.formats.elements import ElementSet
from orbitwatch.formats.satcat import SatcatRecord

#: Measured class fractions (tools/measure_catalog_mix.py, 36,391 objects).
CLASS_FRACTIONS: dict[str, float] = {
    "leo_constellation": 0.3611,
    "leo_debris": 0.3146,
    "leo_sun_synchronous": 0.0895,
    "leo_other": 0.0740,
    "heo": 0.0586,
    "geo": 0.0454,
    "leo_rocket_body": 0.0245,
    "meo_other": 0.0217,
    "meo_navigation": 0.0106,
}
# (altitude km, inclination deg, relative weight, planes): Starlink, OneWeb, Kuiper shells.
_SHELLS = [(550, 53.0, 0.30, 72), (540, 53.2, 0.25, 72), (570, 70.0, 0.05, 36),
           (560, 97.6, 0.05, 10), (530, 43.0, 0.17, 28), (480, 53.0, 0.05, 32),
           (1200, 87.9, 0.06, 12), (630, 51.9, 0.05, 34), (610, 42.0, 0.02, 36)]
# (mean altitude km, spread km, inclination deg, spread deg, weight): debris clouds.
_CLOUDS = [(850, 150, 98.8, 0.4, 0.30), (790, 110, 74.0, 0.4, 0.18), (780, 80, 86.4, 0.3, 0.05),
           (470, 50, 82.6, 0.3, 0.07), (900, 350, 75.0, 25.0, 0.40)]
# (altitude km, inclination deg, planes, weight): GPS, GLONASS, Galileo, BeiDou MEO.
_NAV = [(20180, 55.0, 6, 0.35), (19130, 64.8, 3, 0.25), (23222, 56.0, 3, 0.2),
        (21528, 55.0, 3, 0.2)]
_OWNERS = (["US"] * 60 + ["PRC"] * 12 + ["CIS"] * 12 + ["UK"] * 5 + ["JPN"] * 2 + ["FR"] * 2
           + ["IND"] * 2 + ["ESA"] * 2 + ["GER", "ITSO", "CA"])


@dataclass(frozen=True, slots=True)
class SyntheticObject:
    elements: ElementSet
    satcat: SatcatRecord
    kind: str


def sun_synchronous_inclination_deg(altitude_km: float, ecc: float = 0.0) -> float:
    """Inclination whose J2 nodal drift matches the Sun's mean motion (0.9856 deg/day)."""
    a = EARTH_RADIUS_KM + altitude_km
    n = math.sqrt(MU_KM3_S2 / a**3)
    p = a * (1 - ecc**2)
    target = 2.0 * math.pi / (365.2422 * 86400.0)
    cos_i = -target / (1.5 * n * J2 * (EARTH_RADIUS_KM / p) ** 2)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos_i))))


def _catalog_numbers(n: int) -> list[int]:
    """1, 2, ... skipping the analyst range 80000-89999 (Alpha-5 above 99999)."""
    out, k = [], 1
    while len(out) < n:
        if not 80_000 <= k <= 89_999:
            out.append(k)
        k += 1
    return out


def synthesize(n_objects: int, *, seed: int = 1,
               epoch: datetime | None = None) -> list[SyntheticObject]:
    """``n_objects`` objects in the measured class mix; epochs up to 2 days before
    ``epoch`` (default 2026-01-01T00:00Z). Deterministic for a given seed."""
    if n_objects < 0:
        raise ValueError(f"number of objects must be >= 0, got {n_objects}")
    rng = np.random.default_rng(seed)
    epoch = epoch or datetime(2026, 1, 1, tzinfo=UTC)
    kinds = list(CLASS_FRACTIONS)
    probs = np.array([CLASS_FRACTIONS[k] for k in kinds])
    drawn = rng.choice(len(kinds), size=n_objects, p=probs / probs.sum())
    numbers = _catalog_numbers(n_objects)
    out: list[SyntheticObject] = []
    for i, (norad, kind_index) in enumerate(zip(numbers, drawn, strict=True)):
        kind = kinds[kind_index]
        a, ecc, inc, raan, obj_type, bstar = _orbit(kind, rng)
        age_us = int(rng.uniform(0, 2 * 86_400e6))
        # Synthetic epochs on the 864-us grid so that they have an exact TLE form.
        t = epoch - timedelta(microseconds=age_us - age_us % 864)
        es = ElementSet(
            norad_cat_id=norad, epoch=t, mean_motion=round(float(mean_motion_rev_day(a)), 8),
            eccentricity=round(ecc, 7), inclination=round(inc, 4),
            ra_of_asc_node=round(raan % 360.0, 4),
            arg_of_pericenter=round(float(rng.uniform(0, 360)), 4),
            mean_anomaly=round(float(rng.uniform(0, 360)), 4),
            bstar=float(f"{bstar:.4e}"), object_name=f"SYNTH {kind.upper()} {i + 1}",
            object_id=f"{t.year}-{1 + i % 999:03d}{chr(65 + i % 26)}",
            element_set_no=999,
        )
        owner = _OWNERS[int(rng.integers(len(_OWNERS)))]
        sat = SatcatRecord(
            norad_cat_id=norad, object_name=es.object_name, object_id=es.object_id,
            object_type=obj_type, owner=owner, launch_date=None, decay_date=None,
            rcs_m2=float(round(rng.lognormal(0.0, 1.5), 3)),
            period_min=es.period_min, inclination_deg=es.inclination,
            apogee_km=a * (1 + ecc) - EARTH_RADIUS_KM, perigee_km=a * (1 - ecc) - EARTH_RADIUS_KM,
        )
        out.append(SyntheticObject(es, sat, kind))
    return out


def _orbit(kind: str, rng: np.random.Generator) -> tuple[float, float, float, float, str, float]:
    """(semi-major axis km, eccentricity, inclination deg, RAAN deg, SATCAT type, B*)."""
    R = EARTH_RADIUS_KM
    if kind == "leo_constellation":
        alt, inc, _, planes = _SHELLS[_pick(rng, [s[2] for s in _SHELLS])]
        raan = 360.0 * int(rng.integers(planes)) / planes + rng.normal(0, 0.05)
        return R + alt + rng.normal(0, 0.3), float(rng.uniform(1e-4, 3e-4)), inc, raan, \
            "PAYLOAD", float(rng.uniform(1e-5, 5e-4))
    if kind in ("leo_debris", "leo_rocket_body"):
        alt, d_alt, inc, d_inc, _ = _CLOUDS[_pick(rng, [c[4] for c in _CLOUDS])]
        perigee = max(250.0, alt + rng.normal(0, d_alt / 2))
        apogee = perigee + abs(rng.normal(0, 60.0))
        a = R + (perigee + apogee) / 2
        inc = float(np.clip(rng.normal(inc, d_inc), 0.0, 180.0))
        otype = "DEBRIS" if kind == "leo_debris" else "ROCKET BODY"
        return a, (apogee - perigee) / (2 * a), inc, rng.uniform(0, 360), otype, \
            float(rng.lognormal(math.log(2e-4), 1.0))
    if kind == "leo_sun_synchronous":
        alt = rng.uniform(450, 800)
        return R + alt, float(rng.uniform(1e-4, 2e-3)), sun_synchronous_inclination_deg(alt), \
            rng.uniform(0, 360), "PAYLOAD", float(rng.uniform(1e-5, 3e-4))
    if kind == "leo_other":
        inc = float(rng.choice([28.5, 51.6, 65.0, 82.0, 45.0, 97.0]) + rng.normal(0, 1.0))
        return R + rng.uniform(300, 1400), float(rng.uniform(1e-4, 1e-2)), \
            float(np.clip(inc, 0, 180)), rng.uniform(0, 360), "PAYLOAD", \
            float(rng.uniform(1e-5, 5e-4))
    if kind == "heo":
        if rng.random() < 0.75:  # geostationary transfer orbits
            perigee, apogee, inc = rng.uniform(200, 600), rng.uniform(35000, 36500), \
                rng.uniform(0, 28)
            otype = "ROCKET BODY"
        else:  # Molniya
            perigee, apogee, inc, otype = rng.uniform(500, 1500), 39800.0, 63.4, "PAYLOAD"
        a = R + (perigee + apogee) / 2
        return a, (apogee - perigee) / (2 * a), float(inc), rng.uniform(0, 360), otype, \
            float(rng.uniform(1e-5, 1e-4))
    if kind == "geo":
        return 42164.0 + rng.normal(0, 15.0), float(rng.uniform(0, 5e-4)), \
            float(abs(rng.normal(0, 4.0))), rng.uniform(0, 360), "PAYLOAD", 0.0
    if kind == "meo_navigation":
        alt, inc, planes, _ = _NAV[_pick(rng, [n[3] for n in _NAV])]
        raan = 360.0 * int(rng.integers(planes)) / planes
        return R + alt, float(rng.uniform(1e-4, 1e-2)), inc + rng.normal(0, 0.5), raan, \
            "PAYLOAD", 0.0
    # meo_other
    return R + rng.uniform(2000, 20000), float(rng.uniform(0, 0.05)), rng.uniform(0, 100), \
        rng.uniform(0, 360), "PAYLOAD", 0.0


def _pick(rng: np.random.Generator, weights: list[float]) -> int:
    w = np.asarray(weights, dtype=float)
    return int(rng.choice(len(w), p=w / w.sum()))
