"""Screening runs kept in the catalog database, with their provenance, so runs can be
listed, shown again and compared. One transaction per run."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

import numpy as np

from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.orbit import orbit_regime, perigee_altitude_km
from orbitwatch.core.time import iso_ms, us_to_split_jd
from orbitwatch.errors import NotFoundError, StoreError
from orbitwatch.propagation.sgp4_batch import satrec_from_elements
from orbitwatch.screening.results import (
    EVENT_DTYPE,
    FORMATION_DTYPE,
    ObjectTable,
    PropagationFailure,
    ScreeningResult,
)

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
CREATE TABLE IF NOT EXISTS run_objects (  -- the objects of a run's events, as screened
    run_id INTEGER NOT NULL REFERENCES screening_runs(run_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,              -- the object's row within the run
    norad_cat_id INTEGER NOT NULL,
    object_name TEXT, object_id TEXT,  -- name, COSPAR designator
    object_type TEXT, owner TEXT,      -- SATCAT type and owner code at screening time
    rcs_m2 REAL,                       -- SATCAT radar cross-section, m^2
    element_set_id INTEGER NOT NULL,   -- -1: supplied to the run, not stored
    epoch_us INTEGER,                  -- element-set epoch, us since 1970-01-01 UTC
    regime TEXT, perigee_km REAL,      -- from the mean elements (core.orbit)
    is_primary INTEGER NOT NULL,
    PRIMARY KEY (run_id, idx)
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

#: Columns added since the first schema: the objects' rows within the run, and both
#: states at TCA (TEME of date, km and km/s), so reports read rather than recompute.
_STATE_COLUMNS = tuple(f"{v}{side}_{axis}_{unit}" for side in "12"
                       for v, unit in (("r", "km"), ("v", "km_s")) for axis in "xyz")
_ADDED_COLUMNS = {
    "conjunctions": ("idx_1 INTEGER", "idx_2 INTEGER",
                     *(f"{c} REAL" for c in _STATE_COLUMNS)),
    "formation_pairs": ("idx_1 INTEGER", "idx_2 INTEGER"),
}
_EVENT_COLUMNS = ("norad_cat_id_1", "norad_cat_id_2", "tca_us", "miss_m", "rel_speed_m_s",
                  "miss_r_m", "miss_t_m", "miss_n_m", "dse_1_days", "dse_2_days", "entry_s",
                  "exit_s")
_OBJECT_COLUMNS = ("idx", "norad_cat_id", "object_name", "object_id", "object_type", "owner",
                   "rcs_m2", "element_set_id", "epoch_us", "regime", "perigee_km",
                   "is_primary")


def _ensure(store: CatalogStore) -> sqlite3.Connection:
    conn = store.conn
    if store.read_only:
        _check_readable(store)
        return conn
    conn.executescript(_SCHEMA)
    for table, columns in _ADDED_COLUMNS.items():
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        for column in columns:
            if column.split()[0] not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    _upgrade_runs_without_states(store)
    return conn


def _check_readable(store: CatalogStore) -> None:
    """A read-only store can be read as it is: its run tables exist (or there are no
    runs) and none needs the one-time upgrade."""
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    if "screening_runs" not in tables:
        raise NotFoundError(f"no screening run stored in {store.path}")
    columns = {r[1] for r in store.conn.execute("PRAGMA table_info(conjunctions)")}
    if "idx_1" not in columns or "run_objects" not in tables:
        raise StoreError(f"{store.path} holds runs stored by an earlier version; open it "
                         "once writable (any orbitwatch runs command) to upgrade them")


def _upgrade_runs_without_states(store: CatalogStore) -> None:
    """Runs stored before states and object facts were kept with them: compute both once
    (SGP4 at TCA on the element sets the run used; SATCAT facts as stored now) and write
    them in, so that every later read is a plain read. Events whose element sets were
    supplied to the run and never stored keep NaN states."""
    conn = store.conn
    done = conn.execute("SELECT value FROM meta WHERE key = 'runs_with_states'").fetchone()
    if done:
        return
    legacy = [r[0] for r in conn.execute(
        "SELECT DISTINCT run_id FROM conjunctions WHERE idx_1 IS NULL UNION "
        "SELECT DISTINCT run_id FROM formation_pairs WHERE idx_1 IS NULL")]
    try:
        conn.execute("BEGIN IMMEDIATE")
        for run_id in legacy:
            _upgrade_run(store, run_id)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('runs_with_states', '1')")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _upgrade_run(store: CatalogStore, run_id: int) -> None:
    conn = store.conn
    events = conn.execute(
        "SELECT rowid, norad_cat_id_1, norad_cat_id_2, element_set_id_1, element_set_id_2,"
        " object_name_1, object_name_2, tca_us FROM conjunctions WHERE run_id = ?",
        (run_id,)).fetchall()
    pairs = conn.execute(
        "SELECT rowid, norad_cat_id_1, norad_cat_id_2, object_name_1, object_name_2"
        " FROM formation_pairs WHERE run_id = ?", (run_id,)).fetchall()
    sets = store.element_sets_by_id([e[3] for e in events] + [e[4] for e in events])
    keys: dict[tuple[int, int], int] = {}  # (catalog number, element set id) -> idx
    names: dict[int, str | None] = {}
    for e in events:
        for norad, es_id, name in ((e[1], e[3], e[5]), (e[2], e[4], e[6])):
            keys.setdefault((norad, -1 if es_id is None else es_id), len(keys))
            names[norad] = name
    by_norad = {norad: idx for (norad, _), idx in keys.items()}
    for f in pairs:
        for norad, name in ((f[1], f[3]), (f[2], f[4])):
            if norad not in by_norad:
                by_norad[norad] = keys.setdefault((norad, -1), len(keys))
                names[norad] = name
    info = store.object_info(norad for norad, _ in keys)
    n = len(keys)
    objects = ObjectTable(
        np.zeros(n, np.int64), [None] * n, [None] * n, [None] * n, np.zeros(n, np.int64),
        np.full(n, -1, np.int64), np.zeros(n, bool), [None] * n, np.full(n, np.nan),
        np.full(n, "other", "U5"), np.full(n, np.nan))
    for (norad, es_id), k in keys.items():
        facts = info.get(norad, {})
        objects.norad_cat_id[k], objects.element_set_id[k] = norad, es_id
        objects.object_name[k] = names.get(norad)
        objects.object_type[k], objects.owner[k] = facts.get("object_type"), facts.get("owner")
        objects.rcs_m2[k] = facts.get("rcs_m2") or np.nan
        es = sets.get(es_id)
        if es is not None:
            objects.object_id[k], objects.epoch_us[k] = es.object_id, es.epoch_us
            objects.regime[k] = orbit_regime(es.mean_motion, es.eccentricity)
            objects.perigee_km[k] = perigee_altitude_km(es.mean_motion, es.eccentricity)
    _insert_objects(conn, run_id, objects, np.arange(n))
    updates = []
    for e in events:
        k1 = keys[(e[1], -1 if e[3] is None else e[3])]
        k2 = keys[(e[2], -1 if e[4] is None else e[4])]
        state = [np.nan] * 12
        if e[3] in sets and e[4] in sets:
            jd, fr = us_to_split_jd(e[7])
            state = []
            for es in (sets[e[3]], sets[e[4]]):
                _, r, v = satrec_from_elements(es).sgp4(jd, fr)
                state += [*r, *v]
        updates.append((k1, k2, *state, e[0]))
    conn.executemany(
        f"UPDATE conjunctions SET idx_1 = ?, idx_2 = ?, "
        f"{', '.join(f'{c} = ?' for c in _STATE_COLUMNS)} WHERE rowid = ?", updates)
    conn.executemany("UPDATE formation_pairs SET idx_1 = ?, idx_2 = ? WHERE rowid = ?",
                     [(by_norad[f[1]], by_norad[f[2]], f[0]) for f in pairs])


def _state_values(ev: np.ndarray) -> np.ndarray:
    """(n, 12) r1, v1, r2, v2 of events, in the order of ``_STATE_COLUMNS``."""
    return np.concatenate([ev[k].reshape(len(ev), 3)
                           for k in ("r1_km", "v1_km_s", "r2_km", "v2_km_s")], axis=1)


def save_run(store: CatalogStore, result: ScreeningResult) -> int:
    """Store a run, its events with both states at TCA, and the facts of their objects as
    screened, in one transaction; returns its run id."""
    conn = _ensure(store)
    p = result.provenance
    o = result.objects
    ev, fo = result.events, result.formation
    used = np.unique(np.concatenate((ev["idx_1"], ev["idx_2"], fo["idx_1"], fo["idx_2"]))
                     .astype(np.int64))
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
        _insert_objects(conn, run_id, o, used)
        i1, i2 = ev["idx_1"], ev["idx_2"]
        columns = ("run_id", *_EVENT_COLUMNS, "object_name_1", "object_name_2",
                   "element_set_id_1", "element_set_id_2", "idx_1", "idx_2", *_STATE_COLUMNS)
        rows = zip([run_id] * len(ev), *(ev[c].tolist() for c in _EVENT_COLUMNS),
                   [o.object_name[k] for k in i1], [o.object_name[k] for k in i2],
                   o.element_set_id[i1].tolist(), o.element_set_id[i2].tolist(),
                   i1.tolist(), i2.tolist(), *_state_values(ev).T.tolist(), strict=True)
        conn.executemany(f"INSERT INTO conjunctions ({', '.join(columns)}) VALUES "
                         f"({', '.join('?' * len(columns))})", rows)
        conn.executemany(
            "INSERT INTO formation_pairs (run_id, norad_cat_id_1, norad_cat_id_2,"
            " object_name_1, object_name_2, min_distance_m, time_us, rel_speed_m_s, idx_1,"
            " idx_2) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(run_id, int(f["norad_cat_id_1"]), int(f["norad_cat_id_2"]),
              o.object_name[int(f["idx_1"])], o.object_name[int(f["idx_2"])],
              float(f["min_distance_m"]), int(f["time_us"]), float(f["rel_speed_m_s"]),
              int(f["idx_1"]), int(f["idx_2"])) for f in fo])
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


def _insert_objects(conn: sqlite3.Connection, run_id: int, o: ObjectTable,
                    rows: np.ndarray) -> None:
    def nullable(x: float) -> float | None:
        return None if not np.isfinite(x) else float(x)

    conn.executemany(
        f"INSERT INTO run_objects (run_id, {', '.join(_OBJECT_COLUMNS)}) VALUES "
        f"({', '.join('?' * (len(_OBJECT_COLUMNS) + 1))})",
        [(run_id, k, int(o.norad_cat_id[k]), o.object_name[k], o.object_id[k],
          o.object_type[k], o.owner[k], nullable(o.rcs_m2[k]), int(o.element_set_id[k]),
          int(o.epoch_us[k]), str(o.regime[k]), nullable(o.perigee_km[k]),
          int(bool(o.primary[k]))) for k in rows.tolist()])


def list_runs(store: CatalogStore, limit: int = 20) -> list[dict[str, Any]]:
    try:
        conn = _ensure(store)
    except NotFoundError:  # a read-only catalog that never had a run
        return []
    rows = conn.execute(
        "SELECT run_id, created_utc, snapshot_id, window_start, window_end, volume, scope,"
        " n_events, n_formation, n_failures, software FROM screening_runs"
        " ORDER BY run_id DESC LIMIT ?", (limit,)).fetchall()
    keys = ("RUN_ID", "CREATED_UTC", "SNAPSHOT_ID", "WINDOW_START", "WINDOW_END", "VOLUME",
            "SCOPE", "EVENTS", "FORMATION_PAIRS", "PROPAGATION_FAILURES", "SOFTWARE")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def load_run(store: CatalogStore, run_id: int, object_id: int | None = None,
             ) -> ScreeningResult:
    """A stored run as it was screened: events with both states at TCA, formation pairs,
    failures, provenance, and the objects of its events (``objects`` holds those only;
    the events' ``idx_1`` / ``idx_2`` are rows of it). Only the events and formation
    pairs of catalog number ``object_id`` when given. Nothing is recomputed."""
    conn = _ensure(store)
    provenance = run_provenance(store, run_id)
    counts = provenance.pop("counts", {})
    which = "" if object_id is None else " AND ? IN (norad_cat_id_1, norad_cat_id_2)"
    args = (run_id,) if object_id is None else (run_id, object_id)
    data = conn.execute(
        f"SELECT {', '.join(_EVENT_COLUMNS)}, idx_1, idx_2, {', '.join(_STATE_COLUMNS)} "
        f"FROM conjunctions WHERE run_id = ?{which} ORDER BY tca_us, rowid", args).fetchall()
    ev = np.zeros(len(data), EVENT_DTYPE)
    table = np.array(data, dtype=np.float64).reshape(
        len(data), len(_EVENT_COLUMNS) + 2 + len(_STATE_COLUMNS))  # NULL -> NaN
    for k, c in enumerate(_EVENT_COLUMNS):
        ev[c] = [r[k] for r in data] if ev.dtype[c].kind == "i" else table[:, k]
    n = len(_EVENT_COLUMNS)
    ev["idx_1"], ev["idx_2"] = table[:, n], table[:, n + 1]
    states = table[:, n + 2:]
    for k, name in enumerate(("r1_km", "v1_km_s", "r2_km", "v2_km_s")):
        ev[name] = states[:, 3 * k:3 * k + 3]
    fdata = conn.execute(
        "SELECT idx_1, idx_2, norad_cat_id_1, norad_cat_id_2, min_distance_m, time_us,"
        f" rel_speed_m_s FROM formation_pairs WHERE run_id = ?{which} ORDER BY rowid",
        args).fetchall()
    fo = np.array([tuple(r) for r in fdata], FORMATION_DTYPE)
    failures = [PropagationFailure(*r) for r in conn.execute(
        "SELECT norad_cat_id, first_failure_utc, code, message FROM propagation_failures"
        " WHERE run_id = ? ORDER BY norad_cat_id", (run_id,))]
    objects = _load_objects(conn, run_id)
    # the run's object rows -> rows of the table returned
    used = np.unique(np.concatenate((ev["idx_1"], ev["idx_2"], fo["idx_1"], fo["idx_2"]))
                     .astype(np.int64))
    position = {int(idx): k for k, idx in enumerate(objects.pop("idx").tolist())}
    rows = np.array([position[k] for k in used.tolist()], np.int64)
    table_rows = ObjectTable(**objects).take(rows)
    renumber = np.zeros(int(used.max()) + 1 if len(used) else 0, np.int64)
    renumber[used] = np.arange(len(used))
    for arr in (ev, fo):
        arr["idx_1"], arr["idx_2"] = renumber[arr["idx_1"]], renumber[arr["idx_2"]]
    return ScreeningResult(ev, fo, table_rows, failures, provenance, counts, run_id)


def run_provenance(store: CatalogStore, run_id: int) -> dict[str, Any]:
    """What a run screened and how (window, volume, scope, snapshot, software, counts);
    NotFoundError when the store has no such run."""
    row = _ensure(store).execute("SELECT provenance_json FROM screening_runs WHERE "
                                 "run_id = ?", (run_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no screening run {run_id} in {store.path}")
    return json.loads(row[0])


def event_rowids(store: CatalogStore, run_id: int) -> np.ndarray:
    """The stored rows (SQLite rowids) of a run's events, in the order ``load_run`` gives
    its events: what other tables use to refer to one event."""
    conn = _ensure(store)
    return np.array([r[0] for r in conn.execute(
        "SELECT rowid FROM conjunctions WHERE run_id = ? ORDER BY tca_us, rowid",
        (run_id,))], np.int64)


def _load_objects(conn: sqlite3.Connection, run_id: int) -> dict:
    rows = conn.execute(f"SELECT {', '.join(_OBJECT_COLUMNS)} FROM run_objects"
                        " WHERE run_id = ? ORDER BY idx", (run_id,)).fetchall()
    col = dict(zip(_OBJECT_COLUMNS, zip(*rows, strict=True) if rows else
                   [()] * len(_OBJECT_COLUMNS), strict=True))

    def floats(name: str) -> np.ndarray:
        return np.array([np.nan if x is None else x for x in col[name]], np.float64)

    return {
        "idx": np.array(col["idx"], np.int64),
        "norad_cat_id": np.array(col["norad_cat_id"], np.int64),
        "object_name": list(col["object_name"]), "object_type": list(col["object_type"]),
        "owner": list(col["owner"]),
        "epoch_us": np.array([x or 0 for x in col["epoch_us"]], np.int64),
        "element_set_id": np.array(col["element_set_id"], np.int64),
        "primary": np.array(col["is_primary"], bool),
        "object_id": list(col["object_id"]), "rcs_m2": floats("rcs_m2"),
        "regime": np.array([r or "other" for r in col["regime"]], "U5"),
        "perigee_km": floats("perigee_km"),
    }


def compare_runs(store: CatalogStore, run_a: int, run_b: int,
                 tca_match_s: float = 60.0) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per approach of either run: in both (same pair, TCA within
    ``tca_match_s``) with the changes in TCA and miss, or only in A, or only in B, each
    with both objects' numbers and names and the TCA it has. Also notes: what a reader
    must know to read the rows (runs over different windows or volumes)."""
    a, b = load_run(store, run_a), load_run(store, run_b)
    notes = []
    pa, pb = a.provenance, b.provenance
    if (pa["window_start"], pa["window_end"]) != (pb["window_start"], pb["window_end"]):
        notes.append(f"the runs cover different windows (run {run_a}: {pa['window_start']} .."
                     f" {pa['window_end']}; run {run_b}: {pb['window_start']} .. "
                     f"{pb['window_end']}): an approach outside one window is listed as "
                     "only in the other run")
    if pa["volume"] != pb["volume"]:
        notes.append(f"the runs screened different volumes (run {run_a}: {pa['volume']}; "
                     f"run {run_b}: {pb['volume']})")

    def key(run: ScreeningResult, k: int) -> tuple[int, int]:
        e = run.events[k]
        return int(e["norad_cat_id_1"]), int(e["norad_cat_id_2"])

    def names(run: ScreeningResult, k: int) -> tuple[str | None, str | None]:
        e = run.events[k]
        return (run.objects.object_name[int(e["idx_1"])],
                run.objects.object_name[int(e["idx_2"])])

    by_pair: dict[tuple[int, int], list[int]] = {}
    for k in range(len(b.events)):
        by_pair.setdefault(key(b, k), []).append(k)
    used: set[int] = set()
    rows: list[dict[str, Any]] = []

    def row(status: str, run: ScreeningResult, k: int, other: int | None = None) -> dict:
        e = run.events[k]
        n1, n2 = names(run, k)
        out = {"IN": status, "NORAD_CAT_ID_1": key(run, k)[0], "OBJECT_NAME_1": n1,
               "NORAD_CAT_ID_2": key(run, k)[1], "OBJECT_NAME_2": n2,
               f"TCA_{run_a}": None, f"TCA_{run_b}": None,
               f"MISS_M_{run_a}": None, f"MISS_M_{run_b}": None, "TCA_SHIFT_S": None}
        side = run_a if run is a else run_b
        out[f"TCA_{side}"] = iso_ms(int(e["tca_us"]))
        out[f"MISS_M_{side}"] = round(float(e["miss_m"]), 2)
        if other is not None:
            f = b.events[other]
            out[f"TCA_{run_b}"] = iso_ms(int(f["tca_us"]))
            out[f"MISS_M_{run_b}"] = round(float(f["miss_m"]), 2)
            out["TCA_SHIFT_S"] = (int(f["tca_us"]) - int(e["tca_us"])) / 1e6
        return out

    for k in range(len(a.events)):
        tca = int(a.events["tca_us"][k])
        match = next((m for m in by_pair.get(key(a, k), []) if m not in used
                      and abs(int(b.events["tca_us"][m]) - tca) <= tca_match_s * 1e6), None)
        if match is None:
            rows.append(row(f"only {run_a}", a, k))
        else:
            used.add(match)
            rows.append(row("both", a, k, match))
    rows += [row(f"only {run_b}", b, k) for k in range(len(b.events)) if k not in used]
    return rows, notes
