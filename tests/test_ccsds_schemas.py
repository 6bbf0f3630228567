"""What orbitwatch writes in CCSDS XML validates against the official NDM/XML 1.0 schemas
(../shared/data/ccsds/ndmxml_xsd), and names cannot inject lines or break the markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from orbitwatch.formats import parse_omm, parse_tle, write_omm, write_tle
from orbitwatch.formats.cdm import read_cdm, write_cdm_kvn, write_cdm_xml
from tests.service_helpers import cli_ok, synthetic_db

xmlschema = pytest.importorskip("xmlschema", reason="pip install -e .[dev] (xmlschema)")


@pytest.fixture(scope="module")
def ndm_schema(shared_data: Path):
    master = shared_data / "ccsds" / "ndmxml_xsd" / "ndmxml-1.0" / "ndmxml-1.0-master.xsd"
    return xmlschema.XMLSchema(str(master))


def _errors(schema, text: str) -> list[str]:
    return [str(e).splitlines()[0] + " " + str(e.reason) for e in schema.iter_errors(text)]


def test_cdms_of_a_screening_run_validate(ndm_schema, tmp_path: Path):
    db = synthetic_db(tmp_path)
    cli_ok("screen", "--db", str(db), "--at", "2026-01-01T00:00:00Z", "--days", "0.25",
           "--workers", "1")
    out = tmp_path / "cdms"
    cli_ok("report", "--db", str(db), "--cdm-top", "5", "--cdm-format", "xml", "--cdm-dir",
           str(out))
    files = sorted(out.glob("*.xml"))
    assert len(files) == 5
    for f in files:
        text = f.read_text()
        assert "<relativeStateVector>" in text
        assert not _errors(ndm_schema, text), f.name
        cdm = read_cdm(text, source=f.name)  # and our own reader takes the wrapper
        assert cdm.relative["RELATIVE_POSITION_T"]


def test_cara_cdms_rewritten_as_xml_validate(ndm_schema, shared_data: Path):
    """Every term of their full 9x9 covariances carries its unit. CARA's files hold
    NaN where a value is unknown (ORBIT_CENTER's neighbours, the OD span); the schema's
    numeric types refuse NaN, so those are the only errors allowed."""
    files = sorted((shared_data / "cara" / "SampleCDMs").glob("*.cdm"))
    assert files
    for f in files:
        cdm = read_cdm(f.read_text(), source=f.name)
        text = write_cdm_xml(cdm)
        errors = [e for e in ndm_schema.iter_errors(text) if "'NaN'" not in str(e)]
        assert not errors, f"{f.name}: {errors[0]}"


def test_omm_xml_validates(ndm_schema):
    from orbitwatch.catalog.synth import synthesize

    text = write_omm([o.elements for o in synthesize(5, seed=1)], "xml")
    assert not _errors(ndm_schema, text)


def test_a_name_with_a_newline_injects_nothing(tmp_path: Path):
    """A name that got past input checks (stored by an older version, or given in code)
    is written on one line: no new KVN keyword, no broken XML, no renamed object."""
    from dataclasses import replace

    from orbitwatch.catalog.synth import synthesize

    es = replace(synthesize(1, seed=1)[0].elements, object_name="SAT\nMANEUVERABLE = YES\x00")
    kvn = write_omm([es], "kvn")
    assert "\nMANEUVERABLE" not in kvn
    again = parse_omm(kvn, "kvn", source="x.kvn").records[0]
    assert again.object_name == "SAT\ufffdMANEUVERABLE = YES\ufffd"
    xml = write_omm([es], "xml")
    assert parse_omm(xml, "xml", source="x.xml").records[0].object_name == again.object_name
    tle = write_tle([es])
    assert len(tle.splitlines()) == 3
    assert parse_tle(tle).records[0].object_name == again.object_name
    cdm = read_cdm((Path(__file__).parent / "fixtures" / "cdm_minimal.kvn").read_text())
    cdm.objects[0].values["OBJECT_NAME"] = "X\nMANEUVERABLE = YES"
    cdm.comments.append("line one\nline two")
    text = write_cdm_kvn(cdm)
    back = read_cdm(text)
    assert back.objects[0].values["OBJECT_NAME"] == "X\ufffdMANEUVERABLE = YES"
    assert read_cdm(write_cdm_xml(cdm)).objects[0].values["OBJECT_NAME"] == (
        "X\ufffdMANEUVERABLE = YES")


def test_satcat_name_with_control_characters_is_a_reject(tmp_path: Path):
    from orbitwatch.formats import parse_satcat_csv

    header = ("OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,"
              "LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,"
              "DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE")
    good = "ISS (ZARYA),1998-067A,25544,PAY,+,ISS,1998-11-20,TYMSC,,92.9,51.6,420,415,,,EA,ORB"
    bad = good.replace("ISS (ZARYA)", "ISS\x1b[2J").replace("25544", "25545")
    result = parse_satcat_csv("\n".join([header, good, bad]) + "\n", source="s.csv")
    assert [r.norad_cat_id for r in result.records] == [25544]
    assert result.rejects[0].field == "OBJECT_NAME" and result.rejects[0].line_no == 3


def test_an_independent_parser_reads_our_cdms_back(tmp_path: Path):
    """ccsds-ndm (PyPI, built on the CCSDS schemas) reads the KVN and XML CDMs of a
    screening run and finds what we wrote: TCA, miss, the relative state, both objects."""
    ndm_io = pytest.importorskip("ccsds_ndm.ndm_io", reason="pip install -e .[dev]")
    db = synthetic_db(tmp_path)
    cli_ok("screen", "--db", str(db), "--at", "2026-01-01T00:00:00Z", "--days", "0.25",
           "--workers", "1")
    for fmt in ("kvn", "xml"):
        out = tmp_path / fmt
        cli_ok("report", "--db", str(db), "--cdm-top", "3", "--cdm-format", fmt,
               "--cdm-dir", str(out))
        files = sorted(out.glob(f"*.{fmt}"))
        assert len(files) == 3
        for f in files:
            ours = read_cdm(f.read_text(), source=f.name)
            theirs = ndm_io.NdmIo().from_path(f)
            rel = theirs.body.relative_metadata_data
            assert rel.tca.startswith(ours.relative["TCA"][:19])
            assert rel.miss_distance.value == pytest.approx(float(
                ours.relative["MISS_DISTANCE"]))
            vector = rel.relative_state_vector
            assert vector is not None, f"{f.name}: relative state vector dropped"
            assert vector.relative_position_t.value == pytest.approx(float(
                ours.relative["RELATIVE_POSITION_T"]))
            for k in (0, 1):
                segment = theirs.body.segment[k]
                assert segment.metadata.object_designator == \
                    ours.objects[k].values["OBJECT_DESIGNATOR"]
                assert segment.data.state_vector.x.value == pytest.approx(
                    float(ours.objects[k].values["X"]))
