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
    "CatalogStore": "orbitwatch.catalog",
    "ElementSet": "orbitwatch.formats.elements",
    "EngineSettings": "orbitwatch.screening",
    "HorizonMask": "orbitwatch.access.sites",
    "PassSettings": "orbitwatch.access.passes",
    "ScreeningResult": "orbitwatch.screening",
    "ScreeningVolume": "orbitwatch.screening",
    "Sensor": "orbitwatch.access.imaging",
    "Site": "orbitwatch.access.sites",
    "Snapshot": "orbitwatch.catalog",
    "VolumePolicy": "orbitwatch.screening",
    "cdm_pc_foster": "orbitwatch.risk",
    "country": "orbitwatch.access.regions",
    "find_passes": "orbitwatch.access.passes",
    "gnss_visibility": "orbitwatch.access.gnss",
    "imaging_windows": "orbitwatch.access.imaging",
    "load_path": "orbitwatch.catalog",
    "pc3d_nc": "orbitwatch.risk",
    "pc_circle": "orbitwatch.risk",
    "pc_foster": "orbitwatch.risk",
    "pc_square": "orbitwatch.risk",
    "read_cdm": "orbitwatch.formats.cdm",
    "read_elements": "orbitwatch.formats",
    "satellite_footprint": "orbitwatch.access.footprint",
    "screen": "orbitwatch.screening",
    "take_snapshot": "orbitwatch.catalog",
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
