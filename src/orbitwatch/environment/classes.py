"""Orbit classes and object classes as ESA's Space Environment Report defines them.

Orbit classes (ESA Space Debris Office, "ESA's Annual Space Environment Report", orbit
definitions after the CCSDS orbit categories), tried in this order, the first that holds
naming the orbit; hp / ha perigee / apogee altitude (km), a semi-major axis (km), e
eccentricity, i inclination (deg):

GEO  i 0-25, hp and ha 35586-35986        IGO  a 37948-46380, e < 0.25, i 25-180
EGO  a 37948-46380, e < 0.25, i 0-25      NSO  i 50-70, hp and ha 18100-24300
GTO  i < 90, hp < 2000, ha 31570-40002    MEO  hp and ha 2000-31570
GHO  hp 31570-40002, ha > 40002           LEO  hp and ha < 2000
HAO  hp and ha > 40002                    MGO  hp 2000-31570, ha 31570-40002
HEO  hp < 31570, ha > 40002               LMO  hp < 2000, ha 2000-31570

An orbit none of them holds (e.g. hp < 2000, ha 31570-40002 at i >= 90) is OTHER.

Object classes: ESA's report splits payloads and rocket bodies into the object itself,
fragmentation debris and mission-related objects (PL/PF/PD/PM, RB/RF/RD/RM). The public
catalog does not tell fragments from mission-related objects, so orbitwatch gives PL
(payload), PD (debris of a payload: its fragments and mission-related objects), RB
(rocket body), RD (debris of a rocket body), UI (unidentified), from the SATCAT type and
the object's name ("R/B" names a rocket body and its debris; without the SATCAT, "DEB"
names debris, "OBJECT x" or "TBA" an unidentified piece, any other name a payload).
"""

from __future__ import annotations

import numpy as np

ORBIT_CLASSES = ("GEO", "IGO", "EGO", "NSO", "GTO", "MEO", "GHO", "LEO", "HAO", "MGO",
                 "HEO", "LMO")
OTHER = "OTHER"


def _within(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return (x >= lo) & (x <= hi)


def orbit_class(hp_km: np.ndarray, ha_km: np.ndarray, a_km: np.ndarray,
                e: np.ndarray, i_deg: np.ndarray) -> np.ndarray:
    """ESA's orbit class of each orbit (see the module), as strings (n,)."""
    hp, ha, a, e, i = (np.asarray(x, float) for x in (hp_km, ha_km, a_km, e, i_deg))
    both = lambda lo, hi: _within(hp, lo, hi) & _within(ha, lo, hi)  # noqa: E731
    tests = [
        _within(i, 0, 25) & both(35586, 35986),                        # GEO
        _within(a, 37948, 46380) & (e < 0.25) & _within(i, 25, 180),   # IGO
        _within(a, 37948, 46380) & (e < 0.25) & _within(i, 0, 25),     # EGO
        _within(i, 50, 70) & both(18100, 24300),                       # NSO
        (i < 90) & (hp < 2000) & _within(ha, 31570, 40002),            # GTO
        both(2000, 31570),                                             # MEO
        _within(hp, 31570, 40002) & (ha > 40002),                      # GHO
        (hp < 2000) & (ha < 2000),                                     # LEO
        (hp > 40002) & (ha > 40002),                                   # HAO
        _within(hp, 2000, 31570) & _within(ha, 31570, 40002),          # MGO
        (hp < 31570) & (ha > 40002),                                   # HEO
        (hp < 2000) & _within(ha, 2000, 31570),                        # LMO
    ]
    return np.select(tests, ORBIT_CLASSES, default=OTHER)


#: orbitwatch's object classes (see the module) and what they mean.
OBJECT_CLASSES = {"PL": "payload", "PD": "payload debris (fragments, mission-related)",
                  "RB": "rocket body", "RD": "rocket-body debris", "UI": "unidentified"}


def object_class(object_type: str | None, name: str | None) -> str:
    """PL, PD, RB, RD or UI from the SATCAT type (else the name's words)."""
    name = (name or "").upper()
    kind = (object_type or "").upper()
    rocket = "R/B" in name
    if not kind:  # no SATCAT: the name's conventions (pieces not yet identified are
        #           named OBJECT A, TBA ...; anything else named is a payload)
        if " DEB" in name:
            kind = "DEBRIS"
        elif rocket:
            kind = "ROCKET BODY"
        elif name and not name.startswith(("OBJECT", "TBA", "UNKNOWN")):
            kind = "PAYLOAD"
    if kind == "PAYLOAD":
        return "PL"
    if kind == "ROCKET BODY":
        return "RB"
    if kind == "DEBRIS":
        return "RD" if rocket else "PD"
    return "UI"
