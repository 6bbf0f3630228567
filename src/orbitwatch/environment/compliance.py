"""Disposal compliance per object and a scorecard per owner nation.

The rules, for payloads and rocket bodies whose orbit reaches into LEO (perigee under
2,000 km), each with the end of mission it assumes:

* FCC-5Y: the United States' FCC rule (Second Report and Order, FCC 22-74): a satellite
  licensed by the FCC and launched after 2024-09-29 leaves LEO within 5 years of the end
  of its mission. The public catalog names the owner, not the licence: orbitwatch applies
  it to owner US launched after that day, and says so.
* ESA-5Y: ESA's Space Debris Mitigation Requirements (ESSB-ST-U-007, 2023): 5 years, for
  owner ESA.
* IADC-25Y: the IADC Space Debris Mitigation Guidelines (and ISO 24113): 25 years,
  everyone else.

End of mission: the launch date for rocket bodies (their mission ends at launch); for
payloads, whose end of mission the catalog does not give, the snapshot time (a payload
still working is judged as if its mission ended now: "leaves LEO within N years from
today"). Debris (fragments and mission-related objects, which the public catalog does not
tell apart) and orbits outside LEO are NOT_APPLICABLE. The verdict compares the
predicted re-entry (environment.lifetime) with the deadline.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.time import datetime_to_us, iso_ms
from orbitwatch.environment.census import CatalogCensus, shell_density
from orbitwatch.environment.lifetime import Lifetimes

FCC_RULE_FROM = date(2024, 9, 29)
LEO_PERIGEE_KM = 2000.0
RULES = {"FCC-5Y": 5.0, "ESA-5Y": 5.0, "IADC-25Y": 25.0}


def launch_dates(store: CatalogStore, norad_cat_ids: np.ndarray) -> dict[int, str]:
    """SATCAT launch dates (ISO day) of the objects that have one."""
    return {n: f["launch_date"][:10] for n, f in store.object_info(norad_cat_ids).items()
            if f["launch_date"]}


def _rule(owner: str, launched: date | None) -> str:
    if owner == "US" and launched is not None and launched > FCC_RULE_FROM:
        return "FCC-5Y"
    if owner == "ESA":
        return "ESA-5Y"
    return "IADC-25Y"


def compliance_rows(census: CatalogCensus, lifetimes: Lifetimes,
                    launches: dict[int, str]) -> list[dict[str, Any]]:
    """One row per object: its rule, the end of mission assumed and why, the deadline,
    the predicted re-entry and the verdict (COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE)."""
    snap = census.snapshot
    at_us = datetime_to_us(census.at)
    rows = []
    for k, es in enumerate(snap.element_sets):
        cls = str(census.object_class[k])
        owner = str(census.owner[k])
        launch_text = launches.get(int(es.norad_cat_id))
        launched = date.fromisoformat(launch_text) if launch_text else None
        row: dict[str, Any] = {
            "NORAD_CAT_ID": int(es.norad_cat_id), "OBJECT_NAME": es.object_name,
            "OBJECT_CLASS": cls, "OWNER": owner, "LAUNCH_DATE": launch_text,
            "PERIGEE_KM": round(float(census.perigee_km[k]), 1), "RULE": None,
            "END_OF_MISSION_UTC": None, "END_OF_MISSION_BASIS": None, "DEADLINE_UTC": None,
            "DECAY_UTC": None, "VERDICT": "NOT_APPLICABLE", "REASON": None}
        decay_us = int(lifetimes.decay_us[k])
        row["DECAY_UTC"] = iso_ms(decay_us)[:10] if decay_us >= 0 else None
        if cls not in ("PL", "RB"):
            row["REASON"] = "debris: no disposal rule applies to fragments as such"
        elif census.perigee_km[k] >= LEO_PERIGEE_KM:
            row["REASON"] = "orbit outside LEO (perigee over 2,000 km)"
        elif cls == "RB" and launched is None:
            row["REASON"] = "rocket body without a launch date in the SATCAT"
        else:
            rule = _rule(owner, launched)
            if cls == "RB":
                end = datetime(launched.year, launched.month, launched.day, tzinfo=UTC)
                basis = "launch date (a rocket body's mission ends at launch)"
            else:
                end = census.at
                basis = "snapshot time (the catalog gives no end of mission)"
            end_us = max(datetime_to_us(end), 0)
            deadline_us = end_us + int(RULES[rule] * 365.25 * 86_400e6)
            row.update({"RULE": rule, "END_OF_MISSION_UTC": iso_ms(end_us)[:10],
                        "END_OF_MISSION_BASIS": basis,
                        "DEADLINE_UTC": iso_ms(deadline_us)[:10]})
            ok = 0 <= decay_us <= deadline_us
            row["VERDICT"] = "COMPLIANT" if ok else "NON_COMPLIANT"
            if not ok and deadline_us < at_us:
                row["REASON"] = "deadline already passed and still in orbit"
            elif decay_us < 0:
                row["REASON"] = (f"in orbit beyond the re-entry model's "
                                 f"{lifetimes.horizon_years:.0f}-year horizon")
            elif not ok:
                row["REASON"] = "predicted re-entry after the deadline"
            if deadline_us >= at_us and decay_us >= 0:
                early, late = int(lifetimes.early_us[k]), int(lifetimes.late_us[k])
                if early <= deadline_us and (late < 0 or late > deadline_us):
                    last = (iso_ms(late)[:10] if late >= 0
                            else f"beyond {lifetimes.horizon_years:.0f} years")
                    row["REASON"] = "; ".join(filter(None, (
                        row["REASON"], f"uncertain: the deadline is within the re-entry "
                                       f"interval {iso_ms(early)[:10]} .. {last} (about 80 % "
                                       "of re-entries)")))
        rows.append(row)
    return rows


def _attributed_owner(census: CatalogCensus) -> np.ndarray:
    """Each object's owner by its launch (international designator YYYY-NNN): the owner
    of the launch's piece A where the snapshot has it, else its own."""
    launch = np.array([(es.object_id or "")[:8] for es in census.snapshot.element_sets])
    owner = census.owner.copy()
    first = {}
    for k, es in enumerate(census.snapshot.element_sets):
        oid = es.object_id or ""
        if len(oid) > 8 and oid[8:] == "A":
            first[oid[:8]] = census.owner[k]
    for k, lid in enumerate(launch.tolist()):
        if lid in first and first[lid] != "unknown":
            owner[k] = first[lid]
    return owner


