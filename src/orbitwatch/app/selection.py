"""Satellites chosen by catalog numbers and/or a name pattern, at a time."""

from __future__ import annotations

from datetime import datetime

from orbitwatch.catalog.snapshot import elements_named, take_snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.errors import InputError
from orbitwatch.formats.elements import ElementSet


def select_elements(store: CatalogStore, at: datetime, ids: list[int] | None,
                    name_pattern: str | None, *, required: bool = True,
                    limit: int | None = None) -> list[ElementSet]:
    """The latest element set at ``at`` of each chosen satellite.

    ``ids`` (catalog numbers; analyst numbers allowed when named) and ``name_pattern``
    (regular expression, case-insensitive) narrow the catalog; with neither, the whole
    snapshot. InputError when a named catalog number has no element set by then, when
    nothing is chosen (``required``), or when more than ``limit`` are."""
    snap = take_snapshot(store, at, norad_cat_ids=ids or None, include_analyst=bool(ids))
    elements = snap.element_sets
    if ids:
        missing = sorted(set(ids) - {e.norad_cat_id for e in elements})
        if missing:
            raise InputError(f"no element set at or before {at:%Y-%m-%dT%H:%M:%SZ} for "
                             f"catalog number(s) {', '.join(map(str, missing[:20]))}")
    if name_pattern:
        elements = elements_named(elements, name_pattern)
    if required and not elements:
        raise InputError("no satellite selected: the catalog is empty at that time, or the "
                         "catalog numbers / name pattern match nothing")
    if limit is not None and len(elements) > limit:
        raise InputError(f"{len(elements)} satellites match; this takes up to {limit}")
    return elements
