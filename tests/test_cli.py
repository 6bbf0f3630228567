"""The command line: exit codes, one-line errors, output formats."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from orbitwatch.cli.main import cli


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_synth_load_info_propagate(tmp_path: Path) -> None:
    db, omm, sat = tmp_path / "c.db", tmp_path / "s.xml", tmp_path / "sat.csv"
    code, _, _ = _run("catalog", "synth", "--objects", "300", "-o", str(omm), "--satcat", str(sat))
    assert code == 0
    code, out, _ = _run("catalog", "load", str(omm), str(sat), "--db", str(db))
    assert code == 0 and "300 read, 300 added" in out
    code, out, _ = _run("catalog", "info", "--db", str(db), "--at", "2026-01-01T00:00:00Z",
                        "--format", "json")
    info = json.loads(out)[0]
    assert info["objects_in_snapshot"] == 300 and sum(info["by_type"].values()) == 300
    code, out, _ = _run("propagate", "--db", str(db), "--id", "1,2", "--at", "2026-01-01",
                        "--count", "3", "--frame", "itrf", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 6 and "x_itrf_km" in rows[0]
    assert all(6500 < sum(float(r[f"{a}_itrf_km"]) ** 2 for a in "xyz") ** 0.5 < 50000
               for r in rows)
    code, out, _ = _run("propagate", "--db", str(db), "--at", "2026-01-01", "--count", "10",
                        "--format", "json")
    summary = json.loads(out)[0]
    assert code == 0 and summary["states"] == 3000 and summary["objects_failed"] == 0


def test_bad_input_exit_2_one_line(tmp_path: Path) -> None:
    code, _, err = _run("catalog", "load", str(tmp_path / "missing.tle"), "--db",
                        str(tmp_path / "c.db"))
    assert code == 2 and "missing.tle: no such file" in err and "Traceback" not in err
    code, _, err = _run("propagate", "--db", str(tmp_path / "c.db"), "--at", "2026-13-01")
    assert code == 2 and "not an ISO-8601 UTC time" in err


def test_load_reports_rejects_and_keeps_good(tmp_path: Path) -> None:
    tle = tmp_path / "mixed.tle"
    good1 = "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753"
    good2 = "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667"
    tle.write_text(f"A\n{good1}\n{good2}\nB\n{good1[:-1]}0\n{good2}\n")
    code, out, err = _run("catalog", "load", str(tle), "--db", str(tmp_path / "c.db"))
    assert code == 0 and "1 added" in out and "1 rejected" in out
    assert "mixed.tle, line 5: field CHECKSUM" in err


def test_version_and_module_entry_point(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "orbitwatch", "--version"], capture_output=True,
                          text=True, env={"ORBITWATCH_HOME": str(tmp_path), "PATH": "/usr/bin"})
    assert proc.returncode == 0
    assert "orbitwatch 0." in proc.stdout and "sgp4" in proc.stdout
    assert "not created yet" in proc.stdout


def test_screen_stores_run_and_lists_it(tmp_path: Path) -> None:
    """Synthetic catalog -> screen (CSV, SOCRATES columns) -> runs list/show/compare."""
    db, omm, sat = tmp_path / "c.db", tmp_path / "s.json", tmp_path / "sat.csv"
    assert _run("catalog", "synth", "--objects", "3000", "-o", str(omm),
                "--satcat", str(sat))[0] == 0
    assert _run("catalog", "load", str(omm), str(sat), "--db", str(db))[0] == 0
    code, out, err = _run("screen", "--db", str(db), "--at", "2026-01-01T00:00:00Z",
                          "--days", "1", "--format", "csv", "--limit", "0", "--workers", "1",
                          "--sort", "miss")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows, "a 3,000-object synthetic catalog has approaches within 5 km in a day"
    for col in ("NORAD_CAT_ID_1", "OBJECT_NAME_1", "DSE_1", "NORAD_CAT_ID_2", "OBJECT_NAME_2",
                "DSE_2", "TCA", "TCA_RANGE", "TCA_RELATIVE_SPEED", "MISS_R_M"):
        assert col in rows[0]
    misses = [float(r["TCA_RANGE"]) for r in rows]
    assert misses == sorted(misses) and max(misses) <= 5.0
    assert "run 1" in err
    code, out, _ = _run("runs", "list", "--db", str(db), "--format", "json")
    runs = json.loads(out)
    assert code == 0 and runs[0]["EVENTS"] == len(rows) and runs[0]["VOLUME"] == "sphere 5 km"
    code, out, _ = _run("screen", "--db", str(db), "--at", "2026-01-01T00:00:00Z", "--days", "1",
                        "--volume", "2", "--workers", "1", "--format", "json", "--limit", "0")
    assert code == 0 and all(float(r["TCA_RANGE"]) <= 2.0 for r in json.loads(out))
    code, out, err = _run("runs", "compare", "1", "2", "--db", str(db), "--format", "json",
                          "--limit", "0")
    assert code == 0 and "only in 2: 0" in err
    table = json.loads(out)  # one JSON document, one row per approach
    assert len(table) == len(rows)
    for r in table:
        assert r["OBJECT_NAME_1"] and (r["TCA_1"] or r["TCA_2"])
    assert {r["IN"] for r in table} == {"both", "only 1"}
    assert all(r["TCA_2"] is None for r in table if r["IN"] == "only 1")
    assert "different volumes" in err
    code, out, _ = _run("runs", "compare", "1", "2", "--db", str(db), "--format", "csv",
                        "--limit", "3")
    assert code == 0 and len(list(csv.DictReader(io.StringIO(out)))) == 3
    code, _, err = _run("runs", "show", "999", "--db", str(db))
    assert code == 2 and "no screening run 999" in err


def test_screen_bad_volume_is_exit_2(tmp_path: Path) -> None:
    code, _, err = _run("screen", "--db", str(tmp_path / "c.db"), "--volume", "1x2")
    assert code == 2 and "give 1 radius or 3 semi-axes" in err


@pytest.mark.parametrize(("args", "module", "extra"), [
    (["passes", "--id", "25544", "--site", "0,0", "--plot", "sky.png"], "matplotlib", "plots"),
    (["footprint", "--id", "25544", "--map", "map.png"], "matplotlib", "plots"),
    (["serve"], "uvicorn", "serve"),
])
def test_missing_extra_is_exit_1_with_the_install_command(tmp_path: Path, monkeypatch,
                                                          args, module, extra) -> None:
    """A missing optional part is not bad input (exit 1, not 2), says how to install it,
    and is found before any work: this database is empty, so anything computed first
    would fail differently."""
    monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError
    result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 1, result.output
    assert f"pip install 'orbitwatch[{extra}]'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_analyst_objects_are_screened_by_default_and_marked(tmp_path: Path) -> None:
    """An analyst object (85000) crossing a catalogued one at its nodes: screened and
    marked ANALYST by default (SOCRATES screens them), left out with --no-analyst."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from orbitwatch.catalog.synth import synthesize
    from orbitwatch.formats import write_omm

    base = synthesize(1, seed=11, epoch=datetime(2026, 1, 1, tzinfo=UTC))[0].elements
    base = replace(base, norad_cat_id=40000, eccentricity=0.0001, object_name="PAYLOAD A")
    track = replace(base, norad_cat_id=85000, inclination=base.inclination + 0.5,
                    object_name="ANALYST TRACK")
    src = tmp_path / "pair.json"
    src.write_text(write_omm([base, track], "json"))
    db = str(tmp_path / "c.db")
    assert _run("catalog", "load", str(src), "--db", db)[0] == 0
    args = ("screen", "--db", db, "--at", "2026-01-01T00:00:00Z", "--days", "0.5",
            "--workers", "1", "--format", "json", "--limit", "0")
    code, out, err = _run(*args, "--name", "payload")
    assert code == 0, err
    assert "name pattern 'payload' (a regular expression" in err and "selects 1 object" in err
    rows = json.loads(out)
    assert rows and all(r["NORAD_CAT_ID_2"] == 85000 and r["OBJECT_TYPE_2"] == "ANALYST"
                        for r in rows)
    code, out, err = _run(*args, "--no-analyst")
    assert code == 2 and "1 object(s)" in err  # nothing left to screen against


