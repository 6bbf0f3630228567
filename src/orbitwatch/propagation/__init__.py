"""SGP4 propagation in batches, and frame transformations.

Kernels (:mod:`.sgp4_batch`, :mod:`.frames`) work on plain arrays in km, km/s and
split Julian dates; :mod:`.ephemeris` is the domain API over them.
"""

from orbitwatch.propagation.eop import EarthOrientation
from orbitwatch.propagation.ephemeris import FRAMES, Ephemeris, propagate, split_jd, time_grid
from orbitwatch.propagation.frames import itrf_to_geodetic, teme_to_gcrf, teme_to_itrf
from orbitwatch.propagation.sgp4_batch import satrec_from_elements

__all__ = ["FRAMES", "EarthOrientation", "Ephemeris", "itrf_to_geodetic", "propagate",
           "satrec_from_elements", "split_jd", "teme_to_gcrf", "teme_to_itrf", "time_grid"]
