"""Thermosphere density for orbit decay: NRLMSISE-00 (satkit's implementation, MIT or
Apache-2.0) driven by a CelesTrak space-weather file, tabulated as the global mean
density by altitude on a grid of days.

The orbit of a decaying object sweeps every latitude its inclination reaches and every
local time within days (its node precesses), so its decay follows the density averaged
over latitude and local time at each altitude. The table holds that average (8 samples:
latitudes 0 and 45 deg, local times 0, 6, 12 and 18 h) at 40 altitudes from 100 to
1500 km, on days: daily for the first 120 days of the span, every 3 days to 2 years,
every 15 days after. Between days it is interpolated linearly, between altitudes in
log density. Beyond the space-weather file's last day (its monthly predictions reach
about 15 years ahead) the table's last 11 years, one solar cycle, are averaged into one
profile: a stated assumption, not a prediction.

satkit computes the 81-day centred F10.7 average from the daily values it is given; the
file's daily values are handed to it as a table in GFZ's Kp/ap/F10.7 format.

Tables are cached (``$ORBITWATCH_HOME/cache`` or the user cache directory), keyed by
the file's SHA-256 and the span.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from orbitwatch.core.processes import worker_pool
from orbitwatch.core.time import datetime_to_us
from orbitwatch.environment.space_weather import SpaceWeather

#: Altitude levels of the table (km).
ALTITUDES_KM = np.concatenate([np.arange(100.0, 201.0, 10.0), np.arange(225.0, 601.0, 25.0),
                               np.arange(650.0, 1001.0, 50.0), np.arange(1100.0, 1501.0, 100.0)])
_LATITUDES = (0.0, 45.0)
_LONGITUDES_AT_NOON_UT = (0.0, 90.0, 180.0, 270.0)  # local times 12, 18, 0, 6 h
CYCLE_DAYS = 4018  # 11 years
TABLE_VERSION = 1


@dataclass(slots=True)
class DensityTable:
    """Global mean density (kg/m^3) on ``days`` (days since ``origin``) x ALTITUDES_KM,
    and the one-cycle mean profile used after the last day."""

    origin: date
    days: np.ndarray  # (m,) float, increasing
    log_density: np.ndarray  # (m, len(ALTITUDES_KM)) natural log of kg/m^3
    cycle_mean_log_density: np.ndarray  # (len(ALTITUDES_KM),)
    last_observed_day: float  # days since origin of the file's last observed day
    source: str

    @property
    def origin_us(self) -> int:
        """The table's day 0, UTC microseconds."""
        return datetime_to_us(datetime(self.origin.year, self.origin.month, self.origin.day,
                                       tzinfo=UTC))


def _gfz_table(weather: SpaceWeather) -> bytes:
    """The file's daily values in GFZ's Kp_ap_Ap_SN_F107 format, which satkit reads (Kp
    columns are not used by NRLMSISE-00's daily mode and are written as 2o)."""
    base = np.datetime64("1932-01-01")
    lines = ["#YYY MM DD  days  days_m  Bsr dB    Kp1    Kp2    Kp3    Kp4    Kp5    Kp6"
             "    Kp7    Kp8  ap1  ap2  ap3  ap4  ap5  ap6  ap7  ap8    Ap  SN F10.7obs "
             "F10.7adj D"]
    kp = " 2.000" * 8
    for day, f107, ap in zip(weather.day, weather.f107, weather.ap, strict=True):
        y, m, d = str(day).split("-")
        n = int((day - base).astype(int))
        a = round(float(ap))
        lines.append(f"{y} {m} {d} {n:5d} {n + 0.5:7.1f} 2000  1{kp}{f' {a:4d}' * 8}"
                     f" {a:5d}  -1 {f107:8.1f} {f107:8.1f} 2")
    return ("\n".join(lines) + "\n").encode()


def _load_weather(table: bytes) -> None:
    import satkit

    satkit.spaceweather.disable_space_weather_time_warning()
    satkit.spaceweather.init_from_bytes(table)


def _mean_profiles(days: list[date]) -> np.ndarray:
    """In a worker: the global mean log density (len(days), len(ALTITUDES_KM))."""
    import satkit

    out = np.empty((len(days), len(ALTITUDES_KM)))
    for k, day in enumerate(days):
        t = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        for j, h in enumerate(ALTITUDES_KM):
            total = 0.0
            for lat in _LATITUDES:
                for lon in _LONGITUDES_AT_NOON_UT:
                    total += satkit.nrlmsise00(float(h), latitude_deg=lat, longitude_deg=lon,
                                               time=t, use_spaceweather=True)[0]
            out[k, j] = np.log(total / (len(_LATITUDES) * len(_LONGITUDES_AT_NOON_UT)))
    return out


def table_days(start: date, end: date) -> list[date]:
    """The days of a table from ``start`` to ``end``: daily, then every 3, then 15."""
    days, day = [], start
    while day <= end:
        days.append(day)
        elapsed = (day - start).days
        day += timedelta(days=1 if elapsed < 120 else (3 if elapsed < 730 else 15))
    if days[-1] != end:
        days.append(end)
    return days


def _cache_dir() -> Path:
    home = os.environ.get("ORBITWATCH_HOME")
    if home:
        return Path(home) / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "orbitwatch"


def density_table(weather: SpaceWeather, start: date, *, workers: int = 2,
                  use_cache: bool = True) -> DensityTable:
    """The density table from ``start`` to the file's last day (computed in ``workers``
    processes, or read from the cache)."""
    end = weather.last
    start = min(start, end - timedelta(days=CYCLE_DAYS))  # one cycle at least, for the mean
    start = date(start.year, 1, 1)  # one table per year of start: catalogs share it
    start = max(start, weather.first + timedelta(days=81))  # satkit's 81-day average
    key = hashlib.sha256(f"{TABLE_VERSION} {weather.sha256} {start} {end} "
                         f"{ALTITUDES_KM.tobytes().hex()}".encode()).hexdigest()[:24]
    path = _cache_dir() / f"density-{key}.npz"
    days = table_days(start, end)
    if use_cache and path.is_file():
        log_density = np.load(path)["log_density"]
    else:
        gfz = _gfz_table(weather)
        parts = np.array_split(np.arange(len(days)), max(1, workers * 4))
        with worker_pool(workers, _load_weather, (gfz,)) as pool:
            futures = [pool.submit(_mean_profiles, [days[k] for k in part])
                       for part in parts if len(part)]
            log_density = np.concatenate([f.result() for f in futures])
        if use_cache:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            np.savez(tmp, log_density=log_density)
            tmp.replace(path)
    t = np.array([(d - start).days for d in days], float)
    cycle = t >= t[-1] - CYCLE_DAYS
    weights = np.gradient(t)[cycle]  # days each row stands for
    mean = np.log((np.exp(log_density[cycle]) * weights[:, None]).sum(axis=0) / weights.sum())
    return DensityTable(start, t, log_density, mean,
                        float((weather.last_observed - start).days), weather.source)
