"""Measure the class mix that `orbitwatch catalog synth` reproduces.

Usage: python tools/measure_catalog_mix.py [DATA_DIR]   (default ../shared/data)

Population: the active payloads of CelesTrak's 'active' group (2026-07-12) plus the
debris, rocket bodies and inactive payloads of Space-Track's full catalog of
2022-01-25 (classified with the SATCAT types of 2025-03-06). Prints the fraction of
each class; the numbers are copied into orbitwatch/catalog/synth.py (CLASS_FRACTIONS).
"""

from __future__ import annotations

import collections
import os
import sys
from pathlib import Path

from orbitwatch.formats import parse_satcat_csv, read_elements

MU = 398600.4418  # km**3/s**2
RE = 6378.137


def classify(name: str, n_rev_day: float, ecc: float, inc: float, otype: str) -> str:
    a = (MU / (n_rev_day * 2 * 3.141592653589793 / 86400) ** 2) ** (1 / 3)
    perigee, apogee = a * (1 - ecc) - RE, a * (1 + ecc) - RE
    upper = (name or "").upper()
    if ecc > 0.25:
        return "heo"
    if 0.95 < n_rev_day < 1.05:
        return "geo"
    if 1.7 < n_rev_day < 2.6 and 50 < inc < 70:
        return "meo_navigation"
    if apogee > 2000:
        return "meo_other"
    if otype == "DEBRIS":
        return "leo_debris"
    if otype == "ROCKET BODY":
        return "leo_rocket_body"
    for key in ("STARLINK", "ONEWEB", "KUIPER", "QIANFAN", "GUOWANG", "HULIANWANG"):
        if key in upper:
            return "leo_constellation"
    if 95.0 < inc < 101.0 and perigee > 400:
        return "leo_sun_synchronous"
    return "leo_other"


def main(data: Path) -> None:
    sat = parse_satcat_csv((data / "satcat/celestrak_satcat_2025-03-06.csv").read_text())
    types = {r.norad_cat_id: r.object_type for r in sat.records}
    active = read_elements((data / "catalogs/celestrak_active_2026-07-12.csv").read_text())
    full = read_elements((data / "catalogs/spacetrack_full_2022-01-25.3le").read_text())
    active_ids = {es.norad_cat_id for es in active}
    population = list(active) + [
        es for es in full if es.norad_cat_id not in active_ids
        and types.get(es.norad_cat_id) in ("DEBRIS", "ROCKET BODY", "UNKNOWN", "PAYLOAD")
    ]
    counts = collections.Counter(
        classify(es.object_name or "", es.mean_motion, es.eccentricity, es.inclination,
                 "PAYLOAD" if es.norad_cat_id in active_ids else types.get(es.norad_cat_id, ""))
        for es in population
    )
    total = sum(counts.values())
    print(f"population: {total} objects ({len(active)} active payloads 2026 + "
          f"{total - len(active)} other objects 2022)")
    for name, n in counts.most_common():
        print(f"  {name:22s} {n:6d}  {n / total:.4f}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ORBITWATCH_DATA",
                                                                  "../shared/data")))
