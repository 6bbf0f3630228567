"""The catalog: a database of objects and every element set, snapshots, sources."""

from orbitwatch.catalog.ingest import load_path, load_text
from orbitwatch.catalog.snapshot import Snapshot, take_snapshot
from orbitwatch.catalog.store import CatalogStore, LoadReport, default_db_path

__all__ = ["CatalogStore", "LoadReport", "Snapshot", "default_db_path", "load_path",
           "load_text", "take_snapshot"]
