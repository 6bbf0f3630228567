"""The database layer behaves the same on a SQLite file and on a PostgreSQL server:
placeholders, transactions, skipped duplicates, COPY, temporary tables, NULL order,
NaN stored as NULL, schema versions and migrations, and one clear line when a server
cannot be had."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from orbitwatch.catalog import CatalogStore
from orbitwatch.catalog.store import CATALOG_MIGRATIONS
from orbitwatch.database import is_server_url, open_database, redact_url
from orbitwatch.database.connection import driver_errors
from orbitwatch.database.migrations import migrate, schema_version
from orbitwatch.errors import StoreError


@pytest.fixture()
def db(catalog_db):
    database = open_database(catalog_db)
    database.script("""
        CREATE TABLE IF NOT EXISTS t (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            big INTEGER,
            x REAL
        );""")
    yield database
    database.close()


def test_insert_new_rows_skips_stored_and_repeated_keys(db):
    assert db.insert_new_rows("t", ("key", "big"), [("a", 1), ("b", 2)], unique=("key",)) == 2
    # 'a' is stored already, 'c' comes twice in one batch
    added = db.insert_new_rows("t", ("key", "big"), [("a", 9), ("c", 3), ("c", 4)],
                               unique=("key",))
    assert added == 1
    assert db.execute("SELECT key, big FROM t ORDER BY key").fetchall() == [
        ("a", 1), ("b", 2), ("c", 3)]


def test_insert_new_rows_stops_on_other_failures(db):
    with pytest.raises(driver_errors()), db.transaction():
        db.insert_new_rows("t", ("key", "big"), [("a", 1), (None, 2)], unique=("key",))
    assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0  # rolled back


def test_integers_are_64_bit_and_ids_are_returned(db):
    epoch_us = 1_800_000_000_000_000  # microseconds in 2027: past 32 bits
    first = db.insert_returning_id("INSERT INTO t (key, big) VALUES (?, ?)", ("a", epoch_us),
                                   "id")
    second = db.insert_returning_id("INSERT INTO t (key) VALUES (?)", ("b",), "id")
    assert second == first + 1
    assert db.execute("SELECT big FROM t WHERE id = ?", (first,)).fetchone()[0] == epoch_us


def test_transaction_rolls_back_on_error(db):
    with pytest.raises(RuntimeError), db.transaction():
        db.execute("INSERT INTO t (key) VALUES (?)", ("a",))
        raise RuntimeError("stop")
    assert not db.in_transaction
    assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0
    with db.transaction():
        db.execute("INSERT INTO t (key) VALUES (?)", ("a",))
    assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 1


def test_nan_is_stored_as_null_and_sorts_last(db):
    db.copy_rows("t", ("key", "x"), [("a", 2.0), ("b", math.nan), ("c", 1.0)])
    db.executemany("INSERT INTO t (key, x) VALUES (?, ?)", [("d", math.nan), ("e", 3.0)])
    assert db.execute("SELECT COUNT(*) FROM t WHERE x IS NULL").fetchone()[0] == 2
    for desc, expected in ((True, ["e", "a", "c"]), (False, ["c", "a", "e"])):
        keys = [r[0] for r in db.execute(
            f"SELECT key FROM t ORDER BY {db.nulls_last('x', desc)}, key LIMIT ?",
            (db.no_limit,))]
        assert keys[:3] == expected and set(keys[3:]) == {"b", "d"}


def test_literal_percent_and_placeholders(db):
    db.execute("INSERT INTO t (key) VALUES (?)", ("50%_done",))
    rows = db.execute("SELECT key, 100 % 7 FROM t WHERE key LIKE ?", ("50%",)).fetchall()
    assert rows == [("50%_done", 2)]


def test_temporary_tables_are_this_connection_s(db, catalog_db):
    db.execute(db.ddl(f"CREATE TABLE {db.temp_schema}.scratch (v REAL)"))
    db.execute(f"INSERT INTO {db.temp_schema}.scratch VALUES (?)", (1.5,))
    assert "scratch" in db.table_names(db.temp_schema)
    assert "scratch" not in db.table_names()
    other = open_database(catalog_db)
    try:
        assert "scratch" not in other.table_names(other.temp_schema)
    finally:
        other.close()


def test_catalog_migrations_upgrade_an_old_store(catalog_db):
    # a catalog at schema version 1: no radius table yet
    database = open_database(catalog_db)
    migrate(database, "catalog", CATALOG_MIGRATIONS[:1])
    assert schema_version(database, "catalog") == 1
    assert not database.has_table("hard_body_radii")
    database.close()
    with CatalogStore(catalog_db) as store:
        assert schema_version(store.db, "catalog") == len(CATALOG_MIGRATIONS)
        assert store.store_radii({25544: (10.0, "table")}, "radii.csv") == 1


def test_a_store_from_a_newer_version_is_refused(catalog_db):
    with CatalogStore(catalog_db) as store:
        store.db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 99, newer than this orbitwatch"):
        CatalogStore(catalog_db)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orbitwatch", *args], capture_output=True,
                          text=True, timeout=120)


def test_wrong_password_is_one_line_without_the_password(pg_url):
    wrong = pg_url.replace(":orbitwatch@", ":not-the-password@", 1)
    assert wrong != pg_url and is_server_url(wrong)
    done = _cli("catalog", "info", "--db", wrong)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot connect to the PostgreSQL server" in lines[0]
    assert "not-the-password" not in done.stderr and redact_url(wrong) in lines[0]


def test_no_server_there_is_one_line():
    done = _cli("runs", "list", "--db", "postgresql://someone:pw@127.0.0.1:1/nothing")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "127.0.0.1" in lines[0] and "pw@" not in lines[0]


def test_a_url_that_is_not_one_is_bad_input():
    done = _cli("runs", "list", "--db", "postgresql://a:b@127.0.0.1:notaport/x")
    assert done.returncode in (1, 2)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("orbitwatch: error:")


def test_connections_are_reused_clean_and_alive(pg_url):
    import psycopg

    from tests.conftest import PG_SERVER

    first = open_database(pg_url)
    pid = first.execute("SELECT pg_backend_pid()").fetchone()[0]
    first.execute(first.ddl(f"CREATE TABLE {first.temp_schema}.mine (v REAL)"))
    first.close()
    second = open_database(pg_url)
    assert second.execute("SELECT pg_backend_pid()").fetchone()[0] == pid  # reused
    assert "mine" not in second.table_names(second.temp_schema)  # and clean
    second.close()
    # the server ends the idle connection (a restart, an administrator): the next
    # opening notices and connects again instead of failing its first query
    with psycopg.connect(PG_SERVER, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    third = open_database(pg_url)
    assert third.execute("SELECT pg_backend_pid()").fetchone()[0] != pid
    third.close()


def test_processes_opening_a_new_database_at_once_all_succeed(catalog_db):
    # a service and its CLI, or several workers, started together on an empty database:
    # each finds the tables missing and creates them
    from concurrent.futures import ThreadPoolExecutor

    from orbitwatch.screening.runs import list_runs

    def open_and_list(_: int) -> int:
        with CatalogStore(catalog_db) as store:
            return len(list_runs(store)) + store.counts()["objects"]

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(open_and_list, range(6))) == [0] * 6


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://ow:s3cret@db:5432/ow", "postgresql://ow:***@db:5432/ow"),
    ("postgresql://ow:p%40ss%3Aw@db/ow", "postgresql://ow:***@db/ow"),  # escaped @ and :
    ("postgresql://ow@db/ow", "postgresql://ow@db/ow"),
    ("postgresql://db/ow", "postgresql://db/ow"),
])
def test_urls_are_shown_without_their_password(url, shown):
    assert redact_url(url) == shown


def test_a_sqlite_library_too_old_is_one_line_and_no_file(tmp_path):
    """A Python built against SQLite < 3.35 cannot run the snapshot's query: say so on
    opening, in one line, rather than fail with a syntax error in the first snapshot."""
    path = tmp_path / "new.db"
    script = ("import runpy, sqlite3, sys; sqlite3.sqlite_version_info = (3, 31, 1); "
              "sqlite3.sqlite_version = '3.31.1'; "
              f"sys.argv = ['orbitwatch', 'catalog', 'load', '--db', {str(path)!r}, "
              f"{str(tmp_path / 'none.tle')!r}]; "
              "runpy.run_module('orbitwatch', run_name='__main__')")
    (tmp_path / "none.tle").write_text("")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "SQLite library is 3.31.1" in lines[0] and "3.35" in lines[0]
    assert not path.exists()
