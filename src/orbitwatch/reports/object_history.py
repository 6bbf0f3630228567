"""Per-object risk summary: every conjunction of one satellite across the stored
screening runs, with its Pc as each run saw it.

A conjunction seen by several runs (the same other object, TCA within ``tca_match_s``)
is one row per run, in run order, so that the Pc history of each approach reads down
the table: how the miss distance and Pc moved as newer element sets came in.
"""

from __future__ import annotations

from typing import Any

from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.time import iso_ms
from orbitwatch.reports.run_risk import conjunction_report
from orbitwatch.risk.hbr import Radius
from orbitwatch.screening.runs import list_runs

#: Two runs' events of the same pair are one conjunction when their TCAs differ by less.
TCA_MATCH_S = 60.0


def object_risk_history(store: CatalogStore, object_id: int, *,
                        cara_hbr: dict[int, Radius] | None = None,
                        tca_match_s: float = TCA_MATCH_S,
                        max_runs: int = 1000) -> list[dict[str, Any]]:
    """Rows of every event of ``object_id`` in every stored run (oldest run first),
    grouped into conjunctions: CONJUNCTION numbers the approach, RUN_ID / RUN_CREATED
    say which screening saw it, PC_CHANGE is the factor on the previous run's Pc of the
    same conjunction."""
    runs = sorted(list_runs(store, limit=max_runs), key=lambda r: r["RUN_ID"])
    # per conjunction: (other object, last TCA in us, last Pc)
    seen: list[tuple[int, int, float]] = []
    rows: list[dict[str, Any]] = []
    for run in runs:
        report = conjunction_report(store, run["RUN_ID"], sort="tca", cara_hbr=cara_hbr,
                                    object_id=object_id)
        for row, state in zip(report.rows, report.states, strict=True):
            other = (row["NORAD_CAT_ID_2"] if row["NORAD_CAT_ID_1"] == object_id
                     else row["NORAD_CAT_ID_1"])
            other_name = (row["OBJECT_NAME_2"] if row["NORAD_CAT_ID_1"] == object_id
                          else row["OBJECT_NAME_1"])
            tca_us = state["tca_us"]
            match = next((k for k, (o, t, _) in enumerate(seen)
                          if o == other and abs(t - tca_us) <= tca_match_s * 1e6), None)
            change = None
            if match is None:
                seen.append((other, tca_us, row["PC"]))
                match = len(seen) - 1
            else:
                previous = seen[match][2]
                change = row["PC"] / previous if previous > 0 else None
                seen[match] = (other, tca_us, row["PC"])
            rows.append({
                "CONJUNCTION": match + 1,
                "OTHER_NORAD_CAT_ID": other,
                "OTHER_NAME": other_name,
                "TCA": iso_ms(tca_us),
                "RUN_ID": run["RUN_ID"],
                "RUN_CREATED": run["CREATED_UTC"],
                "TCA_RANGE": row["TCA_RANGE"],
                "TCA_RELATIVE_SPEED": row["TCA_RELATIVE_SPEED"],
                "PC": row["PC"],
                "PC_BAND": row["PC_BAND"],
                "PC_CHANGE": change,
                "MAX_PROB": row["MAX_PROB"],
                "COVARIANCE": row["COVARIANCE"],
                "HBR_M": row["HBR_M"],
            })
    rows.sort(key=lambda r: (r["CONJUNCTION"], r["RUN_ID"]))
    return rows
