"""CCSDS CDM (508.0-B-1) reading and writing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orbitwatch.errors import CDMFormatError
from orbitwatch.formats.cdm import (
    POS_VEL_COVARIANCE_KEYS,
    read_cdm,
    write_cdm_kvn,
    write_cdm_xml,
)

#: deliberately malformed files and the keyword their error must name
MALFORMED = {
    "CDM-covariance-wrong-entry-format.txt": ("CRDOT_T", 65),
    "CDM-missing-TCA.txt": ("TCA", None),
    "CDM-missing-object1-covariance-block.xml": ("CR_R", 38),
    "CDM-missing-object2-state-vector.txt": ("X", 43),
    "CDM-wrong-key-word.txt": ("WRONG_KEYWORD", 6),
    "CDMExample1InvalidTca.txt": ("TCA", 5),
    "CDMExample_issue1319_mandatory_empty_value.xml": ("X", 36),
}


@pytest.fixture(scope="module")
def cdm_dir(shared_data: Path) -> Path:
    return shared_data / "ccsds" / "orekit_style_test_messages" / "cdm"


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_cdm_rejected_naming_line_and_keyword(cdm_dir, name):
    keyword, line = MALFORMED[name]
    with pytest.raises(CDMFormatError) as info:
        read_cdm((cdm_dir / name).read_text(), source=name)
    err = info.value
    assert err.field == keyword
    assert err.line_no == line
    assert name in str(err) and keyword in str(err)


def test_version_2_is_refused_clearly(cdm_dir):
    for name in ("CDMExample_issue_940.txt", "CDMExample_issue_940.xml"):
        with pytest.raises(CDMFormatError, match=r"508\.0-B-1"):
            read_cdm((cdm_dir / name).read_text(), source=name)


def test_blue_book_example_parses(shared_data):
    base = shared_data / "ccsds" / "egemenimre_ccsds-ndm"
    kvn = read_cdm((base / "kvn" / "cdm_example_section4.kvn").read_text(), source="kvn")
    xml = read_cdm((base / "xml" / "cdm_example_section4.xml").read_text(), source="xml")
    for cdm in (kvn, xml):
        assert cdm.collision_probability == pytest.approx(4.835e-05)
        assert cdm.objects[0].values["OBJECT"] == "OBJECT1"
        assert cdm.objects[1].values["OBJECT"] == "OBJECT2"
        assert cdm.miss_distance_m > 0
    assert np.allclose(kvn.objects[0].state_km, xml.objects[0].state_km)
    assert np.allclose(kvn.objects[1].covariance_rtn, xml.objects[1].covariance_rtn)


def test_every_valid_sample_parses_and_round_trips(cdm_dir, shared_data):
    files = [p for p in sorted(cdm_dir.iterdir()) if p.name not in MALFORMED
             and "issue_940" not in p.name]
    files += sorted((shared_data / "cara" / "SampleCDMs").glob("*.cdm"))
    assert len(files) > 40
    for path in files:
        cdm = read_cdm(path.read_text(), source=path.name)
        for text in (write_cdm_kvn(cdm), write_cdm_xml(cdm)):
            again = read_cdm(text, source=path.name)
            assert again.header == cdm.header, path.name
            assert again.relative == cdm.relative, path.name
            for a, b in zip(again.objects, cdm.objects, strict=True):
                assert a.values == b.values, path.name
                assert a.comments == b.comments, path.name
            assert again.comments == cdm.comments, path.name


def test_hard_body_radius_from_comments(cdm_dir, shared_data):
    cara = read_cdm((shared_data / "cara" / "SampleCDMs" / "AlfanoTestCase02.cdm").read_text())
    assert cara.hbr_m == 4.0  # COMMENT HBR = 4.0
    cspoc = read_cdm((cdm_dir / "ION_SCV8_vs_STARLINK_1233.txt").read_text())
    assert cspoc.hbr_m == 10.0  # two exclusion-volume radii of 5 m


numbers = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
texts = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters=" -_"),
                min_size=1, max_size=20).map(str.strip).filter(bool)


@settings(max_examples=40, deadline=None)
@given(state=st.lists(numbers, min_size=12, max_size=12),
       cov=st.lists(numbers, min_size=42, max_size=42),
       name=texts, comment=texts, pc=st.floats(0, 1))
def test_round_trip_property(state, cov, name, comment, pc):
    base = Path(__file__).parent / "fixtures" / "cdm_minimal.kvn"
    cdm = read_cdm(base.read_text(), source="fixture")
    cdm.relative["COLLISION_PROBABILITY"] = repr(pc)
    cdm.comments.append(comment)
    for k, obj in enumerate(cdm.objects):
        obj.values["OBJECT_NAME"] = name
        for key, value in zip(("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT"), state[6 * k:6 * k + 6],
                              strict=True):
            obj.values[key] = repr(value)
        for key, value in zip(POS_VEL_COVARIANCE_KEYS, cov[21 * k:21 * k + 21], strict=True):
            obj.values[key] = repr(value)
        obj.comments.append(comment)
    for text in (write_cdm_kvn(cdm), write_cdm_xml(cdm)):
        again = read_cdm(text, source="rt")
        assert again.relative == cdm.relative
        assert again.comments == cdm.comments
        for a, b in zip(again.objects, cdm.objects, strict=True):
            assert a.values == b.values
            assert a.comments == b.comments
            expected = [float(b.values[k]) for k in ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")]
            assert np.array_equal(a.state_km, np.array(expected))