def test_an_old_catalog_is_started_at_its_own_time_and_stale_elements_are_said(
        tmp_path: Path) -> None:
    """The synthetic catalog's element sets are from the end of 2025: with no --at the
    screening starts at the first whole hour after them (not months later, now; not
    before the newest, which would leave the objects of the last hour out), and at a
    time a month after them it warns that the element sets are stale for their orbits."""
    from tests.service_helpers import synthetic_db

    db = str(synthetic_db(tmp_path, objects=600))
    code, _, err = _run("screen", "--db", db, "--days", "0.1", "--workers", "1")
    assert code == 0, err
    assert "the catalog's newest element set is from 2025-12-31" in err
    assert "starting at 2026-01-01T00:00Z" in err and "warning" not in err
    code, out, _ = _run("runs", "list", "--db", db, "--format", "json")
    run = json.loads(out)[0]
    assert run["WINDOW_START"].startswith("2026-01-01T00:00:00")
    # every object is screened: the start is not before the newest element set
    assert " among 600 objects " in err, err
    # catalog info takes the same default time, and says so
    code, out, err = _run("catalog", "info", "--db", db, "--format", "json")
    assert code == 0 and "the catalog's newest element set is from 2025-12-31" in err
    assert json.loads(out)[0]["at_utc"][:16] == run["WINDOW_START"][:16]
    assert json.loads(out)[0]["objects_in_snapshot"] == 600
    code, _, err = _run("screen", "--db", db, "--at", "2026-02-01T00:00:00Z", "--days", "0.1",
                        "--workers", "1")
    assert code == 0 and "warning:" in err and "older than the limit for their orbit" in err
    code, _, err = _run("propagate", "--db", db, "--id", "1", "--at", "2026-02-01T00:00:00Z")
    assert code == 0 and "warning:" in err


