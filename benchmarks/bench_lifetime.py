"""Re-entry hindcast and speed of ``orbitwatch lifetime``.

    python benchmarks/bench_lifetime.py [--db FILE]

Loads ``catalogs/spacetrack_full_2022-01-25.3le`` (no SATCAT) into a fresh database (or
uses --db), predicts every object's re-entry with ``space_weather/sw19571001.txt``, and
compares with the decay dates of ``satcat/celestrak_satcat_2025-03-06.csv`` for the
objects that came down by 2025-03-06 (Starlink left out: they manoeuvre). Prints the
median absolute error as a share of the true remaining lifetime, the share within 25 %,
the same by true-lifetime band and perigee band, the COSMOS 1408 debris cohort on its
own, the share of objects below 500 km still in orbit on 2025-03-06 that were
predicted down before it, the share whose true re-entry falls within the printed
interval, and the spread of predicted / true lifetime that lifetime.MEASURED_SPREAD
holds. Data from $ORBITWATCH_DATA (default ../shared/data).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
from shared_data import shared_data_dir

from orbitwatch.catalog import CatalogStore, take_snapshot
from orbitwatch.core.time import datetime_to_us
from orbitwatch.environment.lifetime import LEO_APOGEE_KM, predict_lifetimes
from orbitwatch.environment.space_weather import read_space_weather

TRUTH_DATE = date(2025, 3, 6)


def _satcat(path: Path) -> dict[int, tuple[str | None, str]]:
    out = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            decay = (row.get("decay_date") or "")[:10] or None
            out[int(row["norad_cat_id"])] = (decay, row.get("object_id") or "")
    return out


def _summary(label: str, rel: np.ndarray) -> None:
    if not len(rel):
        print(f"  {label:<34} no objects")
        return
    print(f"  {label:<34} n={len(rel):5d}  median |error| {np.median(np.abs(rel)):6.1%}  "
          f"within 25% {np.mean(np.abs(rel) <= 0.25):6.1%}  median signed {np.median(rel):+6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    data = shared_data_dir()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "h.db"
        if not db.is_file():
            subprocess.run([sys.executable, "-m", "orbitwatch", "catalog", "load", "--db",
                            str(db), str(data / "catalogs/spacetrack_full_2022-01-25.3le")],
                           check=True)
        with CatalogStore(db) as store:
            newest = store.db.execute("SELECT MAX(epoch_us) FROM element_sets").fetchone()[0]
            at = datetime.fromtimestamp(newest / 1e6, UTC)
            snap = take_snapshot(store, at, include_analyst=True)
            weather = read_space_weather(data / "reference/space_weather/sw19571001.txt")
            t = time.perf_counter()
            result = predict_lifetimes(snap, weather, store=store, use_cache=False)
            elapsed = time.perf_counter() - t
    print(f"{len(snap):,} objects at {at.isoformat()}: predicted in {elapsed:.1f} s "
          f"(density table included, not cached)")
    sources, counts = np.unique(result.b_source, return_counts=True)
    print("  BC_SOURCE: " + ", ".join(f"{s} {c}" for s, c in zip(sources, counts, strict=True)))
    truth = _satcat(data / "satcat/celestrak_satcat_2025-03-06.csv")
    at_us = datetime_to_us(at)
    truth_cut = datetime_to_us(datetime(2025, 3, 6, tzinfo=UTC))
    rel, true_days, perigee, cohort, inside, source, numbers, apogee = ([] for _ in range(8))
    below_500_up, below_500_early = 0, 0
    names = [es.object_name or "" for es in snap.element_sets]
    for k, norad in enumerate(snap.norad_cat_id.tolist()):
        decay, cospar = truth.get(norad, (None, ""))
        if "STARLINK" in names[k]:
            continue
        pred = int(result.decay_us[k])
        if decay and date.fromisoformat(decay) <= TRUTH_DATE:
            true_us = datetime_to_us(datetime.fromisoformat(decay + "T12:00:00+00:00"))
            if true_us <= at_us:
                continue
            true_life = (true_us - at_us) / 86_400e6
            pred_life = (pred - at_us) / 86_400e6 if pred >= 0 else 1e9
            rel.append((pred_life - true_life) / true_life)
            late = int(result.late_us[k])
            inside.append(int(result.early_us[k]) <= true_us
                          and (late < 0 or true_us <= late + 86_400e6))  # a date: its day
            source.append(str(result.b_source[k]))
            apogee.append(float(result.apogee_km[k]))
            numbers.append(norad)
            true_days.append(true_life)
            perigee.append(result.perigee_km[k])
            cohort.append(cospar.startswith("1982-092"))
        elif decay is None and norad in truth and result.perigee_km[k] < 500:
            below_500_up += 1
            below_500_early += 0 <= pred <= truth_cut
    rel_a, days_a, per_a, coh = (np.array(x) for x in (rel, true_days, perigee, cohort))
    print("Hindcast against the SATCAT of 2025-03-06 (Starlink left out):")
    _summary("all that came down", rel_a)
    _summary("COSMOS 1408 debris (1982-092)", rel_a[coh])
    _summary("all but COSMOS 1408 debris", rel_a[~coh])
    for lo, hi, label in ((0, 90, "< 90 d"), (90, 365, "90-365 d"), (365, 730, "1-2 y"),
                          (730, 1e9, "> 2 y")):
        _summary(f"true lifetime {label}", rel_a[(days_a >= lo) & (days_a < hi)])
    for lo, hi in ((0, 300), (300, 400), (400, 500), (500, 600), (600, 1e9)):
        _summary(f"perigee {lo}-{hi if hi < 1e9 else ''} km", rel_a[(per_a >= lo) & (per_a < hi)])
    inside_a, source_a, numbers_a = np.array(inside), np.array(source), np.array(numbers)
    print(f"  true re-entry within DECAY_EARLY_UTC..DECAY_LATE_UTC: {inside_a.mean():.1%} "
          f"of {len(inside_a)}")
    apogee_a = np.array(apogee)
    for label, group in (("apogee within LEO", apogee_a <= LEO_APOGEE_KM),
                         ("apogee above LEO", apogee_a > LEO_APOGEE_KM)):
        print(f"  {label}: n={group.sum()}, median predicted / true lifetime "
              f"{np.median(1.0 + rel_a[group]):.3f}, within the interval "
              f"{inside_a[group].mean():.1%}")
    holds = (source_a == "NDOT") & (apogee_a <= LEO_APOGEE_KM)
    ratio = 1.0 + rel_a[holds]  # predicted / true remaining lifetime
    for label, half in (("all", ratio), ("odd numbers", ratio[numbers_a[holds] % 2 == 1]),
                        ("even numbers", ratio[numbers_a[holds] % 2 == 0])):
        q10, q90 = np.quantile(half, [0.1, 0.9])
        print(f"  BC_SOURCE NDOT, apogee within LEO, {label}: n={len(half)}, predicted / true "
              f"lifetime 10-90 %: {q10:.3f}-{q90:.3f} (lifetime.MEASURED_SPREAD)")
    share = below_500_early / below_500_up if below_500_up else float("nan")
    print(f"  below 500 km and still up on 2025-03-06: {below_500_up}, predicted down before "
          f"it: {below_500_early} ({share:.1%})")


if __name__ == "__main__":
    main()
