"""The catalog database: objects, every element set ever loaded, loads and rejects.

A SQLite file in WAL mode (readers never block the writer; the default) or a PostgreSQL
server (``--db postgresql://...``), through :mod:`orbitwatch.database`. A load is one
transaction: a process killed mid-load leaves the previous state intact. Element sets
are never overwritten; an identical element set loaded again adds nothing (unique
fingerprint).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import platformdirs

from orbitwatch.core.time import format_epoch, us_to_datetime
from orbitwatch.database import Database, DatabaseLocation, is_server_url, open_database
from orbitwatch.database.migrations import migrate, schema_version
from orbitwatch.errors import InputError, StoreError
from orbitwatch.formats.elements import ElementSet, Reject
from orbitwatch.formats.satcat import SatcatRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,            -- file path or URL
    kind TEXT NOT NULL,              -- 'elements' or 'satcat'
    format TEXT,
    sha256 TEXT,
    loaded_utc TEXT NOT NULL,
    n_read INTEGER NOT NULL,         -- records read from the source
    n_added INTEGER NOT NULL,        -- new rows stored
    n_duplicate INTEGER NOT NULL,    -- identical to rows already stored
    n_rejected INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS objects (
    norad_cat_id INTEGER PRIMARY KEY,
    object_name TEXT,
    object_id TEXT,                  -- COSPAR designator
    object_type TEXT,                -- PAYLOAD, ROCKET BODY, DEBRIS, UNKNOWN
    owner TEXT,                      -- SATCAT owner code (nation or organisation)
    launch_date TEXT,
    decay_date TEXT,
    rcs_m2 REAL,
    apogee_km REAL,
    perigee_km REAL,
    satcat_load_id INTEGER REFERENCES loads(load_id)
);
CREATE TABLE IF NOT EXISTS element_sets (
    element_set_id INTEGER PRIMARY KEY,
    norad_cat_id INTEGER NOT NULL,
    epoch_us INTEGER NOT NULL,       -- microseconds since 1970-01-01 UTC (exact)
    epoch_utc TEXT NOT NULL,
    mean_motion REAL NOT NULL,       -- rev/day
    eccentricity REAL NOT NULL,
    inclination REAL NOT NULL,       -- deg
    ra_of_asc_node REAL NOT NULL,    -- deg
    arg_of_pericenter REAL NOT NULL, -- deg
    mean_anomaly REAL NOT NULL,      -- deg
    bstar REAL NOT NULL,             -- 1/earth radii
    mean_motion_dot REAL NOT NULL,   -- rev/day**2 (as printed: ndot/2)
    mean_motion_ddot REAL NOT NULL,  -- rev/day**3 (as printed: nddot/6)
    object_name TEXT,
    object_id TEXT,
    classification_type TEXT NOT NULL,
    ephemeris_type INTEGER NOT NULL,
    element_set_no INTEGER NOT NULL,
    rev_at_epoch INTEGER NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    load_id INTEGER NOT NULL REFERENCES loads(load_id)
);
CREATE INDEX IF NOT EXISTS element_sets_by_object ON element_sets(norad_cat_id, epoch_us);
CREATE TABLE IF NOT EXISTS rejects (
    reject_id INTEGER PRIMARY KEY,
    load_id INTEGER NOT NULL REFERENCES loads(load_id),
    source TEXT NOT NULL,
    line_no INTEGER,
    field TEXT,
    reason TEXT NOT NULL,
    raw_text TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE
);
"""
_RADII_SCHEMA = """
CREATE TABLE IF NOT EXISTS hard_body_radii (  -- a user's radius table, given once
    norad_cat_id INTEGER PRIMARY KEY,
    hbr_m REAL NOT NULL,
    source TEXT NOT NULL,            -- where the value came from, as the table says
    table_file TEXT NOT NULL         -- the file it was loaded from
);
"""
#: The catalog's migrations, in order (``meta.schema_version`` counts those applied).
CATALOG_MIGRATIONS = (
    lambda db: db.script(_SCHEMA),
    lambda db: db.script(_RADII_SCHEMA),  # radius tables, added after version 1
)
_ES_COLUMNS = (
    "norad_cat_id", "epoch_us", "epoch_utc", "mean_motion", "eccentricity", "inclination",
    "ra_of_asc_node", "arg_of_pericenter", "mean_anomaly", "bstar", "mean_motion_dot",
    "mean_motion_ddot", "object_name", "object_id", "classification_type", "ephemeris_type",
    "element_set_no", "rev_at_epoch", "fingerprint", "load_id",
)