@pytest.mark.parametrize("kind", ["tar.xz", "tar.gz", "directory"])
def test_history_archives_and_directories_load_each_set_once(tmp_path: Path, kind: str) -> None:
    """Snapshots of a catalog over time, as providers archive them: each file is a
    source of its own, and an element set issued again in a later snapshot is stored
    once."""
    import tarfile
    from datetime import UTC, datetime

    from orbitwatch.catalog.synth import synthesize
    from orbitwatch.formats import write_tle

    first = [o.elements for o in synthesize(30, seed=1, epoch=datetime(2026, 1, 1, tzinfo=UTC))]
    later = [o.elements for o in synthesize(30, seed=2, epoch=datetime(2026, 1, 2, tzinfo=UTC))]
    snaps = tmp_path / "snaps"
    snaps.mkdir()
    (snaps / "a_2026-01-01.tle").write_text(write_tle(first))
    (snaps / "b_2026-01-02.tle").write_text(write_tle(first[:10] + later))  # 10 again
    if kind == "directory":
        target = snaps
    else:
        target = tmp_path / f"history.{kind}"
        with tarfile.open(target, "w:" + kind.split(".")[1]) as archive:
            for f in sorted(snaps.iterdir()):
                archive.add(f, arcname=f"history/{f.name}")
    db = tmp_path / "c.db"
    code, out, err = _run("catalog", "load", str(target), "--db", str(db))
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 2 and "b_2026-01-02.tle: 40 read, 30 added, 10 already stored" \
        in lines[1]
    if kind != "directory":
        assert lines[0].startswith(f"{target}:history/a_2026-01-01.tle")
    from orbitwatch.catalog import CatalogStore
    with CatalogStore(db) as store:
        assert store.counts()["element_sets"] == 60