def nation_scorecard(census: CatalogCensus, compliance: list[dict[str, Any]],
                     conjunctions: dict[str, tuple[int, int]] | None = None,
                     crowded_shells: int = 5) -> list[dict[str, Any]]:
    """One row per owner (most objects first): objects by object class and orbit class,
    debris attributed to it by launch, its PL/RB in LEO judged by the disposal rules and
    the share compliant, its objects crossing the ``crowded_shells`` densest 10-km
    shells, and (``conjunctions``: owner -> (events, red events) of a screening run)
    the conjunctions its objects are in."""
    shells = shell_density(census)
    top = sorted(shells, key=lambda r: -r["DENSITY_PER_KM3"])[:crowded_shells]
    crosses = np.zeros(len(census), bool)
    for shell in top:
        crosses |= ((census.perigee_km <= shell["ALT_HIGH_KM"])
                    & (census.apogee_km >= shell["ALT_LOW_KM"]))
    attributed = _attributed_owner(census)
    debris = np.isin(census.object_class, ("PD", "RD"))
    verdict = np.array([r["VERDICT"] for r in compliance])
    rows = []
    for owner in np.unique(census.owner):
        mine = census.owner == owner
        judged = mine & (verdict != "NOT_APPLICABLE")
        compliant = int((mine & (verdict == "COMPLIANT")).sum())
        row: dict[str, Any] = {"OWNER": str(owner), "OBJECTS": int(mine.sum())}
        for cls in ("PL", "PD", "RB", "RD", "UI"):
            row[cls] = int((mine & (census.object_class == cls)).sum())
        for orbit in ("LEO", "MEO", "GEO"):
            row[f"IN_{orbit}"] = int((mine & (census.orbit_class == orbit)).sum())
        row["DEBRIS_ATTRIBUTED"] = int((debris & (attributed == owner)).sum())
        row["DISPOSAL_JUDGED"] = int(judged.sum())
        row["COMPLIANT"] = compliant
        row["COMPLIANT_SHARE"] = round(compliant / judged.sum(), 3) if judged.any() else None
        row["IN_CROWDED_SHELLS"] = int((mine & crosses).sum())
        if conjunctions is not None:
            events, red = conjunctions.get(str(owner), (0, 0))
            row["CONJUNCTIONS"], row["RED_CONJUNCTIONS"] = events, red
        rows.append(row)
    rows.sort(key=lambda r: (-r["OBJECTS"], r["OWNER"]))
    return rows
