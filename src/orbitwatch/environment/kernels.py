"""Numba kernels of orbit decay: the mean orbit (semi-major axis, eccentricity) of many
objects integrated under drag through a tabulated thermosphere, each at its own step.

Drag on a mean orbit, averaged over one revolution (Gauss's equations with the drag
acceleration f = 1/2 B rho v^2 against the velocity, B = C_D A / m): da/dt = -2 a^2 v f
/ mu and de/dt = -2 (e + cos nu) f / v, averaged over the mean anomaly: points
uniform in eccentric anomaly E weighted by 1 - e cos E (dM = (1 - e cos E) dE; the
midpoint rule, on the whole of a near-circular orbit and on the arc within 600 km of
perigee of an eccentric one, where all its drag is), dense enough to resolve the perigee
of an eccentric orbit (King-Hele, "Satellite Orbits in an Atmosphere", 1987, for the method).
The atmosphere turns with the Earth: the speed through it is v (1 - r w cos i / v)
(Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., sec. 9.6.2 for the
factor). Altitudes are over the Earth's radius at the orbit's mean latitude.

Integration: the explicit midpoint rule; a step changes the semi-major axis by at most
2 % of the perigee's height above 100 km (so the re-entry's last days get short steps),
and lasts at most 10 days or 5 % of the time elapsed, whichever is longer (a long life
is not shaped by single days of space weather).
An object has re-entered when its perigee is below 80 km or its apogee below 150 km.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

MU = 398600.4418  # km^3/s^2
R_EQ = 6378.137  # km
FLATTENING = 1.0 / 298.257223563
OMEGA = 7.292115e-5  # rad/s
DAY_S = 86400.0
PERIGEE_DOWN_KM, APOGEE_DOWN_KM = 80.0, 150.0
WINDOW_KM = 600.0  # the arc above perigee where drag is sampled (10+ scale heights)


@njit(cache=True)
def table_density(days, log_rho, cycle_mean, altitudes, day, h):
    """Natural log of the density (kg/m^3) at ``day`` and altitude ``h`` (km): linear
    in time between the table's days, log-linear in altitude (extrapolated beyond its
    ends); after its last day the one-cycle mean profile."""
    n_h = altitudes.shape[0]
    j = np.searchsorted(altitudes, h) - 1
    j = min(max(j, 0), n_h - 2)
    w_h = (h - altitudes[j]) / (altitudes[j + 1] - altitudes[j])
    if day >= days[-1]:
        return cycle_mean[j] + w_h * (cycle_mean[j + 1] - cycle_mean[j])
    i = np.searchsorted(days, day) - 1
    i = min(max(i, 0), days.shape[0] - 2)
    w_t = min(max((day - days[i]) / (days[i + 1] - days[i]), 0.0), 1.0)
    lo = log_rho[i, j] + w_h * (log_rho[i, j + 1] - log_rho[i, j])
    hi = log_rho[i + 1, j] + w_h * (log_rho[i + 1, j + 1] - log_rho[i + 1, j])
    return lo + w_t * (hi - lo)


@njit(cache=True)
def mean_rates(a, e, cos_i, radius, b, day, days, log_rho, cycle_mean, altitudes,
               factor_after, last_observed):
    """Orbit-averaged da/dt (km/day) and de/dt (1/day) of a mean orbit ``a`` (km),
    ``e`` with ballistic coefficient ``b`` (m^2/kg) on ``day``; the density is scaled
    by ``factor_after`` after the day ``last_observed``."""
    # drag acts within a few scale heights of perigee: only the arc up to WINDOW_KM
    # above it is sampled (all of a near-circular orbit), with points close enough that
    # a e (1 - cos dE) stays under 10 km near perigee
    ae = a * e
    e_max = math.pi if ae <= 0.5 * WINDOW_KM else math.acos(1.0 - WINDOW_KM / ae)
    step = math.sqrt(20.0 / ae) if ae > 0.0 else math.pi
    n = min(max(int(2.0 * e_max / step) + 1, 8), 400)
    d_e = 2.0 * e_max / n
    scale = factor_after if day > last_observed else 1.0
    da = 0.0
    de = 0.0
    for k in range(n):
        big_e = -e_max + (k + 0.5) * d_e
        cos_e = math.cos(big_e)
        w = 1.0 - e * cos_e
        r = a * w
        v = math.sqrt(MU * (2.0 / r - 1.0 / a))
        rho = math.exp(table_density(days, log_rho, cycle_mean, altitudes, day, r - radius))
        v_air = v - r * OMEGA * cos_i
        acc = 0.5 * b * rho * scale * 1000.0 * v_air * v_air  # km/s^2 (rho b: 1/m)
        cos_nu = (cos_e - e) / w
        da += w * 2.0 * a * a * v * acc / MU
        de += w * 2.0 * (e + cos_nu) * acc / v
    # the mean over the mean anomaly: dM = (1 - e cos E) dE over 2 pi
    weight = 2.0 * math.pi / d_e
    return -da / weight * DAY_S, -de / weight * DAY_S


@njit(cache=True, parallel=True)
def decay(a0, e0, cos_i, radius, b, t0, t_end, days, log_rho, cycle_mean, altitudes,
          factor_after, last_observed):
    """Integrate each object's mean orbit from day ``t0[k]`` to ``t_end[k]`` (days of
    the table); returns (day it re-entered, or inf; a and e at the end)."""
    n = a0.shape[0]
    t_down = np.full(n, np.inf)
    a_out = a0.copy()
    e_out = e0.copy()
    for k in prange(n):
        a, e, t = a0[k], e0[k], t0[k]
        while t < t_end[k]:
            hp = a * (1.0 - e) - radius[k]
            ha = a * (1.0 + e) - radius[k]
            if hp < PERIGEE_DOWN_KM or ha < APOGEE_DOWN_KM:
                t_down[k] = t
                break
            da1, de1 = mean_rates(a, e, cos_i[k], radius[k], b[k], t, days, log_rho,
                                  cycle_mean, altitudes, factor_after, last_observed)
            dt_max = max(10.0, 0.05 * (t - t0[k]))
            dt = min(dt_max, max(0.02 * (hp - 100.0), 0.05) / max(-da1, 1e-30),
                     t_end[k] - t)
            if de1 < 0.0 and e > 0.0:
                dt = min(dt, max(0.1 * e, 1e-5) / -de1)
            dt = max(dt, 1e-4)
            a_mid = a + 0.5 * dt * da1
            e_mid = max(e + 0.5 * dt * de1, 0.0)
            da2, de2 = mean_rates(a_mid, e_mid, cos_i[k], radius[k], b[k], t + 0.5 * dt,
                                  days, log_rho, cycle_mean, altitudes, factor_after,
                                  last_observed)
            a += dt * da2
            e = max(e + dt * de2, 0.0)
            t += dt
        a_out[k], e_out[k] = a, e
    return t_down, a_out, e_out


@njit(cache=True, parallel=True)
def orbit_rates(a, e, cos_i, radius, b, t, days, log_rho, cycle_mean, altitudes):
    """mean_rates of many orbits: (da/dt km/day, de/dt 1/day) arrays."""
    n = a.shape[0]
    da = np.empty(n)
    de = np.empty(n)
    for k in prange(n):
        da[k], de[k] = mean_rates(a[k], e[k], cos_i[k], radius[k], b[k], t[k], days,
                                  log_rho, cycle_mean, altitudes, 1.0, np.inf)
    return da, de


def mean_radius_km(inclination_deg: np.ndarray) -> np.ndarray:
    """The Earth's radius at an orbit's mean sin^2 latitude (sin^2 i / 2), km."""
    s2 = np.sin(np.radians(inclination_deg)) ** 2
    return R_EQ * (1.0 - FLATTENING * s2 / 2.0)