def test_many_files_are_parsed_in_workers_and_stored_in_order(tmp_path: Path) -> None:
    """Six snapshot files (parsed in worker processes) and one that no reader takes: the
    good ones load in name order, the bad one is one line, the command exits 2."""
    from datetime import UTC, datetime, timedelta

    from orbitwatch.catalog.synth import synthesize
    from orbitwatch.formats import write_tle

    folder = tmp_path / "snaps"
    folder.mkdir()
    for k in range(6):
        epoch = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=6 * k)
        (folder / f"s{k}.tle").write_text(write_tle(
            [o.elements for o in synthesize(20, seed=k, epoch=epoch)]))
    (folder / "s3b.json").write_text("[" * 50_000)
    code, out, err = _run("catalog", "load", str(folder), "--db", str(tmp_path / "c.db"))
    assert code == 2 and "s3b.json" in err and "nothing stored from 1 of 7 file(s)" in err
    loaded = [line.split(":")[0].rsplit("/", 1)[1] for line in out.strip().splitlines()]
    assert loaded == ["s0.tle", "s1.tle", "s2.tle", "s3.tle", "s4.tle", "s5.tle"]


#: Column names that carry their unit (or are times, counts by name, or identifiers).
_UNIT_SUFFIX = re.compile(r"_(KM|M|M_S|KM_S|DEG|S|DAYS|YEARS|PER_KM3|KG|M2_KG|URAD|1E6|"
                          r"SIGMAS|H|UTC|KM2)(_\d)?$")
_DECIMAL = re.compile(r"-?\d+\.\d+(e[-+]?\d+)?")


def _unexplained_columns(text: str) -> list[str]:
    """Columns of a table (as ``render`` prints it) holding non-integer numbers whose
    name carries no unit and that no note under the table names."""
    lines = text.splitlines()
    k = next(i for i in range(len(lines) - 1)
             if lines[i + 1].startswith("-") and set(lines[i + 1]) <= {"-", " "})
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[k + 1])]
    names = [lines[k][a:b].strip() for a, b in spans]
    end = next((i for i in range(k + 2, len(lines)) if not lines[i].strip()), len(lines))
    body, notes = lines[k + 2:end], "\n".join(lines[end:])
    return [name for name, (a, b) in zip(names, spans, strict=True)
            if any(_DECIMAL.fullmatch(row[a:b].strip()) for row in body)
            and not _UNIT_SUFFIX.search(name) and name not in notes]


def test_every_table_says_what_its_numbers_are(tmp_path: Path) -> None:
    """A number without its unit or meaning is not an answer: in table format, each column
    of non-integer numbers names its unit or is explained under the table (SOCRATES's
    TCA_RANGE, DSE; Pc's variants; a shell's mean object count), and a prediction states
    its model. CSV and JSON stay data alone."""
    from datetime import date

    from tests.env_helpers import write_space_weather
    from tests.service_helpers import screened_db

    db = str(screened_db(tmp_path))
    sw = str(write_space_weather(tmp_path / "sw.txt", date(2020, 1, 1), date(2060, 12, 31)))
    commands = [("report", "--limit", "5"), ("runs", "show", "1", "--limit", "5"),
                ("screen", "--at", "2026-01-01T00:00:00Z", "--days", "0.1", "--limit", "5",
                 "--workers", "1"),
                ("environment", "density"), ("environment", "census"),
                ("report", "--coordination"),
                ("access", "--country", "France", "--off-nadir", "30", "--at",
                 "2026-01-01T00:00:00Z", "--days", "1", "--id", "1,2,3,4,5,6"),
                ("lifetime", "--limit", "5", "--space-weather", sw),
                ("environment", "compliance", "--limit", "5", "--space-weather", sw),
                ("environment", "compliance", "--scorecard", "--space-weather", sw)]
    for command in commands:
        code, out, err = _run(*command, "--db", db)
        assert code == 0, (command, err)
        assert _unexplained_columns(out) == [], command
    for command in commands[-3:]:
        assert "NRLMSISE-00" in _run(*command, "--db", db)[1], command
    code, out, _ = _run("report", "--limit", "5", "--db", db, "--format", "csv")
    assert code == 0 and "km/s" not in out and len(list(csv.DictReader(io.StringIO(out)))) == 5
