"""The risk of a stored screening run, computed once and stored with it, so that every
report, page, filter, sort and export of the run is a read.

The Pc of each event depends on the run alone (both states at TCA and the objects' facts
are stored with it) and on the hard-body radius table; the risk is stored with the
radius table's marker and computed again only when that table changes. A read-only
catalog, or a radius table given for one call, gets the risk computed into this
connection's temporary schema instead: the same tables, the same queries.

Tables: ``run_risk_runs`` (one row per run whose risk is stored), ``run_risk_<run id>``
(one row per report row: an event, or the events of a docked stack at one TCA grouped,
numbered ``event`` from 1 in TCA order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from orbitwatch.catalog.store import CatalogStore
from orbitwatch.database import Database
from orbitwatch.errors import InputError, NotFoundError
from orbitwatch.reports.conjunctions import (
    ConjunctionReport,
    conjunction_row,
    model_and_radius,
    run_risk_columns,
)
from orbitwatch.risk.covariance_model import assumed_sigma_rtn_m
from orbitwatch.risk.events import RED, YELLOW
from orbitwatch.risk.hbr import Radius
from orbitwatch.screening.runs import event_rowids, load_run, run_provenance

_RUNS_TABLE = """
CREATE TABLE IF NOT EXISTS {s}.run_risk_runs (
    run_id INTEGER PRIMARY KEY,
    radii_marker TEXT NOT NULL,        -- the radius table the Pc used (CatalogStore)
    computed_utc TEXT NOT NULL,
    n_rows INTEGER NOT NULL,
    skipped INTEGER NOT NULL           -- events without states, left out
)"""

#: One table per run (``run_risk_<run id>``), indexed once after it is written: rows
#: written into indexes shared by every run cost several times more, in random order.
_RISK_TABLE = """
CREATE TABLE {t} (
    event INTEGER PRIMARY KEY,         -- 1, 2, ... in TCA order
    conjunction_rowid INTEGER NOT NULL,  -- the stored event (conjunctions.rowid)
    norad_cat_id_1 INTEGER NOT NULL, norad_cat_id_2 INTEGER NOT NULL,
    owner_a TEXT NOT NULL, owner_b TEXT NOT NULL,  -- the two SATCAT owner codes as
    --                                    screened, in order ('unknown' for none)
    tca_us INTEGER NOT NULL,
    range_km REAL NOT NULL, speed_km_s REAL NOT NULL,
    pc REAL, pc_max REAL, max_prob REAL, dilution_km REAL,  -- NULL: not computable
    hbr_m REAL NOT NULL,
    doubtful INTEGER NOT NULL,
    stack TEXT, grouped_events INTEGER NOT NULL
)"""
_RISK_COLUMNS = ("event", "conjunction_rowid", "norad_cat_id_1", "norad_cat_id_2", "owner_a",
                 "owner_b", "tca_us", "range_km", "speed_km_s", "pc", "pc_max", "max_prob",
                 "dilution_km", "hbr_m", "doubtful", "stack", "grouped_events")
_RISK_INDEXES = ("pc", "max_prob", "range_km", "speed_km_s", "norad_cat_id_1",
                 "norad_cat_id_2", "owner_a, owner_b, pc, max_prob, range_km")


def risk_table(schema: str, run_id: int) -> str:
    return f"{schema}.run_risk_{int(run_id)}"


#: Sort keys: the stored column (each has an index: a page is a short index walk), and
#: whether the largest comes first by default. Events are numbered in TCA order.
SORT_COLUMNS = {"tca": ("event", False), "range": ("range_km", False),
                "speed": ("speed_km_s", False), "pc": ("pc", True),
                "maxprob": ("max_prob", True)}

_OBJECT_FIELDS = ("norad_cat_id", "object_name", "object_id", "object_type", "owner",
                  "rcs_m2", "element_set_id", "epoch_us", "regime", "perigee_km")
_STATES = tuple(f"{v}{side}_{axis}_{unit}" for side in "12"
                for v, unit in (("r", "km"), ("v", "km_s")) for axis in "xyz")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which rows of a run: one object's, one CARA band's, up to a range, from a Pc."""

    object_id: int | None = None
    band: str | None = None  # red, yellow, green
    max_range_km: float | None = None
    min_pc: float | None = None

    def sql(self) -> tuple[str, list[Any]]:
        where, args = [], []
        if self.object_id is not None:
            where.append("(norad_cat_id_1 = ? OR norad_cat_id_2 = ?)")
            args += [self.object_id, self.object_id]
        if self.band == "red":
            where.append("pc >= ?")
            args.append(RED)
        elif self.band == "yellow":
            where.append("pc >= ? AND pc < ?")
            args += [YELLOW, RED]
        elif self.band == "green":
            where.append("pc < ?")
            args.append(YELLOW)
        elif self.band is not None:
            raise InputError(f"unknown band {self.band!r}: red, yellow or green")
        if self.max_range_km is not None:
            where.append("range_km <= ?")
            args.append(self.max_range_km)
        if self.min_pc is not None:
            where.append("pc >= ?")
            args.append(self.min_pc)
        return "".join(f" AND {w}" for w in where), args