def default_db_path() -> Path:
    """``$ORBITWATCH_HOME/catalog.db``, else the user data directory."""
    return _home() / "catalog.db"


def _home() -> Path:
    home = os.environ.get("ORBITWATCH_HOME")
    return Path(home) if home else Path(platformdirs.user_data_dir("orbitwatch"))


def default_db_location() -> DatabaseLocation:
    """``$ORBITWATCH_DB`` (a file path or a ``postgresql://`` URL), else
    :func:`default_db_path`."""
    return os.environ.get("ORBITWATCH_DB") or default_db_path()


#: Rejects one load keeps with their raw text; the rest are counted only.
MAX_REJECTS_PER_LOAD = 1000


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What one load did: counts, and the first rejects with their reasons."""

    load_id: int
    source: str
    n_read: int
    n_added: int
    n_duplicate: int
    n_rejected: int
    rejects: tuple[Reject, ...] = ()
    notes: tuple[str, ...] = ()  # what the reader did that the user should know

    def summary(self) -> str:
        kept = (f" (the first {MAX_REJECTS_PER_LOAD} kept)"
                if self.n_rejected > MAX_REJECTS_PER_LOAD else "")
        notes = "".join(f"; {n}" for n in self.notes)
        return (f"{self.source}: {self.n_read} read, {self.n_added} added, "
                f"{self.n_duplicate} already stored, {self.n_rejected} rejected{kept}{notes}")


def _es_row(es: ElementSet, load_id: int) -> tuple:
    return (
        es.norad_cat_id, es.epoch_us, format_epoch(es.epoch), es.mean_motion, es.eccentricity,
        es.inclination, es.ra_of_asc_node, es.arg_of_pericenter, es.mean_anomaly, es.bstar,
        es.mean_motion_dot, es.mean_motion_ddot, es.object_name, es.object_id,
        es.classification_type, es.ephemeris_type, es.element_set_no, es.rev_at_epoch,
        es.fingerprint(), load_id,
    )


def element_set_from_row(row: Sequence[Any]) -> ElementSet:
    """Rebuild an ElementSet from an ``element_sets`` row (columns as in _ES_COLUMNS)."""
    (norad, epoch_us, _iso, n, e, i, raan, argp, m, bstar, ndot, nddot, name, cospar,
     cls, eph, elset, rev) = tuple(row)[:18]
    return ElementSet(
        norad_cat_id=norad, epoch=us_to_datetime(epoch_us), mean_motion=n, eccentricity=e,
        inclination=i, ra_of_asc_node=raan, arg_of_pericenter=argp, mean_anomaly=m,
        bstar=bstar, mean_motion_dot=ndot, mean_motion_ddot=nddot, object_name=name,
        object_id=cospar, classification_type=cls, ephemeris_type=eph,
        element_set_no=elset, rev_at_epoch=rev,
    )


def _visible_nul(text: str | None) -> str | None:
    """NUL bytes written as ``\\x00``: a rejected line keeps every other character, and
    PostgreSQL's text, which cannot hold NUL, takes it as SQLite's does."""
    return text if text is None or "\x00" not in text else text.replace("\x00", "\\x00")


def _pause_before_commit() -> None:
    """Fault injection for the crash tests: with ``ORBITWATCH_PAUSE_BEFORE_COMMIT`` naming
    a FIFO, a load announces its process id there once every row is in its open
    transaction, then waits to be killed, so a test kills it at exactly that point."""
    fifo = os.environ.get("ORBITWATCH_PAUSE_BEFORE_COMMIT")
    if fifo:
        with open(fifo, "w") as fh:  # blocks until the test opens the other end
            fh.write(f"{os.getpid()}\n")
        threading.Event().wait()


class CatalogStore:
    """A catalog database: a SQLite file or a PostgreSQL server. Use as a context
    manager, or call :meth:`close`. ``db`` is its :class:`~orbitwatch.database.Database`;
    ``path`` names it in messages (a file path, or the URL without its password)."""

    def __init__(self, path: DatabaseLocation | None = None, *, create: bool = True,
                 read_only: bool = False) -> None:
        """Open the catalog at ``path``: a file path or a ``postgresql://`` URL (default:
        ``$ORBITWATCH_DB``, else the user's file). ``create=False``: an InputError when
        there is no database file there (a mistyped ``--db`` must not make an empty one).
        ``read_only=True``: open a file for reading only (works on read-only files);
        nothing may be written through it."""
        location = default_db_location() if path is None else path
        self.read_only = read_only
        self.db: Database
        if is_server_url(location):
            self.db = open_database(str(location))
            self.path: Path | str = self.db.location
            self._migrate()
            return
        self.path = Path(location)
        if (not create or read_only) and not self.path.is_file():
            raise InputError(f"{self.path}: no catalog database there (check --db, "
                             "ORBITWATCH_DB or ORBITWATCH_HOME, or load a catalog first: "
                             "orbitwatch catalog load FILE)")
        if read_only:
            self._open_read_only()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"{self.path}: cannot create its folder ({err.strerror})")
        try:
            self.db = open_database(self.path)
            self._migrate()
        except sqlite3.OperationalError as err:
            if "readonly" in str(err) or "read-only" in str(err):
                raise StoreError(f"{self.path}: the database is read-only; this command "
                                 "writes to it (reading commands work on read-only files)")
            raise StoreError(f"{self.path}: cannot open the catalog database: {err}")
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: cannot open the catalog database: {err}")

    def _migrate(self) -> None:
        try:
            migrate(self.db, "catalog", CATALOG_MIGRATIONS)
        except BaseException:
            self.db.close()  # a store that cannot be used keeps no connection open
            raise

    def _open_read_only(self) -> None:
        try:
            self.db = open_database(self.path, read_only=True)
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: cannot open the catalog database: {err}")
        try:
            version = schema_version(self.db, "catalog")
            if version == 0:
                raise StoreError(f"{self.path}: not an orbitwatch catalog database")
            if version > len(CATALOG_MIGRATIONS):
                raise StoreError(f"{self.path}: made by a newer orbitwatch (catalog schema "
                                 f"version {version}); upgrade orbitwatch")
        except sqlite3.DatabaseError as err:
            self.db.close()
            raise StoreError(f"{self.path}: not an orbitwatch catalog database, or damaged "
                             f"({err})")
        except StoreError:
            self.db.close()
            raise

    @property
    def cache_dir(self) -> Path:
        """Where downloaded and derived files for this catalog are kept: beside a
        database file, else under ``$ORBITWATCH_HOME``."""
        base = self.path.parent if isinstance(self.path, Path) else _home()
        return base / "cache"

    def __enter__(self) -> CatalogStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # --- loading ------------------------------------------------------------------
    def _new_load(self, source: str, kind: str, fmt: str | None, sha256: str | None) -> int:
        return self.db.insert_returning_id(
            "INSERT INTO loads (source, kind, format, sha256, loaded_utc, n_read, n_added, "
            "n_duplicate, n_rejected) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0)",
            (source, kind, fmt, sha256, format_epoch(datetime.now(UTC))), "load_id")

    def _store_rejects(self, load_id: int, rejects: Iterable[Reject]) -> None:
        """Keep the first MAX_REJECTS_PER_LOAD rejects of a load (the load's row counts
        them all), so that a file of junk cannot fill the disk."""
        rejects = [replace(r, raw=_visible_nul(r.raw), reason=_visible_nul(r.reason))
                   for r in list(rejects)[:MAX_REJECTS_PER_LOAD]]
        self.db.executemany(
            "INSERT INTO rejects (load_id, source, line_no, field, reason, raw_text, "
            "fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING",
            [(load_id, r.source, r.line_no, r.field, r.reason, r.raw,
              hashlib.sha1(f"{r.source}|{r.line_no}|{r.reason}|{r.raw}".encode()).hexdigest())
             for r in rejects],
        )

    def _finish_load(self, load_id: int, n_read: int, n_added: int, n_rejected: int) -> None:
        self.db.execute(
            "UPDATE loads SET n_read=?, n_added=?, n_duplicate=?, n_rejected=? WHERE load_id=?",
            (n_read, n_added, n_read - n_added, n_rejected, load_id),
        )

    def load_elements(
        self, records: Iterable[ElementSet], rejects: Iterable[Reject] = (), *,
        source: str, fmt: str | None = None, sha256: str | None = None,
    ) -> LoadReport:
        """Store element sets and rejects from one source, in one transaction (through
        COPY on PostgreSQL)."""
        records = list(records)
        rejects = list(rejects)
        with self.db.transaction():
            load_id = self._new_load(source, "elements", fmt, sha256)
            # only an element set already stored is skipped; any other constraint
            # failure (a NULL where a value must be) stops the load instead of
            # dropping the record unseen
            n_added = self.db.insert_new_rows(
                "element_sets", _ES_COLUMNS, (_es_row(es, load_id) for es in records),
                unique=("fingerprint",))
            # Objects seen for the first time get a row with the element set's name.
            self.db.insert_new_rows(
                "objects", ("norad_cat_id", "object_name", "object_id"),
                {es.norad_cat_id: (es.norad_cat_id, es.object_name, es.object_id)
                 for es in records}.values(), unique=("norad_cat_id",))
            self._store_rejects(load_id, rejects)
            self._finish_load(load_id, len(records), n_added, len(rejects))
            _pause_before_commit()
        return LoadReport(load_id, source, len(records), n_added, len(records) - n_added,
                          len(rejects), tuple(rejects[:20]))

    def load_satcat(
        self, records: Iterable[SatcatRecord], rejects: Iterable[Reject] = (), *,
        source: str, sha256: str | None = None,
    ) -> LoadReport:
        """Store SATCAT metadata (replacing older metadata of the same objects)."""
        records = list(records)
        rejects = list(rejects)

        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        with self.db.transaction():
            load_id = self._new_load(source, "satcat", "csv", sha256)
            n_added = self.db.executemany(
                "INSERT INTO objects (norad_cat_id, object_name, object_id, object_type, owner, "
                "launch_date, decay_date, rcs_m2, apogee_km, perigee_km, satcat_load_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(norad_cat_id) DO UPDATE SET "
                "object_name=excluded.object_name, object_id=excluded.object_id, "
                "object_type=excluded.object_type, owner=excluded.owner, "
                "launch_date=excluded.launch_date, decay_date=excluded.decay_date, "
                "rcs_m2=COALESCE(excluded.rcs_m2, objects.rcs_m2), apogee_km=excluded.apogee_km, "
                "perigee_km=excluded.perigee_km, satcat_load_id=excluded.satcat_load_id",
                [(r.norad_cat_id, r.object_name, r.object_id, r.object_type, r.owner,
                  iso(r.launch_date), iso(r.decay_date), r.rcs_m2, r.apogee_km, r.perigee_km,
                  load_id) for r in records],
            )
            self._store_rejects(load_id, rejects)
            self._finish_load(load_id, len(records), n_added, len(rejects))
            _pause_before_commit()
        return LoadReport(load_id, source, len(records), n_added, len(records) - n_added,
                          len(rejects), tuple(rejects[:20]))

    # --- reading ------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        q = self.db.execute
        return {
            "objects": q("SELECT COUNT(*) FROM objects").fetchone()[0],
            "element_sets": q("SELECT COUNT(*) FROM element_sets").fetchone()[0],
            "loads": q("SELECT COUNT(*) FROM loads").fetchone()[0],
            "rejects": q("SELECT COUNT(*) FROM rejects").fetchone()[0],
        }

    def history(self, norad_cat_id: int) -> list[ElementSet]:
        """Every element set of one object, oldest epoch first."""
        rows = self.db.execute(
            f"SELECT {', '.join(_ES_COLUMNS[:18])} FROM element_sets WHERE norad_cat_id=? "
            "ORDER BY epoch_us", (norad_cat_id,),
        )
        return [element_set_from_row(r) for r in rows]

    def element_sets_by_id(self, ids: Iterable[int]) -> dict[int, ElementSet]:
        """Stored element sets by their ``element_set_id`` (ids not stored are absent)."""
        wanted = sorted({int(i) for i in ids if int(i) >= 0})
        out: dict[int, ElementSet] = {}
        for k in range(0, len(wanted), 900):  # SQLite's bound-parameter limit
            chunk = wanted[k:k + 900]
            rows = self.db.execute(
                f"SELECT element_set_id, {', '.join(_ES_COLUMNS[:18])} FROM element_sets "
                f"WHERE element_set_id IN ({', '.join('?' * len(chunk))})", chunk)
            out.update({r[0]: element_set_from_row(r[1:]) for r in rows})
        return out

    def object_info(self, norad_cat_ids: Iterable[int]) -> dict[int, dict]:
        """SATCAT facts (object_type, owner, rcs_m2, perigee_km, launch_date ISO) of
        objects that have them."""
        wanted = sorted({int(i) for i in norad_cat_ids})
        out: dict[int, dict] = {}
        for k in range(0, len(wanted), 900):
            chunk = wanted[k:k + 900]
            rows = self.db.execute(
                "SELECT norad_cat_id, object_type, owner, rcs_m2, perigee_km, launch_date "
                f"FROM objects WHERE norad_cat_id IN ({', '.join('?' * len(chunk))})", chunk)
            out.update({r[0]: {"object_type": r[1], "owner": r[2], "rcs_m2": r[3],
                               "perigee_km": r[4], "launch_date": r[5]} for r in rows})
        return out

    def search_objects(self, text: str | None = None, *, owner: str | None = None,
                       object_type: str | None = None, limit: int = 50,
                       offset: int = 0) -> tuple[int, list[dict]]:
        """Objects whose name contains ``text`` (case-insensitive) or whose catalog number
        or COSPAR id is ``text``, optionally of one owner code and type: ``(total, rows)``
        in catalog-number order, with the latest element set's epoch."""
        if any("\x00" in (v or "") for v in (text, owner, object_type)):
            return 0, []  # nothing stored holds a NUL (loads reject control characters)
        where, params = [], []
        if text:
            clause = "(UPPER(o.object_name) LIKE UPPER(?) ESCAPE '\\' OR o.object_id = ?"
            params += ["%" + text.replace("%", "\\%").replace("_", "\\_") + "%",
                       text.upper()]
            if text.isascii() and text.isdigit():  # '²' is a digit to isdigit
                clause += " OR o.norad_cat_id = ?"
                params.append(int(text))
            where.append(clause + ")")
        if owner:
            where.append("o.owner = ?")
            params.append(owner.upper())
        if object_type:
            where.append("o.object_type = ?")
            params.append(object_type.upper())
        sql_where = f"WHERE {' AND '.join(where)}" if where else ""
        total = self.db.execute(f"SELECT COUNT(*) FROM objects o {sql_where}",
                                  params).fetchone()[0]
        cur = self.db.execute(
            "SELECT o.norad_cat_id, o.object_name, o.object_id, o.object_type, o.owner, "
            "o.launch_date, o.decay_date, o.apogee_km, o.perigee_km, "
            "(SELECT MAX(epoch_utc) FROM element_sets e WHERE e.norad_cat_id = o.norad_cat_id)"
            f" FROM objects o {sql_where} ORDER BY o.norad_cat_id LIMIT ? OFFSET ?",
            [*params, limit, offset])
        keys = ("NORAD_CAT_ID", "OBJECT_NAME", "OBJECT_ID", "OBJECT_TYPE", "OWNER",
                "LAUNCH_DATE", "DECAY_DATE", "APOGEE_KM", "PERIGEE_KM", "LATEST_EPOCH_UTC")
        return total, [dict(zip(keys, r, strict=True)) for r in cur]

    def store_radii(self, radii: dict[int, tuple[float, str]], table_file: str) -> int:
        """Replace the stored radius table with ``radii`` (catalog number -> (metres,
        source)) in one transaction; returns how many were stored."""
        with self.db.transaction():
            self.db.execute("DELETE FROM hard_body_radii")
            self.db.executemany(
                "INSERT INTO hard_body_radii VALUES (?, ?, ?, ?)",
                [(k, m, src, table_file) for k, (m, src) in radii.items()])
        return len(radii)

    def stored_radii(self, norad_cat_ids: Iterable[int]) -> dict[int, tuple[float, str]]:
        """The stored table's radii (m) and sources of these objects (absent: not in it)."""
        wanted = sorted({int(i) for i in norad_cat_ids})
        out: dict[int, tuple[float, str]] = {}
        if not self.db.has_table("hard_body_radii"):  # a read-only file from before it
            return out
        for k in range(0, len(wanted), 900):
            chunk = wanted[k:k + 900]
            rows = self.db.execute(
                "SELECT norad_cat_id, hbr_m, source, table_file FROM hard_body_radii "
                f"WHERE norad_cat_id IN ({', '.join('?' * len(chunk))})", chunk)
            out.update({r[0]: (r[1], f"{r[2]} (stored table {Path(r[3]).name})")
                        for r in rows})
        return out

    def element_set_rows(self, columns: Iterable[str], *, start_us: int | None = None,
                         end_us: int | None = None,
                         norad_cat_ids: Iterable[int] | None = None) -> list[tuple]:
        """The named ``element_sets`` columns of every stored set with epoch in
        [start_us, end_us] (UTC us; None: open), of the given objects (None: all),
        ordered by object, then epoch, then storage order."""
        columns = list(columns)
        unknown = set(columns) - {"element_set_id", *_ES_COLUMNS}
        if unknown:
            raise ValueError(f"not element_sets columns: {sorted(unknown)}")
        where, args = ["TRUE"], []
        if start_us is not None:
            where.append("epoch_us >= ?")
            args.append(int(start_us))
        if end_us is not None:
            where.append("epoch_us <= ?")
            args.append(int(end_us))
        ids = None if norad_cat_ids is None else [int(n) for n in norad_cat_ids]
        if ids:
            where.append(f"norad_cat_id IN ({', '.join('?' * len(ids))})")
            args += ids
        return self.db.execute(
            f"SELECT {', '.join(columns)} FROM element_sets WHERE {' AND '.join(where)} "
            "ORDER BY norad_cat_id, epoch_us, element_set_id", args).fetchall()

    def newest_epoch_us(self) -> int | None:
        """The newest element-set epoch stored (UTC us), None for an empty catalog."""
        us = self.db.execute("SELECT MAX(epoch_us) FROM element_sets").fetchone()[0]
        return None if us is None else int(us)

    def newest_epoch_per_load(self) -> list[int]:
        """Per element-set load, the newest epoch it brought (UTC us)."""
        return [int(r[0]) for r in self.db.execute(
            "SELECT MAX(epoch_us) FROM element_sets GROUP BY load_id") if r[0] is not None]

    def latest_load_id(self) -> int | None:
        """The newest load's id: changes whenever anything is loaded (for caches)."""
        return self.db.execute("SELECT MAX(load_id) FROM loads").fetchone()[0]

    def radii_marker(self) -> tuple[int, float]:
        """Changes whenever the stored radius table does (for caches)."""
        if not self.db.has_table("hard_body_radii"):
            return 0, 0.0
        row = self.db.execute("SELECT COUNT(*), COALESCE(SUM(hbr_m), 0.0) FROM hard_body_radii"
                                ).fetchone()
        return int(row[0]), float(row[1])

    def purge_rejects(self) -> int:
        """Delete every stored reject (the loads keep their counts) and give the space
        back to the file system; returns how many were deleted."""
        with self.db.transaction():
            n = self.db.execute("DELETE FROM rejects").rowcount
        self.db.compact()
        return n

    def rejects(self, limit: int = 100) -> list[Reject]:
        rows = self.db.execute(
            "SELECT source, line_no, field, reason, raw_text FROM rejects "
            "ORDER BY reject_id DESC LIMIT ?", (limit,),
        )
        return [Reject(*r) for r in rows]

    def loads(self, limit: int = 20) -> list[dict]:
        cur = self.db.execute(
            "SELECT load_id, source, kind, loaded_utc, n_read, n_added, n_duplicate, n_rejected "
            "FROM loads ORDER BY load_id DESC LIMIT ?", (limit,),
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]
