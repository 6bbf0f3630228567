"""``orbitwatch risk``: Pc of CDM files, each method, bad files reported."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from orbitwatch.cli.main import cli


def _run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_risk_on_cara_cdms_and_a_bad_file(shared_data: Path, tmp_path: Path):
    cdms = shared_data / "cara" / "SampleCDMs"
    expected = {int(r["Case"]): float(r["CARA_Pc2D"]) for r in csv.DictReader(
        (shared_data / "cara" / "alfano_2009_cases_expected_pc.csv").read_text().splitlines())}
    bad = tmp_path / "cut.cdm"
    bad.write_text((cdms / "AlfanoTestCase03.cdm").read_text().replace("TCA ", "TCX ", 1))
    code, out, err = _run("risk", "--format", "json", str(cdms / "AlfanoTestCase03.cdm"),
                          str(cdms / "AlfanoTestCase06.cdm"), str(bad))
    assert code == 2
    assert "cut.cdm" in err and "line 5" in err and "TCX" in err
    rows = json.loads(out)
    assert {r["method"] for r in rows} == {"FOSTER-1992", "ALFANO-2005", "HALL-3D-NC"}
    for r in rows:
        case = int(Path(r["file"]).stem[-2:])
        assert r["hbr_source"] == "CDM COMMENT HBR"
        if r["method"] == "FOSTER-1992" and r["hbr_shape"] == "circle":
            # the CDM rounds positions to 1 mm, hence not the 1e-6 of the .xls inputs
            assert abs(r["pc"] / expected[case] - 1) < 1e-4
        elif r["method"] == "FOSTER-1992":  # the square holds the disk
            assert r["pc"] > expected[case]
        elif r["method"] == "HALL-3D-NC":  # fast encounters: 3D agrees with 2D
            assert abs(r["pc"] / expected[case] - 1) < 1e-3
        else:
            assert r["pc"] >= expected[case]  # the maximum over the covariance's size


def test_risk_needs_a_hard_body_radius(shared_data: Path):
    example = (shared_data / "ccsds" / "orekit_style_test_messages" / "cdm" / "CDMExample1.txt")
    code, _, err = _run("risk", str(example))
    assert code == 2 and "--hbr" in err
    code, out, _ = _run("risk", "--hbr", "20", "--format", "csv", str(example))
    assert code == 0
    rows = list(csv.DictReader(out.splitlines()))
    assert len(rows) == 4 and all(0.0 <= float(r["pc"]) <= 1.0 for r in rows)


def test_risk_reproduces_the_cspoc_message_with_its_square(shared_data: Path):
    path = (shared_data / "ccsds" / "orekit_style_test_messages" / "cdm"
            / "ION_SCV8_vs_STARLINK_1233.txt")
    code, out, _ = _run("risk", "--format", "json", str(path))
    assert code == 0
    rows = json.loads(out)
    square = next(r for r in rows if r["method"] == "FOSTER-1992" and r["hbr_shape"] == "square")
    assert square["hbr_m"] == 10.0 and abs(square["pc"] / square["cdm_pc"] - 1) < 0.01


def test_the_non_positive_definite_cdm_gives_rows_and_no_warning(shared_data: Path):
    """CARA's non-positive-definite sample leaked a RuntimeWarning from the 3D Nc
    (warnings are errors in the tests); it gives its rows, as its neighbours do."""
    files = [shared_data / "cara" / "SampleCDMs" / f"OmitronTestCase_Test{k:02d}{suffix}.cdm"
             for k, suffix in ((7, "_NonPDCovariance"),)]
    assert all(f.exists() for f in files)
    code, out, err = _run("risk", "--hbr", "20", "--format", "json", *map(str, files))
    assert code == 0, err
    assert {r["file"] for r in json.loads(out)} == {str(f) for f in files}
