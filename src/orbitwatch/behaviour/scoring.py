"""Scoring manoeuvre detections against known burns, with the field's convention: a
detection matches a burn that lies between its bracketing element sets, give or take one
gap (the time between them), and each burn is matched at most once. Recall is the share of
burns matched; false alarms are detections that match none, per satellite-year watched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orbitwatch.core.time import datetime_to_us, parse_utc


@dataclass(frozen=True, slots=True)
class Burn:
    norad_cat_id: int
    time: datetime


@dataclass(slots=True)
class Score:
    burns: int
    matched: int
    detections: int
    false_alarms: int
    satellite_years: float

    @property
    def recall(self) -> float | None:
        return self.matched / self.burns if self.burns else None

    @property
    def false_alarms_per_satellite_year(self) -> float | None:
        return self.false_alarms / self.satellite_years if self.satellite_years else None


def score_detections(rows: list[dict], burns: list[Burn], satellite_years: float) -> Score:
    """Match detection rows (manoeuvres' EPOCH_BEFORE / EPOCH_AFTER, dockings left out)
    of the burns' objects against the burns."""
    objects = {b.norad_cat_id for b in burns}
    detections = [r for r in rows if r["NORAD_CAT_ID"] in objects and r["DV_M_S"] is not None]
    unmatched = list(burns)
    false_alarms = 0
    for r in detections:
        before = datetime_to_us(parse_utc(r["EPOCH_BEFORE"]))
        after = datetime_to_us(parse_utc(r["EPOCH_AFTER"]))
        gap = after - before
        hit = next((b for b in unmatched if b.norad_cat_id == r["NORAD_CAT_ID"]
                    and before - gap <= datetime_to_us(b.time) <= after + gap), None)
        if hit is None:
            false_alarms += 1
        else:
            unmatched.remove(hit)
    return Score(len(burns), len(burns) - len(unmatched), len(detections), false_alarms,
                 satellite_years)
