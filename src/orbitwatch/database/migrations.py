"""Schema versions and migrations, per part of the database.

Each part (the catalog, the screening runs, the service's jobs, ...) owns its tables and
lists its migrations in order; ``meta`` keeps the version each part has reached. A
writable opening applies the missing steps, each in its own transaction; a read-only
opening only checks, so that nothing is ever half-upgraded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from orbitwatch.database.connection import Database
from orbitwatch.errors import StoreError

#: One step: takes the database to the next version (inside a transaction).
Migration = Callable[[Database], None]

META_TABLE = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def _version_key(part: str) -> str:
    # the catalog's key predates the others and is kept as it was
    return "schema_version" if part == "catalog" else f"{part}_schema_version"


def schema_version(db: Database, part: str) -> int:
    """The version ``part`` has reached in this database (0: none of its tables)."""
    if not db.has_table("meta"):
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = ?", (_version_key(part),)).fetchone()
    return int(row[0]) if row else 0


def migrate(db: Database, part: str, steps: Sequence[Migration]) -> int:
    """Apply the steps ``part`` has not had yet, in order, one transaction each; returns
    the version reached. A database from a newer orbitwatch is refused."""
    have = schema_version(db, part)
    if have == len(steps):  # the usual case: reads only, so opening never waits on a lock
        return have
    if have > len(steps):
        raise _newer(db, part, have, len(steps))
    for version in range(have + 1, len(steps) + 1):
        with db.transaction():
            # processes opening a new database together: one migrates, the others then
            # find the work done
            db.serialize("migrations")
            db.execute(META_TABLE)
            now = schema_version(db, part)
            if now > len(steps):
                raise _newer(db, part, now, len(steps))
            if now >= version:
                continue
            steps[version - 1](db)
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                       "DO UPDATE SET value = excluded.value",
                       (_version_key(part), str(version)))
    return len(steps)


def _newer(db: Database, part: str, have: int, known: int) -> StoreError:
    return StoreError(f"{db.location}: its {part} tables are at schema version {have}, "
                      f"newer than this orbitwatch knows ({known}); upgrade orbitwatch")


def check_readable(db: Database, part: str, steps: Sequence[Migration]) -> int:
    """For a read-only opening: the version ``part`` is at, which must be the latest (0
    when the part has no tables yet)."""
    have = schema_version(db, part)
    if have not in (0, len(steps)):
        verb = "newer than this orbitwatch knows" if have > len(steps) else "older"
        raise StoreError(f"{db.location}: its {part} tables are at schema version {have}, "
                         f"{verb} (this orbitwatch: {len(steps)}); open it once writable "
                         "with the newest orbitwatch to upgrade it")
    return have
