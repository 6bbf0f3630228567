"""The command line: exit codes, one-line errors, output formats."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

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
