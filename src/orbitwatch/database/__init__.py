"""The one place that talks to a database engine: SQLite files (the embedded default)
and PostgreSQL servers, behind one small interface (:class:`Database`). The rest of
orbitwatch writes portable SQL with ``?`` placeholders and asks this layer for what
differs between engines: transactions, identity columns, bulk loads, temporary tables,
the list of tables and columns."""

from orbitwatch.database.connection import (
    Database,
    DatabaseLocation,
    is_server_url,
    open_database,
    redact_url,
)

__all__ = ["Database", "DatabaseLocation", "is_server_url", "open_database", "redact_url"]
