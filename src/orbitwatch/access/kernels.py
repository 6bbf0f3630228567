"""Hot loop of pass search (numba): look angles from one site on the cubic Hermite
interpolant of SGP4 samples, at many (object, time) points.

Plain arrays in fixed units: km, km/s, s, rad, deg. No objects, no I/O.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from orbitwatch.propagation.hermite import hermite_weights


@nb.njit(cache=True)
def hermite_look_angles(pos, vel, t_s, obj, t, theta0_rad, theta_rate_rad_s, site_itrf,
                        enu_itrf, out_az_deg, out_el_deg):
    """Azimuth and elevation (deg) of object ``obj[p]`` at time ``t[p]`` (s).

    ``pos``/``vel`` (n_objects, n_samples, 3) are TEME samples at ``t_s`` (n_samples,);
    between samples the position is the cubic Hermite interpolant. The site
    (``site_itrf`` km, rows east/north/up ``enu_itrf``) turns into TEME by the sidereal
    angle ``theta0_rad + theta_rate_rad_s * t`` (GMST 1982 is linear in time to far
    below an arcsecond over weeks).
    """
    n_s = t_s.shape[0]
    for p in range(obj.shape[0]):
        i = obj[p]
        tt = t[p]
        # sample interval holding tt (binary search)
        lo, hi = 0, n_s - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if t_s[mid] <= tt:
                lo = mid
            else:
                hi = mid
        k = lo
        h = t_s[k + 1] - t_s[k]
        h00, h10, h01, h11 = hermite_weights((tt - t_s[k]) / h, h)
        theta = theta0_rad + theta_rate_rad_s * tt
        c = math.cos(theta)
        s = math.sin(theta)
        # satellite TEME -> Earth-fixed (R3(theta)), minus the site, onto east/north/up
        a, b = pos[i, k], pos[i, k + 1]
        va, vb = vel[i, k], vel[i, k + 1]
        x = h00 * a[0] + h10 * va[0] + h01 * b[0] + h11 * vb[0]
        y = h00 * a[1] + h10 * va[1] + h01 * b[1] + h11 * vb[1]
        z = h00 * a[2] + h10 * va[2] + h01 * b[2] + h11 * vb[2]
        dx = c * x + s * y - site_itrf[0]
        dy = -s * x + c * y - site_itrf[1]
        dz = z - site_itrf[2]
        e = enu_itrf[0, 0] * dx + enu_itrf[0, 1] * dy + enu_itrf[0, 2] * dz
        nn = enu_itrf[1, 0] * dx + enu_itrf[1, 1] * dy + enu_itrf[1, 2] * dz
        up = enu_itrf[2, 0] * dx + enu_itrf[2, 1] * dy + enu_itrf[2, 2] * dz
        rng = math.sqrt(e * e + nn * nn + up * up)
        out_el_deg[p] = math.degrees(math.asin(min(1.0, max(-1.0, up / rng))))
        az = math.degrees(math.atan2(e, nn))
        out_az_deg[p] = az + 360.0 if az < 0.0 else az


def sidereal_line(gmst_rad: np.ndarray, t_s: np.ndarray) -> tuple[float, float]:
    """Offset (rad) and rate (rad/s) of the straight line through sidereal angles
    ``gmst_rad`` (wrapped to 2 pi) at times ``t_s``."""
    unwrapped = np.unwrap(gmst_rad)
    rate = (unwrapped[-1] - unwrapped[0]) / (t_s[-1] - t_s[0])
    return float(unwrapped[0] - rate * t_s[0]), float(rate)
