"""Fuzzing the loaders: random bytes and mutated real records never raise anything but a
clear InputError, and no record vanishes: each one read is a record or a reject."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orbitwatch.errors import InputError
from orbitwatch.formats import parse_omm, parse_satcat_csv, parse_tle, read_elements

FUZZ = settings(max_examples=500, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def _read_any(data: bytes, fmt: str | None) -> int:
    """What a load does with a file's bytes; the records and rejects it found."""
    text = data.decode("utf-8", errors="replace")
    try:
        if fmt == "satcat":
            result = parse_satcat_csv(text, source="fuzz")
        else:
            result = read_elements(text, source="fuzz", fmt=fmt)
    except InputError:
        return -1
    return len(result.records) + len(result.rejects)


@FUZZ
@given(data=st.binary(max_size=4000),
       fmt=st.sampled_from([None, "tle", "json", "csv", "xml", "kvn", "satcat"]))
def test_random_bytes_are_records_rejects_or_one_clear_error(data: bytes, fmt):
    _read_any(data, fmt)


@pytest.fixture(scope="module")
def stations(shared_data: Path) -> list[dict]:
    return json.loads((shared_data / "catalogs" / "celestrak_stations_2026-03-10.json")
                      .read_text())


_ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.none(),
                                                         max_size=2))


@FUZZ
@given(data=st.data())
def test_mutated_omm_records_are_each_a_record_or_a_reject(stations, data):
    records = [dict(r) for r in stations]
    for _ in range(data.draw(st.integers(1, 8))):
        k = data.draw(st.integers(0, len(records) - 1))
        key = data.draw(st.sampled_from(sorted(records[k])))
        records[k][key] = data.draw(_ODD_VALUES)
    text = json.dumps(records, allow_nan=True)
    result = parse_omm(text, "json", source="mutated.json")
    assert len(result.records) + len(result.rejects) == len(records)
    for es in result.records:  # what loads is a possible element set
        assert es.mean_motion > 0.0 and 0.0 <= es.eccentricity < 1.0


@pytest.fixture(scope="module")
def tle_sets(shared_data: Path) -> list[str]:
    lines = (shared_data / "catalogs" / "spacetrack_full_2022-01-25.3le").read_text(
        ).splitlines()[:60]
    return ["\n".join(lines[k:k + 3]) for k in range(0, 60, 3)]


@FUZZ
@given(data=st.data())
def test_mutated_tle_sets_lose_no_intact_set(tle_sets, data):
    """Characters changed in some sets: every set left intact still loads, and every
    changed set is a record or a reject (nothing silently skipped)."""
    sets = list(tle_sets)
    changed = set(data.draw(st.sets(st.integers(0, len(sets) - 1), min_size=1, max_size=5)))
    for k in changed:
        text = list(sets[k])
        for _ in range(data.draw(st.integers(1, 3))):
            pos = data.draw(st.integers(0, len(text) - 1))
            if text[pos] != "\n":
                text[pos] = data.draw(st.sampled_from(list("0123456789 .-+AZ\x00\u00e9")))
        sets[k] = "".join(text)
    result = parse_tle("\n".join(sets) + "\n", source="mutated.tle")
    intact = {int(tle_sets[k].splitlines()[1][2:7]) for k in range(len(sets))
              if k not in changed}
    loaded = {es.norad_cat_id for es in result.records}
    assert intact <= loaded
    assert len(result.records) + len(result.rejects) >= len(sets)
