"""Objects chosen by catalog numbers, owners and a name pattern (the environment and
behaviour), and satellites chosen by catalog numbers and/or a name pattern at a time
(access)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from orbitwatch.app.inputs import parse_ids, parse_owners
from orbitwatch.catalog.snapshot import elements_named, name_pattern, take_snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.errors import InputError
from orbitwatch.formats.elements import ElementSet


@dataclass(frozen=True)
class ObjectSelection:
    """Objects chosen by catalog numbers, SATCAT owner codes and a name pattern (RE2, any
    case, anywhere in the name): an object is chosen when it meets every part given; an
    empty selection chooses every object."""

    ids: list[int] | None = None
    owners: list[str] | None = None
    name: str | None = None

    @classmethod
    def parse(cls, ids: str | None = None, owners: str | None = None,
              name: str | None = None, ids_param: str = "ids") -> ObjectSelection:
        """From user text; a bad catalog number or pattern is an InputError naming
        ``ids_param`` or the pattern."""
        if name:
            name_pattern(name)  # a bad pattern is refused here, before any work
        return cls(parse_ids(ids, ids_param), parse_owners(owners), name or None)

    def __bool__(self) -> bool:
        return bool(self.ids or self.owners or self.name)

    def mask(self, norad_cat_id: np.ndarray, owner: Sequence[str | None],
             object_name: Sequence[str | None]) -> np.ndarray:
        """Which of these objects are chosen (one bool each)."""
        keep = np.ones(len(norad_cat_id), bool)
        if self.ids:
            keep &= np.isin(norad_cat_id, self.ids)
        if self.owners:
            chosen = set(self.owners)
            keep &= np.fromiter((o in chosen for o in owner), bool, len(keep))
        if self.name:
            rx = name_pattern(self.name)
            keep &= np.fromiter((bool(rx.search(n or "")) for n in object_name), bool,
                                len(keep))
        return keep


#: The empty selection: every object.
EVERY_OBJECT = ObjectSelection()


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