@dataclass(slots=True)
class Page:
    total: int  # rows that pass the filter
    rows: list[dict[str, Any]]  # the page's report rows, each with EVENT


@dataclass(slots=True)
class RunRisk:
    """The stored (or, for this connection, computed) risk of one run."""

    store: CatalogStore
    run_id: int
    schema: str  # the database's main schema: stored with the run; its temporary
    #              schema: this connection only
    provenance: dict[str, Any]
    radii: dict[int, Radius] | None  # the radius table given for this call, if any
    skipped: int
    computed: bool = False  # computed by this call (not read)

    @property
    def db(self) -> Database:
        return self.store.db

    @property
    def table(self) -> str:
        return risk_table(self.schema, self.run_id)

    def _ordered(self, sort: str, desc: bool | None, where: EventFilter | None,
                 ) -> tuple[str, str, list[Any]]:
        """SQL (FROM ... WHERE ..., ORDER BY ...) and its arguments for rows in ``sort``
        order (``desc`` default: largest first for pc and maxprob), NaN last, ties by
        range then event."""
        if sort not in SORT_COLUMNS:
            raise InputError(f"unknown sort {sort!r}: one of {', '.join(SORT_COLUMNS)}")
        column, largest_first = SORT_COLUMNS[sort]
        desc = largest_first if desc is None else desc
        cond, args = (where or EventFilter()).sql()
        order = f"{self.db.nulls_last(column, desc)}, range_km, event"  # NaN is NULL
        return f"FROM {self.table} WHERE TRUE{cond}", f"ORDER BY {order}", args

    def page(self, *, sort: str = "tca", desc: bool | None = None,
             where: EventFilter | None = None, limit: int | None = None,
             offset: int = 0) -> Page:
        """Rows ``offset`` to ``offset + limit`` (None: all) in ``sort`` order."""
        rows, order, args = self._ordered(sort, desc, where)
        total = self.db.execute(f"SELECT COUNT(*) {rows}", args).fetchone()[0]
        events = [r[0] for r in self.db.execute(
            f"SELECT event {rows} {order} LIMIT ? OFFSET ?",
            (*args, self.db.no_limit if limit is None else limit, offset))]
        return Page(total, self._build(events, with_states=False)[0])

    def _events(self, sort: str, desc: bool | None, where: EventFilter | None) -> list[int]:
        """Every event number that passes the filter, in ``sort`` order."""
        rows, order, args = self._ordered(sort, desc, where)
        return [r[0] for r in self.db.execute(f"SELECT event {rows} {order}", args)]

    def pieces(self, *, sort: str = "tca", desc: bool | None = None,
               where: EventFilter | None = None, size: int = 5000,
               ) -> Iterator[list[dict[str, Any]]]:
        """Every row in ``sort`` order, ``size`` at a time (an export: one ordered read,
        not one page query per piece)."""
        events = self._events(sort, desc, where)
        for start in range(0, len(events), size):
            yield self._build(events[start:start + size], with_states=False)[0]

    def report(self, sort: str = "maxprob", where: EventFilter | None = None,
               ) -> ConjunctionReport:
        """Every row (filtered, sorted) with its states, as one report."""
        rows, states = self._build(self._events(sort, None, where))
        return ConjunctionReport(self.run_id, self.provenance, rows, states, self.skipped)

    def event(self, event: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """One row (by its EVENT number) and its states; NotFoundError if none."""
        n = self.count()
        if not 1 <= event <= n:
            raise NotFoundError(f"run {self.run_id} has no event {event} (it has {n})")
        rows, states = self._build([event])
        return rows[0], states[0]

    def states(self, events: list[int]) -> list[dict[str, Any]]:
        """Both states at TCA (TEME, km, km/s), the assumed RTN 1-sigmas (m) and both
        objects' facts of these events: what a CDM or the encounter geometry needs."""
        return self._build(events)[1]

    def count(self) -> int:
        return self.db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]

    def _details(self, events: list[int]) -> dict[int, dict[str, Any]]:
        """Per event number: the risk row, the stored event and both objects as
        screened, read in pieces of at most 500 events."""
        risk_cols = ("event", "pc", "pc_max", "max_prob", "dilution_km", "hbr_m",
                     "doubtful", "stack", "grouped_events")
        event_cols = ("norad_cat_id_1", "norad_cat_id_2", "tca_us", "miss_m",
                      "rel_speed_m_s", "dse_1_days", "dse_2_days", *_STATES)
        select = ", ".join([*(f"r.{c}" for c in risk_cols), *(f"c.{c}" for c in event_cols),
                            *(f"o1.{c}" for c in _OBJECT_FIELDS),
                            *(f"o2.{c}" for c in _OBJECT_FIELDS)])
        names = [*risk_cols, *event_cols, *(f"{c}_1o" for c in _OBJECT_FIELDS),
                 *(f"{c}_2o" for c in _OBJECT_FIELDS)]
        out: dict[int, dict[str, Any]] = {}
        main = self.db.main_schema
        for start in range(0, len(events), 500):
            part = events[start:start + 500]
            for r in self.db.execute(
                    f"SELECT {select} FROM {self.table} r"
                    f" JOIN {main}.conjunctions c ON c.rowid = r.conjunction_rowid"
                    f" JOIN {main}.run_objects o1 ON o1.run_id = c.run_id AND o1.idx = c.idx_1"
                    f" JOIN {main}.run_objects o2 ON o2.run_id = c.run_id AND o2.idx = c.idx_2"
                    f" WHERE r.event IN ({', '.join('?' * len(part))})", part):
                d = dict(zip(names, r, strict=True))
                out[d["event"]] = d
        return out

    def _build(self, events: list[int], with_states: bool = True,
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The report rows and (``with_states``) the states of these events, from one
        read of them and one of the stored radius table."""
        details = self._details(events)
        objects = {}
        for d in details.values():
            for side in (1, 2):
                obj = {c: d[f"{c}_{side}o"] for c in _OBJECT_FIELDS}
                objects[obj["norad_cat_id"]] = obj
        radii = self.radii
        if radii is None:
            radii = {k: Radius(m, src)
                     for k, (m, src) in self.store.stored_radii(objects).items()}
        facts = {n: model_and_radius(n, o["regime"], o["perigee_km"], o["object_type"],
                                     o["rcs_m2"], radii) for n, o in objects.items()}
        rows, states = [], []
        for event in events:
            d = details[event]
            n1, n2 = d["norad_cat_id_1o"], d["norad_cat_id_2o"]
            (m1, r1), (m2, r2) = facts[n1], facts[n2]
            row = conjunction_row(
                d, d["object_name_1o"], d["object_name_2o"], d["owner_1o"], d["owner_2o"],
                d["pc"], d["pc_max"], d["max_prob"], d["dilution_km"], d["hbr_m"],
                d["doubtful"], (m1, m2), (r1.source, r2.source), d["stack"],
                d["grouped_events"])
            rows.append({"EVENT": event, **row})
            if not with_states:
                continue
            state: dict[str, Any] = {"tca_us": int(d["tca_us"])}
            for side, obj in ((1, objects[n1]), (2, objects[n2])):
                for v, unit in (("r", "km"), ("v", "km_s")):
                    state[f"{v}{side}_{unit}"] = np.array(
                        [d[f"{v}{side}_{axis}_{unit}"] for axis in "xyz"], float)
                state[f"sigma{side}_m"] = assumed_sigma_rtn_m(facts[obj["norad_cat_id"]][0],
                                                              d[f"dse_{side}_days"])
                state[f"object_{side}"] = {
                    "norad_cat_id": obj["norad_cat_id"], "object_name": obj["object_name"],
                    "object_id": obj["object_id"], "object_type": obj["object_type"],
                    "owner": obj["owner"], "epoch_us": int(obj["epoch_us"] or 0)}
                state[f"element_set_id_{side}"] = int(obj["element_set_id"])
            states.append(state)
        return rows, states


def conjunction_report(store: CatalogStore, run_id: int, *, sort: str = "maxprob",
                       cara_hbr: dict[int, Radius] | None = None,
                       object_id: int | None = None) -> ConjunctionReport:
    """Every row of run ``run_id`` (of catalog number ``object_id`` only, when given)
    with its risk and states, sorted (maxprob, pc: largest first; range, tca, speed:
    smallest first). Hard-body radii: ``cara_hbr`` when given, else the radius table
    stored with the catalog (``orbitwatch catalog radii``), else defaults."""
    risk = open_run_risk(store, run_id, radii=cara_hbr)
    return risk.report(sort, EventFilter(object_id=object_id))


def conjunctions_by_owner(store: CatalogStore, run_id: int,
                          ) -> dict[str, tuple[int, int]] | None:
    """Per SATCAT owner: (report rows its objects are in, red ones) of a run's stored
    risk; None when the run's risk is not stored."""
    db = store.db
    if not db.has_table(f"run_risk_{int(run_id)}"):  # stored without its risk
        return None
    table = risk_table(db.main_schema, run_id)
    red = "CASE WHEN pc >= ? THEN 1 ELSE 0 END"
    rows = db.execute(
        f"SELECT owner, COUNT(*), SUM(red) FROM (SELECT owner_a owner, {red} red FROM "
        f"{table} UNION ALL SELECT owner_b, {red} FROM {table} WHERE owner_b != "
        "owner_a) AS sides GROUP BY owner", (RED, RED)).fetchall()
    return {owner: (int(n), int(red or 0)) for owner, n, red in rows}


def _marker(store: CatalogStore) -> str:
    return repr(store.radii_marker())


def open_run_risk(store: CatalogStore, run_id: int, *,
                  radii: dict[int, Radius] | None = None,
                  progress: Callable[[str], None] | None = None) -> RunRisk:
    """The risk of run ``run_id``: read when stored for the current radius table;
    otherwise computed (``progress`` hears what is being done) and stored with the run,
    or, on a read-only catalog or with ``radii`` given for this call, kept in this
    connection's TEMP schema."""
    provenance = run_provenance(store, run_id)
    marker = _marker(store)
    if radii is None:
        skipped = _stored(store, run_id, marker)
        if skipped is not None:
            return RunRisk(store, run_id, store.db.main_schema, provenance, None, skipped)
    own = radii is not None or store.read_only
    schema = store.db.temp_schema if own else store.db.main_schema
    skipped = _compute(store, run_id, schema, marker, radii, progress)
    return RunRisk(store, run_id, schema, provenance, radii, skipped, computed=True)


def _stored(store: CatalogStore, run_id: int, marker: str) -> int | None:
    """``skipped`` of a run's risk stored for this radius table; None when not stored."""
    db = store.db
    if not db.has_table("run_risk_runs"):  # a catalog from before stored risk
        return None
    row = db.execute(
        f"SELECT skipped FROM {db.main_schema}.run_risk_runs WHERE run_id = ? AND "
        "radii_marker = ?", (run_id, marker)).fetchone()
    return None if row is None else row[0]


def _compute(store: CatalogStore, run_id: int, schema: str, marker: str,
             radii: dict[int, Radius] | None,
             progress: Callable[[str], None] | None) -> int:
    """Compute the risk of every event of the run and write it in one transaction."""
    result = load_run(store, run_id)
    if progress:
        progress(f"computing the risk of the {len(result.events):,} events of run "
                 f"{run_id} once; later reports read it")
    if radii is None:
        radii = {k: Radius(m, src)
                 for k, (m, src) in store.stored_radii(result.objects.norad_cat_id).items()}
    cols = run_risk_columns(result, radii)
    rowids = event_rowids(store, run_id)
    if len(rowids) != len(result.events):
        raise NotFoundError(f"run {run_id} changed while its risk was computed")
    ev = result.events[cols.events]
    o = result.objects
    i1, i2 = ev["idx_1"].astype(np.int64), ev["idx_2"].astype(np.int64)

    def nullable(a: np.ndarray) -> list[float | None]:
        return [x if x == x else None for x in a.tolist()]

    rows = zip(
        range(1, len(ev) + 1), rowids[cols.events].tolist(),
        ev["norad_cat_id_1"].tolist(), ev["norad_cat_id_2"].tolist(),
        *zip(*(sorted((o.owner[a] or "unknown", o.owner[b] or "unknown"))
               for a, b in zip(i1.tolist(), i2.tolist(), strict=True)), strict=True),
        ev["tca_us"].tolist(), (ev["miss_m"] / 1000.0).tolist(),
        (ev["rel_speed_m_s"] / 1000.0).tolist(), nullable(cols.pc), nullable(cols.pc_max),
        nullable(cols.max_prob), nullable(cols.dilution_km), cols.hbr_m.tolist(),
        cols.doubtful.astype(int).tolist(), cols.stack, cols.grouped_events.tolist(),
        strict=True)
    db = store.db
    table = risk_table(schema, run_id)
    with db.transaction():
        # another process may be storing a run's risk (this one's, or creating the
        # shared table): one after the other, a later one replacing identical rows
        db.serialize("run_risk")
        db.execute(db.ddl(_RUNS_TABLE.format(s=schema)))
        db.execute(f"DELETE FROM {schema}.run_risk_runs WHERE run_id = ?", (run_id,))
        db.execute(f"DROP TABLE IF EXISTS {table}")
        db.execute(db.ddl(_RISK_TABLE.format(t=table)))
        db.copy_rows(table, _RISK_COLUMNS, rows)
        for k, columns in enumerate(_RISK_INDEXES):
            db.create_index(f"run_risk_{int(run_id)}_{k}", schema,
                            f"run_risk_{int(run_id)}", columns)
        db.execute(f"INSERT INTO {schema}.run_risk_runs VALUES (?, ?, ?, ?, ?)",
                   (run_id, marker, datetime.now(UTC).isoformat(timespec="seconds"),
                    len(ev), cols.skipped))
    # statistics, so that the planner takes the object indexes for an object's events
    db.execute(f"ANALYZE {table}")
    return cols.skipped
