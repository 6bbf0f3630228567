"""orbitwatch: open space situational awareness on your own machine.

The stable public names, imported on first use (so that ``import orbitwatch`` stays
light: numba, SciPy and the rest load only when a name that needs them is used)::

    import orbitwatch
    with orbitwatch.CatalogStore("catalog.db") as store:
        snap = orbitwatch.take_snapshot(store, at)
    result = orbitwatch.screen(snap, volume=5.0)
"""

from __future__ import annotations

import importlib
from typing import Any

from orbitwatch._version import __version__ as __version__

_WHERE = {
    "CatalogCensus": "orbitwatch.environment",
    "CatalogStore": "orbitwatch.catalog",
    "EVENT_DTYPE": "orbitwatch.screening",
    "EarthOrientation": "orbitwatch.propagation",
    "ElementArrays": "orbitwatch.propagation.element_arrays",
    "ElementSet": "orbitwatch.formats",
    "EngineSettings": "orbitwatch.screening",
    "Ephemeris": "orbitwatch.propagation",
    "FORMATION_DTYPE": "orbitwatch.screening",
    "FRAMES": "orbitwatch.propagation",
    "HorizonMask": "orbitwatch.access.sites",
    "Lifetimes": "orbitwatch.environment",
    "LoadReport": "orbitwatch.catalog",
    "ParseResult": "orbitwatch.formats",
    "PassSettings": "orbitwatch.access.passes",
    "Reject": "orbitwatch.formats",
    "SatcatRecord": "orbitwatch.formats",
    "ScreeningResult": "orbitwatch.screening",
    "ScreeningVolume": "orbitwatch.screening",
    "Sensor": "orbitwatch.access.imaging",
    "Site": "orbitwatch.access.sites",
    "Snapshot": "orbitwatch.catalog",
    "SpaceWeather": "orbitwatch.environment",
    "TimeBase": "orbitwatch.core.time",
    "VolumePolicy": "orbitwatch.screening",
    "cdm_pc_foster": "orbitwatch.risk",
    "cdm_states": "orbitwatch.risk",
    "compliance_rows": "orbitwatch.environment",
    "country": "orbitwatch.access.regions",
    "default_db_path": "orbitwatch.catalog",
    "detect_format": "orbitwatch.formats",
    "find_passes": "orbitwatch.access.passes",
    "geo_belt": "orbitwatch.environment",
    "gnss_visibility": "orbitwatch.access.gnss",
    "imaging_windows": "orbitwatch.access.imaging",
    "itrf_to_geodetic": "orbitwatch.propagation",
    "load_path": "orbitwatch.catalog",
    "load_text": "orbitwatch.catalog",
    "nation_scorecard": "orbitwatch.environment",
    "object_class": "orbitwatch.environment",
    "orbit_class": "orbitwatch.environment",
    "parse_omm": "orbitwatch.formats",
    "parse_satcat_csv": "orbitwatch.formats",
    "parse_tle": "orbitwatch.formats",
    "parse_utc": "orbitwatch.core.time",
    "pc3d_nc": "orbitwatch.risk",
    "pc_circle": "orbitwatch.risk",
    "pc_foster": "orbitwatch.risk",
    "pc_square": "orbitwatch.risk",
    "predict_lifetimes": "orbitwatch.environment",
    "propagate": "orbitwatch.propagation",
    "read_cdm": "orbitwatch.formats.cdm",
    "read_elements": "orbitwatch.formats",
    "read_space_weather": "orbitwatch.environment",
    "satellite_footprint": "orbitwatch.access.footprint",
    "satrec_from_elements": "orbitwatch.propagation",
    "screen": "orbitwatch.screening",
    "shell_density": "orbitwatch.environment",
    "split_jd": "orbitwatch.propagation",
    "take_census": "orbitwatch.environment",
    "take_snapshot": "orbitwatch.catalog",
    "teme_to_gcrf": "orbitwatch.propagation",
    "teme_to_itrf": "orbitwatch.propagation",
    "time_grid": "orbitwatch.propagation",
    "write_omm": "orbitwatch.formats",
    "write_tle": "orbitwatch.formats",
}

__all__ = sorted([*_WHERE, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'orbitwatch' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
