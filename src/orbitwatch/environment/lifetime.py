"""Re-entry prediction: when each object of a snapshot comes down, from the decay of its
mean orbit under drag (environment.kernels) through NRLMSISE-00 driven by the space
weather (environment.atmosphere), with a ballistic coefficient B = C_D A / m estimated
per object from its element sets.

B, in order of preference (BC_SOURCE):

* HISTORY: the decay of the semi-major axis between the object's first and last element
  set in the ``history_days`` before its latest (at least 2 days apart), against the
  model's decay over the same days for a known B: B scales the model onto the data. Not
  for an orbit kept by manoeuvres: one seen in its history (``manoeuvred``), a decay
  over those days under KEPT_DECAY_SHARE of what NDOT gives, or a rise where NDOT's drag
  would have lowered it by over RISE_NOISE_KM (burns too small to see).
* NDOT: the same at the latest element set, from its mean-motion derivative (the TLE's
  first derivative: da/dt = -(2/3) a (dn/dt) / n).
* BSTAR: from SGP4's drag term, B = 2 B* / rho0 with rho0 = 0.15696615 kg m^-2 ER^-1
  (Vallado and Crawford, "SGP4 orbit determination", AIAA 2008-6770): SGP4's own
  atmosphere, so a rougher scale.
* ASSUMED: 0.01 m^2/kg, when none of these gives a value in B_RANGE, 1e-4 to 100 m^2/kg
  (an orbit with too little drag to measure).

DECAY_EARLY_UTC / DECAY_LATE_UTC: an interval for the re-entry from two independent
sources, combined in quadrature on the logarithm of the remaining lifetime:

* the space weather to come: the density after the space-weather file's last observed
  day scaled by SOLAR_BAND and by its inverse (a predicted F10.7 off by about a quarter
  at 300-600 km);
* the model and the ballistic coefficient, as measured by the hindcast of the 2022
  catalog against the SATCAT's decay dates, whose weather is all observed
  (MEASURED_SPREAD: the 10th and 90th percentiles of predicted / true remaining lifetime,
  so about 80 % of re-entries fall within).

Where the model does not hold, the interval starts at the catalog time and REMARK says
why: the drag is not measured (BC_SOURCE BSTAR or ASSUMED; the few such objects of the
hindcast that came down did so 50 to 1,300 times sooner than predicted), or the orbit
reaches above LEO (apogee over LEO_APOGEE_KM), where the Sun's and the Moon's pull moves
the perigee up and down over months, which this model of drag alone leaves out.

Only physics and element sets: nothing here reads a decay date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from orbitwatch.catalog.snapshot import Snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.constants import EARTH_RADIUS_KM
from orbitwatch.core.orbit import semi_major_axis_km
from orbitwatch.core.time import datetime_to_us, iso_ms
from orbitwatch.environment.atmosphere import ALTITUDES_KM, DensityTable, density_table
from orbitwatch.environment.kernels import decay, mean_radius_km, orbit_rates
from orbitwatch.environment.space_weather import SpaceWeather
from orbitwatch.errors import InputError

B_REFERENCE = 0.01  # m^2/kg: the B the model is run with before it is scaled to the data
# m^2/kg. Above: high area-to-mass debris (MLI blankets, the Westford needles) has A/m
# from about 1 to tens of m^2/kg (Schildknecht et al. 2004; Anselmo and Pardini 2005
# model 1-50), so C_D A/m up to about 100. A cap of 1 fell back to BSTAR for 1,137
# objects of the 2022 catalog, predicted decades late (docs/environment.md).
B_RANGE = (1e-4, 100.0)
BSTAR_TO_B = 2.0 / 0.15696615  # m^2/kg per 1/ER
SOLAR_BAND = 1.5
#: Predicted / true remaining lifetime, 10th and 90th percentiles, where the model holds
#: (B measured, orbit within LEO): `python benchmarks/bench_lifetime.py`, the 4,019
#: objects with BC_SOURCE NDOT and apogee under 2,000 km that came down between the
#: 2022-01-25 catalog and 2025-03-06 (the halves by odd and even catalog number give
#: 0.780-1.206 and 0.772-1.280; the benchmark prints them). HISTORY has no hindcast of
#: its own (one catalog holds no history) and is given NDOT's.
MEASURED_SPREAD = (0.775, 1.238)
#: BC_SOURCE values whose B is measured from the object's own decay.
MEASURED_B = ("HISTORY", "NDOT")
#: An object whose semi-major axis fell over its HISTORY days by less than this share of
#: what its newest element set's drag (NDOT) gives has an orbit kept by manoeuvres. In the
#: 15-day active-catalog history of 2025-09 (`python benchmarks/bench_lifetime.py` has no
#: history; measured with the archive loaded): the Starlink median is 0.10, the others'
#: 0.92, and of the others 5 % fall under 1/3, mostly station-keepers (OneWeb, Iridium,
#: Kuiper, Yaogan, Sentinel).
KEPT_DECAY_SHARE = 1.0 / 3.0
#: km: a semi-major axis that rose over those days counts as kept when drag (B from NDOT)
#: would have lowered it by more than this: above the tens of metres of noise in the
#: mean semi-major axis of LEO element sets. In that history this finds 2,716 objects
#: more (2,529 of them Starlink) than the decay share alone (2,508).
RISE_NOISE_KM = 0.05
#: km: ESA's LEO class (apogee and perigee under 2,000 km). Above it, lunisolar
#: perturbations of the perigee dominate an eccentric orbit's lifetime; in the hindcast
#: objects with apogees over 20,000 km came down a median 65 times sooner than predicted.
LEO_APOGEE_KM = 2000.0
HORIZON_YEARS = 200.0


@dataclass(slots=True)
class Lifetimes:
    """Predictions for the objects of a snapshot (arrays in the snapshot's order)."""

    snapshot: Snapshot
    table: DensityTable
    b_m2_kg: np.ndarray
    b_source: np.ndarray  # str
    decay_us: np.ndarray  # int64 UTC us; -1: beyond the horizon
    early_us: np.ndarray
    late_us: np.ndarray
    perigee_km: np.ndarray
    apogee_km: np.ndarray
    horizon_years: float
    assumption: str
    #: catalog number -> the last manoeuvre seen in the history (its time, UTC)
    manoeuvred: Mapping[int, str] = field(default_factory=dict)
    #: per object: its orbit is kept by manoeuvres (seen, or its history decays too little)
    kept: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    @staticmethod
    def _day(us: int) -> str | None:
        return None if us < 0 else iso_ms(int(us))[:10]

    def rows(self, which: np.ndarray | None = None) -> list[dict]:
        """One row per object (of the snapshot rows ``which``, default all), soonest
        re-entry first, those beyond the horizon last."""
        snap = self.snapshot
        at_us = datetime_to_us(snap.at)
        which = np.arange(len(snap)) if which is None else np.asarray(which, np.int64)
        soon = np.where(self.decay_us < 0, np.iinfo(np.int64).max, self.decay_us)[which]
        order = which[np.lexsort((snap.norad_cat_id[which], soon))]
        rows = []
        for k in order.tolist():
            es = snap.element_sets[k]
            up = self.decay_us[k] < 0

            rows.append({
                "NORAD_CAT_ID": int(es.norad_cat_id), "OBJECT_NAME": es.object_name,
                "OBJECT_TYPE": snap.object_type[k],
                "PERIGEE_KM": round(float(self.perigee_km[k]), 1),
                "APOGEE_KM": round(float(self.apogee_km[k]), 1),
                "DECAY_UTC": self._day(int(self.decay_us[k])),
                "DECAY_EARLY_UTC": self._day(int(self.early_us[k])),
                "DECAY_LATE_UTC": self._day(int(self.late_us[k])),
                "LIFETIME_YEARS": None if up else round(
                    (int(self.decay_us[k]) - at_us) / 86_400e6 / 365.25, 3),
                "BC_M2_KG": float(f"{self.b_m2_kg[k]:.4g}"),
                "BC_SOURCE": str(self.b_source[k]),
                "REMARK": self._remark(k, at_us),
            })
        return rows

    def _remark(self, k: int, at_us: int) -> str | None:
        """Why the row's prediction may not hold, or None."""
        said = []
        last_burn = self.manoeuvred.get(int(self.snapshot.norad_cat_id[k]))
        if last_burn:
            said.append(f"manoeuvred (the last seen {last_burn[:10]}): the prediction "
                        "assumes no more")
        elif len(self.kept) and self.kept[k]:
            said.append("orbit kept by manoeuvres (its history decays less than its drag "
                        "says): the prediction assumes they stop")
        if self.decay_us[k] < 0:
            said.append(f"in orbit beyond the {self.horizon_years:.0f}-year horizon")
        elif self.decay_us[k] < at_us:
            said.append("predicted down before the catalog time (its newest element set "
                        "is old)")
        elif self.apogee_km[k] > LEO_APOGEE_KM:
            said.append("apogee above LEO: the Sun's and Moon's pull on its perigee is not "
                        "modelled, so it may come down far sooner")
        elif self.b_source[k] not in MEASURED_B:
            said.append("drag not measured (B from BSTAR or assumed): it may come down far "
                        "sooner")
        return "; ".join(said) or None


def _days(table: DensityTable, us: np.ndarray) -> np.ndarray:
    return (np.asarray(us, np.int64) - table.origin_us) / 86_400e6


def _run(table: DensityTable, a, e, cos_i, radius, b, t0, t_end, factor=1.0):
    return decay(np.ascontiguousarray(a, float), np.ascontiguousarray(e, float),
                 np.ascontiguousarray(cos_i, float), np.ascontiguousarray(radius, float),
                 np.ascontiguousarray(b, float), np.ascontiguousarray(t0, float),
                 np.ascontiguousarray(t_end, float), table.days, table.log_density,
                 table.cycle_mean_log_density, ALTITUDES_KM, float(factor),
                 table.last_observed_day)


def _history_b(store: CatalogStore, snap: Snapshot, table: DensityTable, history_days: float,
               cos_i: np.ndarray, radius: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """B from each object's semi-major-axis decay over its element sets of the last
    ``history_days`` (NaN where there are fewer than two, 2 days apart, or no decay), and
    where the semi-major axis rose over those days instead, the decay the model gives it
    there for B_REFERENCE (km, negative; NaN elsewhere)."""
    arr = snap.arrays
    b = np.full(len(snap), np.nan)
    rose_against = np.full(len(snap), np.nan)
    if not len(snap):
        return b, rose_against
    at_us = datetime_to_us(snap.at)
    row_of = {int(n): k for k, n in enumerate(arr.norad_cat_id.tolist())}
    first: dict[int, tuple[int, float, float]] = {}
    for norad, epoch_us, n, ecc in store.element_set_rows(
            ("norad_cat_id", "epoch_us", "mean_motion", "eccentricity"),
            start_us=at_us - int(history_days * 86_400e6), end_us=at_us):
        if norad in row_of and norad not in first:
            first[norad] = (epoch_us, n, ecc)
    rows = [k for norad, k in row_of.items() if norad in first
            and arr.epoch_us[k] - first[norad][0] >= 2 * 86_400e6]
    if not rows:
        return b, rose_against
    rows_a = np.array(rows)
    start = np.array([first[int(arr.norad_cat_id[k])] for k in rows])
    a1 = semi_major_axis_km(start[:, 1])
    e1 = start[:, 2]
    t1, t2 = _days(table, start[:, 0].astype(np.int64)), _days(table, arr.epoch_us[rows_a])
    _, a_model, _ = _run(table, a1, e1, cos_i[rows_a], radius[rows_a],
                         np.full(len(rows), B_REFERENCE), t1, t2)
    observed = arr.semi_major_axis_km[rows_a] - a1
    modelled = a_model - a1
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = B_REFERENCE * observed / modelled
    good = (observed < 0) & (modelled < 0)
    b[rows_a[good]] = scaled[good]
    rose = (observed >= 0) & (modelled < 0)
    rose_against[rows_a[rose]] = modelled[rose]
    return b, rose_against


def predict_lifetimes(snap: Snapshot, weather: SpaceWeather, *,
                      store: CatalogStore | None = None, history_days: float = 30.0,
                      horizon_years: float = HORIZON_YEARS, workers: int = 2,
                      use_cache: bool = True,
                      manoeuvred: Mapping[int, str] | None = None) -> Lifetimes:
    """Re-entry dates of every object of ``snap`` (see the module). ``manoeuvred``:
    catalog number -> time of the last manoeuvre found in its history (behaviour); a
    manoeuvre spoils the decay between element sets, so those take B from their newest
    set, and their rows say that the prediction assumes no more manoeuvres."""
    manoeuvred = dict(manoeuvred or {})
    if not len(snap):
        raise InputError(f"no object in the catalog at {snap.at.isoformat()}: nothing "
                         "to predict")
    start = snap.at.date() - timedelta(days=history_days + 1)
    oldest = date.fromisoformat(iso_ms(int(snap.arrays.epoch_us.min()))[:10])
    if weather.last < snap.at.date() or weather.first > min(start, oldest):
        raise InputError(f"the space-weather file {weather.source} covers {weather.first} "
                         f"to {weather.last}; the catalog at {snap.at.date()} needs it from "
                         f"{min(start, oldest)} on")
    table = density_table(weather, min(start, oldest), workers=workers, use_cache=use_cache)
    arr = snap.arrays
    a = arr.semi_major_axis_km
    e = arr.eccentricity
    cos_i = np.cos(np.radians(arr.inclination_deg))
    radius = mean_radius_km(arr.inclination_deg)
    t0 = _days(table, arr.epoch_us)
    lo, hi = B_RANGE
    source = np.full(len(snap), "ASSUMED", "U7")
    b = np.full(len(snap), B_REFERENCE)

    def take(candidate: np.ndarray, name: str) -> None:
        ok = (source == "ASSUMED") & np.isfinite(candidate) & (candidate >= lo) & (candidate <= hi)
        b[ok], source[ok] = candidate[ok], name

    da_model, _ = orbit_rates(a, e, cos_i, radius, np.full(len(snap), B_REFERENCE), t0,
                              table.days, table.log_density, table.cycle_mean_log_density,
                              ALTITUDES_KM)
    n = arr.mean_motion_rev_day
    da_observed = -(2.0 / 3.0) * a * (2.0 * arr.mean_motion_dot) / n  # km/day
    with np.errstate(divide="ignore", invalid="ignore"):
        from_ndot = np.where((da_observed < 0) & (da_model < 0),
                             B_REFERENCE * da_observed / da_model, np.nan)
    kept = np.isin(arr.norad_cat_id, list(manoeuvred))
    if store is not None:
        from_history, rose_against = _history_b(store, snap, table, history_days, cos_i,
                                                radius)
        # an orbit kept by manoeuvres (seen or too small to see) decays less over the
        # weeks than its drag makes it at any moment, or rises where drag would have
        # lowered it by more than element-set noise: B is then its newest set's
        measurable = (from_ndot >= lo) & (from_ndot <= hi)
        kept |= measurable & (from_history < from_ndot * KEPT_DECAY_SHARE)
        kept |= measurable & (rose_against * from_ndot / B_REFERENCE < -RISE_NOISE_KM)
    kept, manoeuvred = _docked_share(arr.norad_cat_id, arr.epoch_us, arr.mean_motion_rev_day,
                                     kept, manoeuvred)
    if store is not None:
        from_history[kept] = np.nan
        take(from_history, "HISTORY")
    take(from_ndot, "NDOT")
    take(arr.bstar * BSTAR_TO_B, "BSTAR")
    t_end = _days(table, np.full(len(snap), datetime_to_us(snap.at))) + horizon_years * 365.25
    nominal, dense, light = (_run(table, a, e, cos_i, radius, b, t0, t_end, f)[0]
                             for f in (1.0, SOLAR_BAND, 1.0 / SOLAR_BAND))
    t_at = float(_days(table, np.array([datetime_to_us(snap.at)]))[0])
    early, late = _interval(nominal - t_at, dense - t_at, light - t_at,
                            np.isin(source, MEASURED_B)
                            & (a * (1 + e) - EARTH_RADIUS_KM <= LEO_APOGEE_KM))
    late[late > horizon_years * 365.25] = np.inf  # beyond the horizon: no bound
    early, late = early + t_at, late + t_at

    def to_us(t: np.ndarray) -> np.ndarray:
        return np.where(np.isfinite(t),
                        table.origin_us + np.nan_to_num(t, posinf=0) * 86_400e6,
                        -1).astype(np.int64)

    assumption = (f"NRLMSISE-00 (satkit) with {weather.source}: observed to "
                  f"{weather.last_observed}, its predictions to {weather.last}, then the mean "
                  f"of its last 11 years. Early/late: about 80 % of re-entries, from the "
                  f"density x{SOLAR_BAND} / /{SOLAR_BAND} after {weather.last_observed} "
                  f"and, in quadrature, the model's measured spread (predicted / true "
                  f"lifetime {MEASURED_SPREAD[0]}-{MEASURED_SPREAD[1]} in the 2022 "
                  f"hindcast); from the catalog time where B is not measured "
                  f"(BSTAR, ASSUMED) or the apogee is above LEO (lunisolar perturbations "
                  f"not modelled)")
    return Lifetimes(snap, table, b, source, *(to_us(t) for t in (nominal, early, late)),
                     a * (1 - e) - EARTH_RADIUS_KM, a * (1 + e) - EARTH_RADIUS_KM,
                     horizon_years, assumption, manoeuvred, kept)


def _docked_share(norad: np.ndarray, epoch_us: np.ndarray, mean_motion: np.ndarray,
                  kept: np.ndarray, manoeuvred: dict[int, str]
                  ) -> tuple[np.ndarray, dict[int, str]]:
    """Objects whose newest element set is another's (docked: a station's modules and
    visiting vehicles carry its sets) share its manoeuvres: kept and last manoeuvre are
    spread over each group of identical epoch and mean motion."""
    _, group = np.unique(np.stack([epoch_us.astype(np.float64), mean_motion], axis=1),
                         axis=0, return_inverse=True)
    group = group.ravel()
    group_kept = np.zeros(group.max() + 1 if len(group) else 0, bool)
    np.logical_or.at(group_kept, group, kept)
    last: dict[int, str] = {}
    for k, n in enumerate(norad.tolist()):
        if n in manoeuvred:
            last[int(group[k])] = max(last.get(int(group[k]), ""), manoeuvred[n])
    shared = dict(manoeuvred)
    for k, n in enumerate(norad.tolist()):
        if int(group[k]) in last:
            shared[int(n)] = last[int(group[k])]
    return group_kept[group], shared


def _interval(life: np.ndarray, life_dense: np.ndarray, life_light: np.ndarray,
              holds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest remaining lifetime (days from the catalog time; inf: beyond
    the horizon) from the nominal one and those under a denser and a lighter atmosphere
    to come: the weather's and the model's spreads added in quadrature on log lifetime,
    from the catalog time on where the model does not hold (``holds`` False). An object
    predicted down before the catalog time keeps the weather's runs alone."""
    early, late = life_dense.copy(), life_light.copy()
    ok = np.isfinite(life) & (life > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        weather_early = np.log(life / life_dense)  # >= 0: a denser atmosphere, sooner
        weather_late = np.log(life_light / life)  # inf when the lighter one never ends
    model_early, model_late = np.log(MEASURED_SPREAD[1]), -np.log(MEASURED_SPREAD[0])
    early[ok] = life[ok] * np.exp(-np.hypot(weather_early[ok], model_early))
    late[ok] = life[ok] * np.exp(np.hypot(weather_late[ok], model_late))
    # the model does not hold: any time from now (but not for one beyond the horizon)
    early[~holds & (life > 0) & np.isfinite(life)] = 0.0
    return early, late
