"""The catalog at one time: for each object the latest element set with epoch <= t,
as arrays ready for batched propagation.

Catalog-number ranges left out unless asked (Space-Track's conventions):

* analyst objects, 80000-89999 and 270000-339999 (Alpha-5 'T0000'-'Z9999'): tracks
  not yet tied to a catalogued object, numbers reused over time;
* unassigned numbers, 340000 and above (no TLE form; e.g. CelesTrak's supplemental
  launch nominals with nine-digit numbers), and SATCAT type 'TBA'.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import re2
from sgp4.api import Satrec

from orbitwatch.catalog.store import _ES_COLUMNS, CatalogStore, element_set_from_row
from orbitwatch.core.time import datetime_to_us, format_epoch
from orbitwatch.errors import InputError
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation.element_arrays import ElementArrays

ANALYST_RANGES = ((80_000, 89_999), (270_000, 339_999))
UNASSIGNED_MIN = 340_000


def is_analyst(norad_cat_id: int) -> bool:
    """True for analyst numbers (80000-89999, 270000-339999)."""
    return any(lo <= norad_cat_id <= hi for lo, hi in ANALYST_RANGES)


def is_analyst_or_unassigned(norad_cat_id: int) -> bool:
    """True for analyst (80000-89999, 270000-339999) and unassigned (>= 340000) numbers."""
    return norad_cat_id >= UNASSIGNED_MIN or is_analyst(norad_cat_id)


@dataclass(slots=True)
class Snapshot:
    """Element sets valid at ``at``, one per object, sorted by catalog number.

    ``norad_cat_id`` (n,) int64 and ``epoch_age_days`` (n,) float64 (``at`` - epoch,
    days) are arrays; ``element_sets`` holds the full records; ``snapshot_id`` is a
    hash of the element-set ids, so a run can name exactly what it used.
    """

    at: datetime
    element_sets: list[ElementSet]
    element_set_ids: np.ndarray
    object_type: list[str | None] = field(default_factory=list)
    owner: list[str | None] = field(default_factory=list)
    rcs_m2: list[float | None] = field(default_factory=list)  # SATCAT radar cross-section
    _arrays: ElementArrays | None = field(default=None, repr=False)

    @property
    def arrays(self) -> ElementArrays:
        """The element sets as columns (built once)."""
        if self._arrays is None:
            self._arrays = ElementArrays.from_element_sets(self.element_sets)
        return self._arrays

    @property
    def norad_cat_id(self) -> np.ndarray:
        return self.arrays.norad_cat_id

    @property
    def epoch_age_days(self) -> np.ndarray:
        return self.arrays.age_days(datetime_to_us(self.at))

    @property
    def snapshot_id(self) -> str:
        digest = hashlib.sha1(np.ascontiguousarray(self.element_set_ids, np.int64).tobytes())
        return f"{format_epoch(self.at)[:19]}Z-{len(self)}-{digest.hexdigest()[:12]}"

    def __len__(self) -> int:
        return len(self.element_sets)

    @classmethod
    def from_elements(cls, elements: list[ElementSet], at: datetime) -> Snapshot:
        """A snapshot of element sets not taken from a store (files, tests, benchmarks):
        sorted by catalog number, ids 1..n, no SATCAT type or owner."""
        elements = sorted(elements, key=lambda e: e.norad_cat_id)
        n = len(elements)
        return cls(at, elements, np.arange(1, n + 1, dtype=np.int64), [None] * n, [None] * n,
                   [None] * n)

    def satrecs(self) -> list[Satrec]:
        """One initialised Satrec per object, in the snapshot's order."""
        return self.arrays.satrecs()


def take_snapshot(
    store: CatalogStore,
    at: datetime,
    *,
    max_age_days: float | None = None,
    include_decayed: bool = False,
    include_analyst: bool = False,
    norad_cat_ids: list[int] | None = None,
) -> Snapshot:
    """The latest element set with epoch <= ``at`` of each object.

    ``max_age_days`` drops objects whose latest epoch is older than that; decayed
    objects (SATCAT decay date on or before ``at``) and analyst / unassigned numbers
    are left out unless asked for.
    """
    at_us = datetime_to_us(at)
    params: list = [at_us]
    id_clause = ""
    if norad_cat_ids:
        id_clause = f"AND o.norad_cat_id IN ({', '.join('?' * len(norad_cat_ids))})"
        params.extend(int(n) for n in norad_cat_ids)
    age_clause = ""
    if max_age_days is not None:
        age_clause = "AND es.epoch_us >= ?"
        params.append(at_us - int(max_age_days * 86_400e6))
    cols = ", ".join(f"es.{c}" for c in _ES_COLUMNS[:18])
    # one index probe per object (element_sets_by_object) rather than ranking every
    # stored set: the time grows with the objects, not with the history kept
    # (1,000,000 sets: docs/benchmarks.md). Every object with a set has a row in objects.
    sql = f"""
        WITH latest AS MATERIALIZED (
            SELECT (SELECT e.element_set_id FROM element_sets e
                    WHERE e.norad_cat_id = o.norad_cat_id AND e.epoch_us <= ?
                    ORDER BY e.epoch_us DESC, e.element_set_id DESC LIMIT 1) AS element_set_id
            FROM objects o WHERE TRUE {id_clause}
        )
        SELECT {cols}, es.element_set_id, o.object_type, o.owner, o.decay_date, o.rcs_m2
        FROM latest JOIN element_sets es ON es.element_set_id = latest.element_set_id
        LEFT JOIN objects o ON o.norad_cat_id = es.norad_cat_id
        WHERE TRUE {age_clause} ORDER BY es.norad_cat_id
    """
    at_date = at.date().isoformat()
    element_sets, ids, types, owners, rcs = [], [], [], [], []
    for row in store.db.execute(sql, params):
        norad, decay, otype = row[0], row[21], row[19]
        if not include_decayed and decay is not None and decay <= at_date:
            continue
        if not include_analyst and (is_analyst_or_unassigned(norad) or otype == "TBA"):
            continue
        element_sets.append(element_set_from_row(row))
        ids.append(row[18])
        types.append(otype)
        owners.append(row[20])
        rcs.append(row[22])
    return Snapshot(at, element_sets, np.array(ids, dtype=np.int64), types, owners, rcs)


#: Longest name pattern accepted (a name is at most a few dozen characters).
MAX_PATTERN_LENGTH = 200


def name_pattern(pattern: str) -> Any:
    """An object-name pattern: a regular expression (RE2 syntax), case-insensitive,
    matched anywhere in the name; an InputError for one that does not compile.

    RE2 matches in time linear in the name whatever the pattern, so a pattern such as
    ``^((.*)*)*X$`` cannot stall a screening or the service (Python's ``re`` backtracks
    exponentially on it). RE2 has no backreferences or lookarounds."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise InputError(f"name pattern is {len(pattern)} characters long; the limit is "
                         f"{MAX_PATTERN_LENGTH}")
    options = re2.Options()
    options.log_errors = False  # the error is ours to report, in one line
    try:
        return re2.compile("(?i)" + pattern, options=options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise InputError(f"name pattern {pattern!r}: {reason} (RE2 syntax: no "
                         "backreferences or lookarounds)")


def elements_named(elements: list[ElementSet], pattern: str) -> list[ElementSet]:
    """The element sets whose object name matches ``pattern`` (:func:`name_pattern`)."""
    rx = name_pattern(pattern)
    return [e for e in elements if rx.search(e.object_name or "")]
