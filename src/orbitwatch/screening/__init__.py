"""Conjunction screening: every close approach among catalog objects in a window."""

from orbitwatch.screening.api import screen
from orbitwatch.screening.engine import EngineSettings
from orbitwatch.screening.results import EVENT_DTYPE, FORMATION_DTYPE, ScreeningResult
from orbitwatch.screening.volume import ScreeningVolume, VolumePolicy

__all__ = ["EVENT_DTYPE", "FORMATION_DTYPE", "EngineSettings", "ScreeningResult",
           "ScreeningVolume", "VolumePolicy", "screen"]
