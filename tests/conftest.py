"""Shared fixtures: the reference data folder (../shared/data, or $ORBITWATCH_DATA)."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("ORBITWATCH_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The reference data folder; tests that need it skip with a reason when absent."""
    path = data_dir()
    if not path.is_dir():
        pytest.skip(f"reference data not found at {path} (set ORBITWATCH_DATA)")
    return path


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "catalog.db"


#: A PostgreSQL server and a role that may create databases (.ci/run makes both); each
#: test that uses one gets a database of its own, dropped afterwards.
PG_SERVER = os.environ.get("ORBITWATCH_TEST_PG",
                           "postgresql://orbitwatch:orbitwatch@127.0.0.1:5432/postgres")


def _pg_admin():
    """A connection to the test server, or the reason there is none."""
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed (pip install -e '.[dev]')"
    try:
        return psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=5), None
    except psycopg.Error as err:
        return None, (f"no PostgreSQL server for the tests at {PG_SERVER} "
                      f"({' '.join(str(err).split())[:200]}); .ci/run starts one")


@contextlib.contextmanager
def new_pg_database():
    """The URL of a new, empty PostgreSQL database, dropped afterwards; the test skips
    with the reason when there is no server."""
    admin, reason = _pg_admin()
    if admin is None:
        pytest.skip(reason)
    name = f"ow_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            yield urlunsplit(urlsplit(PG_SERVER)._replace(path=f"/{name}"))
        finally:
            _drop(admin, name)


def _drop(admin, name: str) -> None:
    """DROP DATABASE, waiting out an autovacuum worker on it: FORCE would have to
    terminate that superuser's process, which the test role may not (InsufficientPrivilege,
    seen once in a full run), and the worker ends within seconds."""
    import psycopg

    for attempt in range(20):
        try:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == 19:
                raise
            time.sleep(0.5)


@pytest.fixture()
def pg_url():
    """The URL of a new, empty PostgreSQL database (dropped after the test)."""
    with new_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog_db(request, tmp_path: Path):
    """A new catalog database of each kind: a SQLite file path, a PostgreSQL URL."""
    if request.param == "sqlite":
        return tmp_path / "catalog.db"
    return request.getfixturevalue("pg_url")
