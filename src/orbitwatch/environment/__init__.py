"""The space environment: how crowded each orbit is, who puts what there, when each
object will come down and who keeps the disposal rules (census, density, lifetime,
compliance)."""

from orbitwatch.environment.census import CatalogCensus, geo_belt, shell_density, take_census
from orbitwatch.environment.classes import object_class, orbit_class
from orbitwatch.environment.compliance import compliance_rows, nation_scorecard
from orbitwatch.environment.lifetime import Lifetimes, predict_lifetimes
from orbitwatch.environment.space_weather import SpaceWeather, read_space_weather

__all__ = ["CatalogCensus", "Lifetimes", "SpaceWeather", "compliance_rows", "geo_belt",
           "nation_scorecard", "object_class", "orbit_class", "predict_lifetimes",
           "read_space_weather", "shell_density", "take_census"]
