"""Assumed position uncertainty of an element set, for objects without a real covariance.

A TLE/OMM carries no covariance. For a Pc between catalog objects orbitwatch assumes one,
in the spirit of ESA's CRASS tables: an RTN 1-sigma at the element set's epoch and a
linear growth with the days from epoch, by orbit regime. The numbers are orbitwatch's
model v1, set from the published accuracy of the public catalog (Flohrer, Krag, Klinkrad,
"Assessment and categorization of TLE orbit errors for the US SSN catalogue", AMOS 2008:
along-track errors dominate, hundreds of metres at epoch in LEO, growing by up to a few
km per day where drag is strong). Any Pc computed with them is labelled "assumed".

The SOCRATES shape (RTN 1-sigma ratio 100 : 300 : 100 m) is the covariance shape CelesTrak
uses for its maximum probability, kept apart so that orbitwatch's maximum Pc compares
with SOCRATES's MAX_PROB.
"""

from __future__ import annotations

import numpy as np

MODEL_NAME = "orbitwatch TLE uncertainty model v1"

#: (RTN 1-sigma at epoch in m, RTN growth in m per day from epoch) by regime; LEO is
#: split at 500 km perigee, below which drag makes along-track errors grow fastest.
TLE_MODEL: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    "LEO<500": ((100.0, 600.0, 150.0), (30.0, 1500.0, 30.0)),
    "LEO": ((80.0, 300.0, 100.0), (10.0, 400.0, 20.0)),
    "MEO": ((200.0, 800.0, 300.0), (20.0, 300.0, 30.0)),
    "GEO": ((500.0, 2000.0, 700.0), (50.0, 500.0, 50.0)),
    "HEO": ((500.0, 3000.0, 800.0), (100.0, 2000.0, 100.0)),
    "other": ((1000.0, 5000.0, 1000.0), (100.0, 2000.0, 100.0)),
}

#: RTN 1-sigma shape (m) of SOCRATES's maximum-probability computation.
SOCRATES_SHAPE_RTN_M = np.array([100.0, 300.0, 100.0])


def model_key(regime: str, perigee_km: float | None) -> str:
    if regime == "LEO" and perigee_km is not None and perigee_km < 500.0:
        return "LEO<500"
    return regime if regime in TLE_MODEL else "other"


def assumed_sigma_rtn_m(key: str | np.ndarray,
                        days_from_epoch: np.ndarray | float) -> np.ndarray:
    """RTN 1-sigma (m), shape (..., 3), of an element set ``days_from_epoch`` from its
    epoch (either side) under the model entry ``key`` (see :func:`model_key`): one key,
    or an array of keys, one per element of ``days_from_epoch``."""
    keys = np.asarray(key)
    days = np.abs(np.asarray(days_from_epoch, float))[..., None]
    if keys.ndim == 0:
        sigma0, growth = (np.array(v) for v in TLE_MODEL[str(keys)])
        return sigma0 + growth * days
    sigma0 = np.full((*keys.shape, 3), np.nan)
    growth = np.full((*keys.shape, 3), np.nan)
    for name, (s0, g) in TLE_MODEL.items():
        sel = keys == name
        sigma0[sel], growth[sel] = s0, g
    unknown = np.isnan(sigma0[..., 0])
    if unknown.any():
        raise KeyError(f"not a model key: {keys[unknown].flat[0]!r}")
    return sigma0 + growth * days
