"""orbitwatch and astroz side by side on one catalog: wall time, events, and the
differences between the two event lists.

    python benchmarks/bench_vs_astroz.py --astroz-python /path/to/venv/bin/python \
        [--days 7] [CATALOG]

astroz (PyPI) lives only in its own virtual environment; this script runs it there as a
subprocess on TLE text written from the same elements, then runs orbitwatch here.
CATALOG defaults to $ORBITWATCH_DATA/catalogs/celestrak_active_2026-07-12.csv.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
from shared_data import shared_data_dir

from orbitwatch.catalog.snapshot import Snapshot
from orbitwatch.core.time import datetime_to_us, format_epoch, us_to_datetime
from orbitwatch.formats import read_elements
from orbitwatch.formats.tle import write_tle
from orbitwatch.screening import EngineSettings, screen

ASTROZ_SCRIPT = r"""
import json, resource, sys, time
from datetime import datetime, timezone
import numpy as np
import astroz
tle_path, start, minutes, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
c = astroz.Constellation(open(tle_path).read())
t0 = time.perf_counter()
ev = astroz.screen(c, minutes, threshold=5.0, step=1.0,
                   start_time=datetime.fromisoformat(start).replace(tzinfo=timezone.utc))
wall = time.perf_counter() - t0
sat = np.asarray(c.satnums)
np.savez(out, a=sat[np.asarray(ev.i)], b=sat[np.asarray(ev.j)], time=np.asarray(ev.time),
         distance=np.asarray(ev.distance), speed=np.asarray(ev.speed))
print(json.dumps({"wall_s": wall, "events": len(ev.i),
                  "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6}))
"""


def main() -> None:
    data = shared_data_dir()
    ap = argparse.ArgumentParser()
    ap.add_argument("catalog", nargs="?",
                    default=str(data / "catalogs" / "celestrak_active_2026-07-12.csv"))
    ap.add_argument("--astroz-python", required=True)
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--astroz-result", help="an .npz to keep astroz's events in, and to "
                    "read them back from on a later run instead of running astroz again")
    args = ap.parse_args()
    path = Path(args.catalog)
    elements = sorted(read_elements(path.read_text(), source=str(path)).records,
                      key=lambda e: e.norad_cat_id)
    newest = max(e.epoch_us for e in elements)
    at = us_to_datetime(newest - newest % 3_600_000_000)
    # both screeners get the same TLE text, so that rounding to the TLE's digits
    # cannot make a difference between them
    tle_text = write_tle(elements, name_lines=True)
    elements = read_elements(tle_text, source="catalog.tle").records
    saved = Path(args.astroz_result) if args.astroz_result else None
    if saved and saved.exists():
        astroz_stats = json.loads(saved.with_suffix(".json").read_text())
        az = dict(np.load(saved))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            tle = Path(tmp) / "catalog.tle"
            tle.write_text(tle_text)
            out = Path(tmp) / "astroz.npz"
            proc = subprocess.run(
                [args.astroz_python, "-c", ASTROZ_SCRIPT, str(tle), format_epoch(at),
                 str(args.days * 1440), str(out)], capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                sys.exit(f"astroz failed: {proc.stderr[-2000:]}")
            astroz_stats = json.loads(proc.stdout.strip().splitlines()[-1])
            az = dict(np.load(out))
        if saved:
            np.savez(saved, **az)
            saved.with_suffix(".json").write_text(json.dumps(astroz_stats))
    snap = Snapshot.from_elements(elements, at)
    n = len(elements)
    t0 = time.perf_counter()
    result = screen(snap, duration=timedelta(days=args.days), volume=5.0,
                    settings=EngineSettings())
    wall = time.perf_counter() - t0
    ev = result.events
    start_us = datetime_to_us(at)
    ours = _pair_minima(ev["norad_cat_id_1"], ev["norad_cat_id_2"], ev["miss_m"] / 1e3,
                        ev["rel_speed_m_s"] / 1e3, (ev["tca_us"] - start_us) / 60e6)
    theirs = _pair_minima(az["a"], az["b"], az["distance"], az["speed"], az["time"])
    slow = {tuple(sorted((int(a), int(b)))) for a, b in
            zip(result.formation["norad_cat_id_1"], result.formation["norad_cat_id_2"],
                strict=True)}
    failed = {f.norad_cat_id: f for f in result.failures}
    print(f"{path.name}: {n} objects, {args.days:g} days, 5 km, start {format_epoch(at)}Z")
    print(f"  astroz:     {astroz_stats['wall_s']:.1f} s screen, {astroz_stats['events']} events,"
          f" {len(theirs)} pairs, peak {astroz_stats['peak_rss_gb']:.2f} GB")
    print(f"  orbitwatch: {wall:.1f} s (all included), {len(ev)} events, "
          f"{len(ours)} pairs, {len(result.formation)} formation pairs, "
          f"{len(result.failures)} failing objects")
    print(f"  ratio astroz/orbitwatch wall: {astroz_stats['wall_s'] / wall:.2f}")
    _differences("astroz pairs not among our events", theirs, ours, slow, failed)
    _differences("our pairs not among astroz's events", ours, theirs, slow, failed)


def _pair_minima(a, b, distance_km, speed_km_s, minutes) -> dict:
    """Least distance (km) of each pair, the relative speed (km/s) and the time there
    (minutes from the window start)."""
    best: dict[tuple[int, int], tuple[float, float, float]] = {}
    for x, y, d, v, t in zip(a.tolist(), b.tolist(), np.asarray(distance_km).tolist(),
                             np.asarray(speed_km_s).tolist(), np.asarray(minutes).tolist(),
                             strict=True):
        key = (min(x, y), max(x, y))
        if key not in best or d < best[key][0]:
            best[key] = (d, v, t)
    return best


def _differences(title, these, those, slow, failed) -> None:
    """Classify the pairs of ``these`` that ``those`` lacks."""
    extra = sorted(set(these) - set(those))
    classes: dict[str, list] = {"formation pair (ours: reported as formation)": [],
                                "object failing SGP4 in the window": [],
                                "least distance within 10 m of the 5 km threshold": [],
                                "other": []}
    for pair in extra:
        d = these[pair][0]
        if pair in slow:
            classes["formation pair (ours: reported as formation)"].append(pair)
        elif pair[0] in failed or pair[1] in failed:
            classes["object failing SGP4 in the window"].append(pair)
        elif d > 4.99:
            classes["least distance within 10 m of the 5 km threshold"].append(pair)
        else:
            classes["other"].append(pair)
    print(f"  {title}: {len(extra)}")
    for name, pairs in classes.items():
        if pairs:
            print(f"    {name}: {len(pairs)}")
    for name in list(classes)[1:]:
        for pair in classes[name][:15]:
            d, v, t = these[pair]
            fails = "; ".join(f"{k} fails from {failed[k].first_failure_utc} "
                              f"({failed[k].message})" for k in pair if k in failed)
            print(f"      {pair[0]}-{pair[1]}: least distance {d:.4f} km, relative speed "
                  f"{v:.4f} km/s, {t:.2f} min after the start. {fails}")


if __name__ == "__main__":
    main()
