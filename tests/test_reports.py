"""``orbitwatch report``: conjunction table with risk, coordination, HTML and CDMs, on a
stored run of a synthetic catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from orbitwatch.cli.main import cli
from orbitwatch.formats.cdm import read_cdm
from orbitwatch.risk.from_cdm import cdm_pc_foster


def _run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def screened_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    db, omm, sat = tmp / "c.db", tmp / "s.json", tmp / "sat.csv"
    assert _run("catalog", "synth", "--objects", "2000", "-o", str(omm),
                "--satcat", str(sat))[0] == 0
    assert _run("catalog", "load", str(omm), str(sat), "--db", str(db))[0] == 0
    code, _, err = _run("screen", "--db", str(db), "--at", "2026-01-01T00:00:00Z", "--days",
                        "1", "--workers", "1", "--limit", "1")
    assert code == 0, err
    return db


def test_conjunction_table_sorted_and_labelled(screened_db: Path):
    code, out, err = _run("report", "--db", str(screened_db), "--format", "json", "--limit", "0")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) > 20
    probs = [r["MAX_PROB"] for r in rows]
    assert probs == sorted(probs, reverse=True)
    for r in rows:
        assert 0.0 <= r["PC"] <= 1.0 and 0.0 <= r["MAX_PROB"] <= 1.0
        assert r["PC"] <= r["PC_MAX"] <= 1.0  # a maximum stays a maximum
        assert r["COVARIANCE"].startswith("assumed:")
        assert r["PC_BAND"] == ("red" if r["PC"] >= 1e-4 else
                                "yellow" if r["PC"] >= 1e-7 else "green")
        assert r["HBR_M"] > 0 and r["HBR_SOURCE"]
        assert r["TCA_RANGE"] <= 5.0
    code, out, _ = _run("report", "--db", str(screened_db), "--format", "json", "--limit", "0",
                        "--sort", "range")
    ranges = [r["TCA_RANGE"] for r in json.loads(out)]
    assert ranges == sorted(ranges) and len(ranges) == len(rows)


def test_coordination_groups_every_event_once(screened_db: Path):
    _, out, _ = _run("report", "--db", str(screened_db), "--format", "json", "--limit", "0")
    rows = json.loads(out)
    code, out, _ = _run("report", "--db", str(screened_db), "--coordination", "--format",
                        "json", "--limit", "0")
    groups = json.loads(out)
    assert code == 0
    assert sum(g["EVENTS"] for g in groups) == len(rows)
    assert sum(g["RED"] + g["YELLOW"] + g["GREEN"] for g in groups) == len(rows)
    pairs = {(g["OWNER_A"], g["OWNER_B"]) for g in groups}
    assert len(pairs) == len(groups)
    reds = [(-g["RED"], -g["YELLOW"], -g["EVENTS"]) for g in groups]
    assert reds == sorted(reds)


def test_html_page_and_cdms(screened_db: Path, tmp_path: Path):
    page = tmp_path / "r.html"
    code, _, _ = _run("report", "--db", str(screened_db), "--format", "html", "--out",
                      str(page), "--limit", "10")
    text = page.read_text()
    assert code == 0 and text.startswith("<!DOCTYPE html>") and text.count("<tr") == 11
    assert "ASSUMED covariances" in text and "<script" not in text
    _, out, _ = _run("report", "--db", str(screened_db), "--format", "json", "--limit", "3")
    top = json.loads(out)
    for fmt in ("kvn", "xml"):
        folder = tmp_path / fmt
        code, _, err = _run("report", "--db", str(screened_db), "--cdm-top", "3", "--cdm-dir",
                            str(folder), "--cdm-format", fmt)
        assert code == 0, err
        files = sorted(folder.iterdir())
        assert len(files) == 3
        for path, row in zip(files, sorted(top, key=lambda r: -r["MAX_PROB"]), strict=True):
            cdm = read_cdm(path.read_text(), source=path.name)
            assert cdm.objects[0].covariance_method == "DEFAULT"
            assert cdm.objects[0].ref_frame == "GCRF"
            assert {int(o.designator) for o in cdm.objects} == {row["NORAD_CAT_ID_1"],
                                                                 row["NORAD_CAT_ID_2"]}
            assert abs(cdm.miss_distance_m - row["TCA_RANGE"] * 1000) < 0.01
            # the message's Pc is reproduced from its own states and covariances
            assert abs(cdm_pc_foster(cdm, cdm.hbr_m) / cdm.collision_probability - 1) < 1e-3


def test_object_risk_history_across_runs(screened_db: Path, tmp_path: Path):
    db = tmp_path / "history.db"
    db.write_bytes(screened_db.read_bytes())
    # a second run over an overlapping window on the same element sets: every approach
    # in the overlap is the same conjunction, with the same Pc
    code, _, err = _run("screen", "--db", str(db), "--at", "2026-01-01T06:00:00Z", "--days",
                        "1", "--workers", "1", "--limit", "1")
    assert code == 0, err
    _, out, _ = _run("report", "1", "--db", str(db), "--format", "json", "--limit", "0",
                     "--sort", "pc")
    first = json.loads(out)
    late = [r for r in first if r["TCA"] >= "2026-01-01T06:01"]
    obj = late[0]["NORAD_CAT_ID_1"]
    code, out, err = _run("report", "--db", str(db), "--object", str(obj), "--history",
                          "--format", "json", "--limit", "0")
    assert code == 0, err
    rows = json.loads(out)
    in_run_1 = [r for r in first if obj in (r["NORAD_CAT_ID_1"], r["NORAD_CAT_ID_2"])]
    assert sum(r["RUN_ID"] == 1 for r in rows) == len(in_run_1)
    by_conjunction: dict[int, list[dict]] = {}
    for r in rows:
        by_conjunction.setdefault(r["CONJUNCTION"], []).append(r)
    seen_twice = [c for c in by_conjunction.values() if len(c) == 2]
    assert seen_twice, "an approach in the overlap should be in both runs"
    for a, b in seen_twice:
        assert (a["RUN_ID"], b["RUN_ID"]) == (1, 2)
        assert a["TCA"] == b["TCA"] and a["PC_CHANGE"] is None
        assert b["PC_CHANGE"] == pytest.approx(1.0, rel=1e-9) or b["PC"] == 0.0
    for c in by_conjunction.values():
        if len(c) == 1:
            tca = c[0]["TCA"]
            overlap = "2026-01-01T06:00:01" <= tca <= "2026-01-01T23:59:59"
            assert not overlap, f"conjunction at {tca} in the overlap seen by one run only"
    code, _, err = _run("report", "--db", str(db), "--history")
    assert code == 2 and "--object" in err
