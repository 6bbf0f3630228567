"""OMM in four encodings: read CelesTrak's and Space-Track's shapes, write, read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orbitwatch.errors import FileFormatError
from orbitwatch.formats import detect_format, read_elements
from orbitwatch.formats.omm import parse_omm_epoch, parse_omm_json, write_omm
from tests.strategies import element_sets

SPACETRACK_JSON = """[{"CCSDS_OMM_VERS":"2.0","OBJECT_NAME":"STARLINK-1008","OBJECT_ID":"2019-074B",
"CENTER_NAME":"EARTH","REF_FRAME":"TEME","TIME_SYSTEM":"UTC","MEAN_ELEMENT_THEORY":"SGP4",
"EPOCH":"2024-02-01T12:00:00","MEAN_MOTION":"15.06391024","ECCENTRICITY":"0.00014870",
"INCLINATION":"53.0540","RA_OF_ASC_NODE":"102.5062","ARG_OF_PERICENTER":"85.9950",
"MEAN_ANOMALY":"274.1190","EPHEMERIS_TYPE":"0","CLASSIFICATION_TYPE":"U",
"NORAD_CAT_ID":"400123456","ELEMENT_SET_NO":"999","REV_AT_EPOCH":"23713",
"BSTAR":"0.00030143000000","MEAN_MOTION_DOT":"0.00004136","MEAN_MOTION_DDOT":"0.0000000000000"}]"""


def test_spacetrack_strings_and_nine_digit_number() -> None:
    result = parse_omm_json(SPACETRACK_JSON)
    (es,) = result.records
    assert es.norad_cat_id == 400_123_456
    assert es.epoch_iso == "2024-02-01T12:00:00.000000"
    assert es.mean_motion == 15.06391024 and es.bstar == 0.00030143


def test_ten_digit_number_rejected_with_field() -> None:
    result = parse_omm_json(SPACETRACK_JSON.replace("400123456", "4001234567"))
    (rej,) = result.rejects
    assert rej.field == "NORAD_CAT_ID" and "9 digits" in rej.reason


@pytest.mark.parametrize(("text", "iso"), [
    ("2026-03-10T03:48:27.801504", "2026-03-10T03:48:27.801504"),
    ("2026-03-10T03:48:27", "2026-03-10T03:48:27.000000"),
    ("2026-069T03:48:27.8Z", "2026-03-10T03:48:27.800000"),
    ("1998-324T06:49:59.999808Z", "1998-11-20T06:49:59.999808"),
    ("2026-03-10T03:48:27.80150449", "2026-03-10T03:48:27.801504"),
])
def test_epoch_forms(text: str, iso: str) -> None:
    from orbitwatch.formats.elements import format_epoch
    assert format_epoch(parse_omm_epoch(text)) == iso


@pytest.mark.parametrize("text", ["2026-02-30T00:00:00", "2026-367T00:00:00", "26-03-10T00:00",
                                  "2026-03-10 03:48:27", "2026-03-10T25:00:00"])
def test_bad_epochs(text: str) -> None:
    with pytest.raises(ValueError):
        parse_omm_epoch(text)


def test_missing_field_named_with_line_in_csv() -> None:
    text = ("OBJECT_NAME,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,"
            "ARG_OF_PERICENTER,MEAN_ANOMALY,NORAD_CAT_ID\n"
            "A,2026-01-01T00:00:00,15.5,0.001,51.6,10,20,30,1\n"
            "B,2026-01-01T00:00:00,,0.001,51.6,10,20,30,2\n"
            "C,2026-01-01T00:00:00,15.5,1.5,51.6,10,20,30,3\n")
    result = read_elements(text, source="x.csv")
    assert [r.norad_cat_id for r in result.records] == [1]
    assert [(r.line_no, r.field) for r in result.rejects] == [(3, "MEAN_MOTION"),
                                                              (4, "ECCENTRICITY")]


def test_cut_json_refused_whole_with_position() -> None:
    with pytest.raises(FileFormatError, match="line 1, column"):
        parse_omm_json(SPACETRACK_JSON.replace("\n", "")[:-5], source="cut.json")


@settings(max_examples=100, deadline=None)
@given(st.lists(element_sets(max_norad=999_999_999), min_size=1, max_size=4),
       st.sampled_from(["json", "csv", "xml", "kvn"]))
def test_round_trip(elements, fmt: str) -> None:
    text = write_omm(elements, fmt)
    assert detect_format(text) == fmt
    back = read_elements(text, fmt=fmt)
    assert not back.rejects
    assert back.records == elements


def test_celestrak_groups_read_whole(shared_data: Path) -> None:
    for path in sorted((shared_data / "catalogs").glob("celestrak_*")):
        result = read_elements(path.read_text(), source=path.name)
        assert result.records and not result.rejects, path.name
    analyst = read_elements((shared_data / "catalogs" /
                             "celestrak_analyst_2026-03-10.json").read_text())
    assert any(es.norad_cat_id > 99_999 for es in analyst.records)
