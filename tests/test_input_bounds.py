"""Nothing lost, nothing let in: every impossible value is a reject naming its field, a
bad record never costs its file's good ones, and propagation never returns NaN as a good
state."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from orbitwatch.catalog import CatalogStore, load_text
from orbitwatch.catalog.synth import synthesize
from orbitwatch.cli.main import cli
from orbitwatch.formats import parse_omm, parse_tle, write_omm, write_tle
from orbitwatch.propagation import propagate

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _good_records(n: int = 3) -> list[dict]:
    return json.loads(write_omm([o.elements for o in synthesize(n, seed=5, epoch=T0)], "json"))


#: (keyword, value) that no SGP4 element set can have
BAD_VALUES = [
    ("MEAN_MOTION", float("nan")), ("RA_OF_ASC_NODE", float("nan")), ("BSTAR", float("nan")),
    ("MEAN_MOTION", float("inf")), ("ECCENTRICITY", float("-inf")),
    ("MEAN_MOTION", 1e308), ("MEAN_MOTION", 1e-12), ("ARG_OF_PERICENTER", -720.0),
    ("MEAN_ANOMALY", 400.0), ("EPHEMERIS_TYPE", 99), ("EPOCH", "0001-01-01T00:00:00"),
    ("EPOCH", "9999-12-31T00:00:00"), ("ELEMENT_SET_NO", 2**70), ("REV_AT_EPOCH", -1),
    ("OBJECT_NAME", "SAT\nMANEUVERABLE = YES"), ("OBJECT_NAME", "SAT\x00X"),
]


@pytest.mark.parametrize(("key", "value"), BAD_VALUES, ids=[f"{k}={v!r}" for k, v in BAD_VALUES])
def test_impossible_value_is_a_reject_and_the_good_records_load(tmp_path: Path, key, value):
    records = _good_records()
    records[1][key] = value
    text = json.dumps(records)  # NaN and Infinity as JSON's own tokens
    with CatalogStore(tmp_path / "c.db") as store:
        report = load_text(store, text, source="bad.json")
        assert (report.n_read, report.n_added, report.n_rejected) == (2, 2, 1)
        assert report.rejects[0].field == key and report.rejects[0].line_no == 2
        # no object row without an element set
        orphans = store.db.execute(
            "SELECT COUNT(*) FROM objects o WHERE NOT EXISTS (SELECT 1 FROM element_sets e "
            "WHERE e.norad_cat_id = o.norad_cat_id)").fetchone()[0]
        assert orphans == 0


def test_perigee_below_ground_is_a_reject():
    records = _good_records(1)
    records[0].update(MEAN_MOTION=15.5, ECCENTRICITY=0.99999)
    result = parse_omm(json.dumps(records), "json", source="x.json")
    assert not result.records and result.rejects[0].field == "ECCENTRICITY"
    assert "below the Earth's surface" in result.rejects[0].reason


def test_tle_with_a_control_character_in_its_name_is_a_reject():
    es = synthesize(1, seed=2, epoch=T0)[0].elements
    _, l1, l2 = write_tle([es]).splitlines()
    result = parse_tle(f"SAT\x07ONE\n{l1}\n{l2}\n", source="n.tle")
    assert not result.records
    assert result.rejects[0].field == "OBJECT_NAME" and result.rejects[0].line_no == 1


@pytest.mark.parametrize("variant", ["huge_int", "deep_json"])
def test_a_file_no_parser_can_read_is_one_clear_line(tmp_path: Path, variant: str):
    bad = tmp_path / "bad.json"
    if variant == "huge_int":
        records = _good_records(2)
        bad.write_text(json.dumps(records).replace('"ELEMENT_SET_NO": 999',
                                                   '"ELEMENT_SET_NO": ' + "9" * 5000, 1))
    else:
        bad.write_text("[" * 100_000 + "]" * 100_000)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_good_records(2)))
    result = CliRunner().invoke(cli, ["catalog", "load", str(bad), str(good),
                                      "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "bad.json" in result.stderr and "Traceback" not in result.output
    # the readable file of the batch was loaded
    assert "good.json: 2 read, 2 added" in result.stdout


def test_csv_with_a_huge_field_rejects_that_row_only(tmp_path: Path):
    records = [o.elements for o in synthesize(3, seed=5, epoch=T0)]
    lines = write_omm(records, "csv").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("OBJECT_NAME")] = "X" * 300_000
    lines[2] = ",".join(cells)
    result = parse_omm("\n".join(lines) + "\n", "csv", source="big.csv")
    assert len(result.records) == 2 and len(result.rejects) == 1
    assert result.rejects[0].line_no == 3


def test_propagate_never_returns_nan_as_a_good_state():
    es = synthesize(1, seed=9, epoch=T0)[0].elements
    eph = propagate([es], [T0, datetime(2200, 1, 1, tzinfo=UTC)])
    bad = ~np.isfinite(eph.position_km).all(axis=-1)
    assert not (bad & (eph.error == 0)).any()


def test_a_load_that_stores_nothing_exits_non_zero(tmp_path: Path):
    records = _good_records(2)
    for r in records:
        r["MEAN_MOTION"] = -1.0
    bad = tmp_path / "all_bad.json"
    bad.write_text(json.dumps(records))
    result = CliRunner().invoke(cli, ["catalog", "load", str(bad), "--db",
                                      str(tmp_path / "c.db")])
    assert result.exit_code == 2
    assert "0 read, 0 added" in result.stdout and "all_bad.json" in result.stderr
    # reloading what is already stored is not a failure
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_good_records(2)))
    for _ in range(2):
        again = CliRunner().invoke(cli, ["catalog", "load", str(good), "--db",
                                         str(tmp_path / "c.db")])
        assert again.exit_code == 0, again.output


def test_store_never_drops_a_record_silently(tmp_path: Path):
    """A record that reaches the store with a NULL where a value must be stops the load
    (one transaction: nothing stored) instead of being counted as already stored."""
    from dataclasses import replace

    from orbitwatch.formats.elements import ElementSet

    good = [o.elements for o in synthesize(2, seed=5, epoch=T0)]
    broken = replace(good[1], classification_type=None)  # NOT NULL in the store
    assert isinstance(broken, ElementSet)
    with CatalogStore(tmp_path / "c.db") as store:
        with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
            store.load_elements([good[0], broken], source="x")
        assert store.counts()["element_sets"] == 0


def test_junk_lines_are_rejects_and_the_kept_rejects_are_capped(tmp_path: Path):
    from orbitwatch.catalog.store import MAX_REJECTS_PER_LOAD

    junk = tmp_path / "junk.tle"
    junk.write_text("this is not a TLE\n" * 5000)
    db = tmp_path / "c.db"
    result = CliRunner().invoke(cli, ["catalog", "load", str(junk), "--db", str(db)])
    assert result.exit_code == 2
    assert "0 read, 0 added, 0 already stored, 5000 rejected" in result.stdout
    assert "not a TLE line 1 or 2" in result.stderr
    with CatalogStore(db) as store:
        kept = store.db.execute("SELECT COUNT(*) FROM rejects").fetchone()[0]
        assert kept == MAX_REJECTS_PER_LOAD
        assert store.loads()[0]["n_rejected"] == 5000
    size_before = db.stat().st_size
    purge = CliRunner().invoke(cli, ["catalog", "rejects", "--purge", "--db", str(db)])
    assert purge.exit_code == 0 and f"deleted {MAX_REJECTS_PER_LOAD}" in purge.stderr
    with CatalogStore(db) as store:
        assert store.rejects() == [] and store.loads()[0]["n_rejected"] == 5000
    assert db.stat().st_size < size_before


def test_a_file_that_is_not_utf8_is_read_and_said_so(tmp_path: Path):
    es = synthesize(1, seed=3, epoch=T0)[0].elements
    text = write_tle([es]).replace(es.object_name or "", "SAT \xe9T\xe9", 1)
    path = tmp_path / "latin1.tle"
    path.write_bytes(text.encode("latin-1"))
    result = CliRunner().invoke(cli, ["catalog", "load", str(path), "--db",
                                      str(tmp_path / "c.db")])
    assert result.exit_code == 0, result.output
    assert "not UTF-8 (byte 0xe9 at line 1" in result.stdout
    assert "1 added" in result.stdout


def test_export_writes_every_number_its_format_can_hold_and_names_the_rest(tmp_path: Path):
    from dataclasses import replace

    numbers = [25544, 85000, 270001, 339_999, 340_000, 123_456_789]  # analyst ones too
    base = synthesize(len(numbers), seed=6, epoch=T0)
    elements = [replace(o.elements, norad_cat_id=n) for o, n in zip(base, numbers,
                                                                    strict=True)]
    src = tmp_path / "six.json"
    src.write_text(write_omm(elements, "json"))
    db = str(tmp_path / "c.db")
    assert CliRunner().invoke(cli, ["catalog", "load", str(src), "--db", db]).exit_code == 0
    at = "2026-01-02T00:00:00Z"
    for fmt in ("json", "csv", "xml", "kvn"):
        out = tmp_path / f"all.{fmt}"
        r = CliRunner().invoke(cli, ["catalog", "export", "--as", fmt, "-o", str(out),
                                     "--at", at, "--db", db])
        assert r.exit_code == 0, r.output
        got = {e.norad_cat_id for e in parse_omm(out.read_text(), fmt, source=fmt).records}
        assert got == set(numbers), fmt
    out = tmp_path / "all.tle"
    r = CliRunner().invoke(cli, ["catalog", "export", "--as", "tle", "-o", str(out),
                                 "--at", at, "--db", db])
    assert r.exit_code == 0
    assert {e.norad_cat_id for e in parse_tle(out.read_text()).records} == {
        25544, 85000, 270001, 339_999}
    assert "2 element set(s) not written" in r.stderr and "340000, 123456789" in r.stderr


def _cdm_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (Path(__file__).parent / "fixtures" / "cdm_minimal.kvn").read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


def test_risk_batch_survives_absurd_states_and_refuses_negative_variances(tmp_path: Path):
    good = _cdm_with(tmp_path, "good.cdm", "COMMENT written", "COMMENT HBR = 10 written")
    huge = _cdm_with(tmp_path, "huge.cdm", "X = 7000.0 [km]", "X = 1e308 [km]")
    negative = _cdm_with(tmp_path, "neg.cdm", "CR_R = 100.0", "CR_R = -100.0")
    result = CliRunner().invoke(cli, ["risk", "--hbr", "10", "--format", "json", str(good),
                                      str(huge), str(negative)])
    assert result.exit_code == 2
    rows = json.loads(result.stdout)
    assert rows and {r["file"] for r in rows} == {str(good)}  # the good file's results stay
    assert "huge.cdm, OBJECT1: X, Y, Z put the object 1e+308 km" in result.stderr
    assert "neg.cdm, OBJECT1: negative variance (CR_R = -100" in result.stderr
    assert "Traceback" not in result.output


def test_tle_day_366_of_a_common_year_is_a_reject():
    es = synthesize(1, seed=1, epoch=T0)[0].elements
    _, l1, l2 = write_tle([es]).splitlines()
    day366 = l1[:18] + "25366.50000000" + l1[32:68]
    day366 += str(sum(int(c) if c.isdigit() else (c == "-") for c in day366) % 10)
    result = parse_tle(f"{day366}\n{l2}\n", source="d.tle")
    assert not result.records and result.rejects[0].field == "EPOCH"
    assert "not a leap year" in result.rejects[0].reason
    leap = day366.replace("25366", "24366", 1)[:68]
    leap += str(sum(int(c) if c.isdigit() else (c == "-") for c in leap) % 10)
    assert parse_tle(f"{leap}\n{l2}\n").records[0].epoch.date().isoformat() == "2024-12-31"


def test_writers_refuse_values_no_format_can_hold():
    from dataclasses import replace

    from orbitwatch.errors import FileFormatError, TLEWriteError

    es = replace(synthesize(1, seed=1, epoch=T0)[0].elements, bstar=float("inf"))
    with pytest.raises(FileFormatError, match="BSTAR is inf"):
        write_omm([es], "json")
    with pytest.raises(TLEWriteError, match="BSTAR is not a finite number"):
        write_tle([es])


@pytest.fixture(scope="module")
def small_catalog(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bounds")
    src = folder / "c.json"
    src.write_text(write_omm([o.elements for o in synthesize(20, seed=3, epoch=T0)], "json"))
    db = folder / "c.db"
    assert CliRunner().invoke(cli, ["catalog", "load", "--db", str(db), str(src)]).exit_code == 0
    return db


def _one_line_error(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {result.exception!r}")
    lines = [x for x in result.stderr.splitlines() if x.startswith("orbitwatch: error")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return result.exit_code, lines[0]


@pytest.mark.parametrize("args", [
    ["catalog", "export", "--as", "tle", "-o", "{missing}/x.tle"],
    ["report", "--format", "html", "--out", "{missing}/r.html"],
    ["footprint", "--id", "1", "--at", "2026-01-01T00:00:00Z", "--out", "{missing}/f.geojson"],
], ids=lambda a: " ".join(a[:2]))
def test_an_output_file_that_cannot_be_written_is_one_line(small_catalog: Path, tmp_path: Path,
                                                          args: list[str]):
    """A folder that is not there: one line naming the file and why, exit 2, no
    traceback (it was a FileNotFoundError traceback, exit 1)."""
    missing = tmp_path / "no" / "such" / "folder"
    db = ["--db", str(small_catalog)]
    if args[0] == "report":
        assert CliRunner().invoke(cli, ["screen", "--db", str(small_catalog), "--at",
                                        "2026-01-01T00:00:00Z", "--days", "0.05",
                                        "--workers", "1"]).exit_code == 0
    code, line = _one_line_error([a.format(missing=missing) for a in args] + db)
    assert code == 2 and str(missing) in line and "No such file or directory" in line


def test_a_screening_window_beyond_2099_is_bad_input(small_catalog: Path):
    code, line = _one_line_error(["screen", "--db", str(small_catalog), "--at",
                                  "2026-01-01T00:00:00Z", "--days", "1e9"])
    assert code == 2 and "days" in line and "2099" in line


def test_propagate_refuses_more_states_than_it_can_hold(small_catalog: Path):
    """A hundred million times were a list built in memory for minutes before any output
    (the command never ended in a minute); the limit is said instead."""
    result = CliRunner().invoke(cli, ["propagate", "--db", str(small_catalog), "--id", "1",
                                      "--at", "2026-01-01T00:00:00Z", "--count", "100000000"])
    assert result.exit_code == 2 and "'--count'" in result.stderr
    # within the count, too many rows for the objects asked
    ids = ",".join(str(n) for n in range(1, 11))
    code, line = _one_line_error(["propagate", "--db", str(small_catalog), "--id", ids,
                                  "--at", "2026-01-01T00:00:00Z", "--count", "1000000"])
    assert code == 2 and "--count" in line and "rows" in line
