"""The database file as a user meets it: a mistyped --db, a read-only file, a folder that
cannot exist, a damaged file. One clear line each, and reads work on read-only files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from orbitwatch.cli.main import cli
from tests.service_helpers import cli_ok, synthetic_db

AT = "2026-01-01T00:00:00Z"


def _run(*args: str):
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("args", [["catalog", "info"], ["runs", "list"], ["report"],
                                  ["propagate", "--id", "1"], ["screen", "--at", AT],
                                  ["catalog", "export", "-o", "x.json"]])
def test_a_mistyped_db_is_an_error_and_creates_nothing(tmp_path: Path, args):
    missing = tmp_path / "typo.db"
    code, _, err = _run(*args, "--db", str(missing))
    assert code == 2 and "no catalog database there" in err
    assert not missing.exists()


@pytest.fixture(scope="module")
def read_only_db(tmp_path_factory) -> Path:
    db = synthetic_db(tmp_path_factory.mktemp("ro"), objects=300)
    cli_ok("screen", "--db", str(db), "--at", AT, "--days", "0.25", "--workers", "1")
    os.chmod(db, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return db


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files")
def test_reads_work_on_a_read_only_file(read_only_db: Path):
    for args in (["catalog", "info"], ["runs", "list"], ["runs", "show", "1"],
                 ["report", "--limit", "3"]):
        code, _, err = _run(*args, "--db", str(read_only_db))
        assert code == 0, (args, err)
    code, _, err = _run("catalog", "rejects", "--purge", "--db", str(read_only_db))
    assert code == 1 and "read-only" in err and "Traceback" not in err


def test_read_only_connection_reads_and_refuses_writes(tmp_path: Path):
    """As root (CI) file permissions do not bind, so the store's own read-only mode is
    tested directly: it reads what a writable one does and writes nothing."""
    from orbitwatch.catalog import CatalogStore
    from orbitwatch.reports.run_risk import conjunction_report
    from orbitwatch.screening.runs import list_runs

    db = synthetic_db(tmp_path, objects=300)
    cli_ok("screen", "--db", str(db), "--at", AT, "--days", "0.25", "--workers", "1")
    with CatalogStore(db) as store:
        expected = conjunction_report(store, 1).rows
    with CatalogStore(db, read_only=True) as store:
        assert [r["RUN_ID"] for r in list_runs(store)] == [1]
        assert conjunction_report(store, 1).rows == expected
        with pytest.raises(Exception, match="readonly"):
            store.db.execute("DELETE FROM rejects")


def test_a_folder_that_cannot_exist_is_one_line():
    code, _, err = _run("catalog", "load", "/dev/null", "--db", "/proc/nonexistent/x.db")
    assert code == 1 and "cannot create its folder" in err and "Traceback" not in err


def test_a_damaged_file_is_one_line(tmp_path: Path):
    db = synthetic_db(tmp_path, objects=2000)
    cli_ok("catalog", "info", "--db", str(db))
    for extra in (Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        extra.unlink(missing_ok=True)
    data = bytearray(db.read_bytes())
    page = 4096
    for k in range(3 * page, len(data) - page, 7 * page):  # spoil pages past the schema
        data[k:k + page] = b"\xa5" * page
    db.write_bytes(bytes(data))
    code, _, err = _run("catalog", "export", "-o", str(tmp_path / "x.json"), "--db", str(db))
    assert code == 1 and "cannot be read" in err and "Traceback" not in err
