"""Screening runs kept in the catalog database, with their provenance, so runs can be
listed, shown again and compared. One transaction per run."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

import numpy as np

from orbitwatch.catalog.store import CatalogStore
from orbitwatch.errors import NotFoundError
from orbitwatch.screening.results import EVENT_DTYPE, ScreeningResult

_SCHEMA = """
CREATE TABLE IF NOT EXISTS screening_runs (
    run_id INTEGER PRIMARY KEY,
    created_utc TEXT NOT NULL,
    snapshot_id TEXT NOT NULL,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    volume TEXT NOT NULL,
    scope TEXT NOT NULL,
    software TEXT NOT NULL,
    n_events INTEGER NOT NULL,
    n_formation INTEGER NOT NULL,
    n_failures INTEGER NOT NULL,
    provenance_json TEXT NOT NULL      -- everything needed to re-run and compare
);
CREATE TABLE IF NOT EXISTS conjunctions (
    run_id INTEGER NOT NULL REFERENCES screening_runs(run_id) ON DELETE CASCADE,
    norad_cat_id_1 INTEGER NOT NULL,
    norad_cat_id_2 INTEGER NOT NULL,
    object_name_1 TEXT, object_name_2 TEXT,
    element_set_id_1 INTEGER, element_set_id_2 INTEGER,  -- -1: supplied, not stored
    tca_us INTEGER NOT NULL,           -- microseconds since 1970-01-01 UTC
    miss_m REAL NOT NULL,
    rel_speed_m_s REAL NOT NULL,
    miss_r_m REAL, miss_t_m REAL, miss_n_m REAL,  -- object 2 - object 1, RTN of object 1
    dse_1_days REAL, dse_2_days REAL,
    entry_s REAL, exit_s REAL          -- volume entry / exit, s from TCA
);
CREATE INDEX IF NOT EXISTS conjunctions_run ON conjunctions(run_id, tca_us);
CREATE INDEX IF NOT EXISTS conjunctions_pair ON conjunctions(norad_cat_id_1, norad_cat_id_2);
CREATE TABLE IF NOT EXISTS formation_pairs (
    run_id INTEGER NOT NULL REFERENCES screening_runs(run_id) ON DELETE CASCADE,
    norad_cat_id_1 INTEGER NOT NULL,
    norad_cat_id_2 INTEGER NOT NULL,
    object_name_1 TEXT, object_name_2 TEXT,
    min_distance_m REAL NOT NULL,
    time_us INTEGER NOT NULL,
    rel_speed_m_s REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS propagation_failures (
    run_id INTEGER NOT NULL REFERENCES screening_runs(run_id) ON DELETE CASCADE,
    norad_cat_id INTEGER NOT NULL,
    first_failure_utc TEXT NOT NULL,
    code INTEGER NOT NULL,
    message TEXT NOT NULL
);
"""


def _ensure(store: CatalogStore) -> sqlite3.Connection:
    store.conn.executescript(_SCHEMA)
    return store.conn


def save_run(store: CatalogStore, result: ScreeningResult) -> int:
    """Store a run and its events in one transaction; returns its run id."""
    conn = _ensure(store)
    p = result.provenance
    o = result.objects
    ev, fo = result.events, result.formation
    try:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            "INSERT INTO screening_runs (created_utc, snapshot_id, window_start, window_end,"
            " volume, scope, software, n_events, n_formation, n_failures, provenance_json)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (datetime.now(UTC).isoformat(timespec="seconds"), p["snapshot_id"],
             p["window_start"], p["window_end"], p["volume"], p["scope"], p["software"],
             len(ev), len(fo), len(result.failures),
             json.dumps({**p, "counts": result.counts})))
        run_id = int(cur.lastrowid)
        i1, i2 = ev["idx_1"], ev["idx_2"]
        conn.executemany(
            "INSERT INTO conjunctions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            zip([run_id] * len(ev), ev["norad_cat_id_1"].tolist(),
                ev["norad_cat_id_2"].tolist(), [o.object_name[k] for k in i1],
                [o.object_name[k] for k in i2], o.element_set_id[i1].tolist(),
                o.element_set_id[i2].tolist(), ev["tca_us"].tolist(), ev["miss_m"].tolist(),
                ev["rel_speed_m_s"].tolist(), ev["miss_r_m"].tolist(), ev["miss_t_m"].tolist(),
                ev["miss_n_m"].tolist(), ev["dse_1_days"].tolist(), ev["dse_2_days"].tolist(),
                ev["entry_s"].tolist(), ev["exit_s"].tolist(), strict=True))
        conn.executemany(
            "INSERT INTO formation_pairs VALUES (?,?,?,?,?,?,?,?)",
            [(run_id, int(f["norad_cat_id_1"]), int(f["norad_cat_id_2"]),
              o.object_name[int(f["idx_1"])], o.object_name[int(f["idx_2"])],
              float(f["min_distance_m"]), int(f["time_us"]), float(f["rel_speed_m_s"]))
             for f in fo])
        conn.executemany(
            "INSERT INTO propagation_failures VALUES (?,?,?,?,?)",
            [(run_id, f.norad_cat_id, f.first_failure_utc, f.code, f.message)
             for f in result.failures])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    result.run_id = run_id
    return run_id


def list_runs(store: CatalogStore, limit: int = 20) -> list[dict[str, Any]]:
    conn = _ensure(store)
    rows = conn.execute(
        "SELECT run_id, created_utc, snapshot_id, window_start, window_end, volume, scope,"
        " n_events, n_formation, n_failures, software FROM screening_runs"
        " ORDER BY run_id DESC LIMIT ?", (limit,)).fetchall()
    keys = ("RUN_ID", "CREATED_UTC", "SNAPSHOT_ID", "WINDOW_START", "WINDOW_END", "VOLUME",
            "SCOPE", "EVENTS", "FORMATION_PAIRS", "PROPAGATION_FAILURES", "SOFTWARE")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def load_run_events(store: CatalogStore, run_id: int) -> tuple[dict[str, Any], np.ndarray,
                                                                list[str | None],
                                                                list[str | None]]:
    """(provenance, events as EVENT_DTYPE without object rows, names 1, names 2)."""
    prov, ev, names_1, names_2, _ = load_run(store, run_id)
    return prov, ev, names_1, names_2


def load_run(store: CatalogStore, run_id: int, object_id: int | None = None,
             ) -> tuple[dict[str, Any], np.ndarray, list[str | None], list[str | None],
                        np.ndarray]:
    """As :func:`load_run_events`, plus the (n, 2) element-set ids of both objects
    (-1 for element sets supplied to the run and not stored); only the events of catalog
    number ``object_id`` when given."""
    conn = _ensure(store)
    row = conn.execute("SELECT provenance_json FROM screening_runs WHERE run_id = ?",
                       (run_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no screening run {run_id} in {store.path}")
    cols = ("norad_cat_id_1", "norad_cat_id_2", "tca_us", "miss_m", "rel_speed_m_s",
            "miss_r_m", "miss_t_m", "miss_n_m", "dse_1_days", "dse_2_days", "entry_s", "exit_s")
    data = conn.execute(
        f"SELECT {', '.join(cols)}, element_set_id_1, element_set_id_2, object_name_1, "
        "object_name_2 FROM conjunctions WHERE run_id = ?"
        + ("" if object_id is None else " AND ? IN (norad_cat_id_1, norad_cat_id_2)")
        + " ORDER BY tca_us",
        (run_id,) if object_id is None else (run_id, object_id)).fetchall()
    ev = np.zeros(len(data), EVENT_DTYPE)
    for k, c in enumerate(cols):
        ev[c] = [r[k] for r in data]
    es_ids = np.array([(r[len(cols)] if r[len(cols)] is not None else -1,
                        r[len(cols) + 1] if r[len(cols) + 1] is not None else -1)
                       for r in data], np.int64).reshape(-1, 2)
    return (json.loads(row[0]), ev, [r[-2] for r in data], [r[-1] for r in data], es_ids)


def compare_runs(store: CatalogStore, run_a: int, run_b: int,
                 tca_match_s: float = 60.0) -> dict[str, list[dict[str, Any]]]:
    """Events only in A, only in B, and in both (same pair, TCA within ``tca_match_s``)
    with the change in miss distance."""
    _, ea, *_ = load_run_events(store, run_a)
    _, eb, *_ = load_run_events(store, run_b)

    def key(e: np.void) -> tuple[int, int]:
        return (int(e["norad_cat_id_1"]), int(e["norad_cat_id_2"]))

    by_pair: dict[tuple[int, int], list[int]] = {}
    for k, e in enumerate(eb):
        by_pair.setdefault(key(e), []).append(k)
    used: set[int] = set()
    both, only_a = [], []
    for e in ea:
        match = next((k for k in by_pair.get(key(e), []) if k not in used
                      and abs(int(eb["tca_us"][k]) - int(e["tca_us"])) <= tca_match_s * 1e6),
                     None)
        if match is None:
            only_a.append({"NORAD_CAT_ID_1": key(e)[0], "NORAD_CAT_ID_2": key(e)[1],
                           "MISS_M": float(e["miss_m"])})
            continue
        used.add(match)
        both.append({"NORAD_CAT_ID_1": key(e)[0], "NORAD_CAT_ID_2": key(e)[1],
                     "MISS_M_A": float(e["miss_m"]), "MISS_M_B": float(eb["miss_m"][match]),
                     "TCA_SHIFT_S": (int(eb["tca_us"][match]) - int(e["tca_us"])) / 1e6})
    only_b = [{"NORAD_CAT_ID_1": key(eb[k])[0], "NORAD_CAT_ID_2": key(eb[k])[1],
               "MISS_M": float(eb["miss_m"][k])} for k in range(len(eb)) if k not in used]
    return {"both": both, "only_a": only_a, "only_b": only_b}
