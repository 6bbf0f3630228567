"""Strict TLE reading: every field checked by column before any value reaches SGP4."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from orbitwatch.errors import TLEFormatError, TLEWriteError
from orbitwatch.formats.tle import (
    alpha5_decode,
    alpha5_encode,
    checksum,
    format_tle,
    parse_tle,
    parse_tle_lines,
    write_tle,
)
from tests.strategies import element_sets

L1 = "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753"
L2 = "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667"


def test_reads_every_field() -> None:
    es = parse_tle_lines(L1, L2, "VANGUARD 1")
    assert es.norad_cat_id == 5
    assert es.object_id == "1958-002B"
    assert es.epoch_iso == "2000-06-27T18:50:19.733568"
    assert (es.inclination, es.ra_of_asc_node, es.eccentricity) == (34.2682, 348.7242, 0.1859667)
    assert (es.arg_of_pericenter, es.mean_anomaly, es.mean_motion) == (331.7664, 19.3264,
                                                                      10.82419157)
    assert es.bstar == pytest.approx(0.28098e-4, rel=1e-15)
    assert es.mean_motion_dot == 0.00000023
    assert es.rev_at_epoch == 41366 and es.element_set_no == 475


def test_shifted_raan_is_rejected_not_misread() -> None:
    # One space moved: python-sgp4's C++ reader turns RAAN 348.72 into 0.27 here.
    shifted = L2[:17] + L2[18:26] + " " + L2[26:]
    with pytest.raises(TLEFormatError) as info:
        parse_tle_lines(L1, shifted, checksum_policy="ignore")
    assert info.value.field in ("RA_OF_ASC_NODE", "INCLINATION")
    assert "column" in str(info.value)


def test_checksum_policy() -> None:
    bad = L1[:-1] + str((int(L1[-1]) + 1) % 10)
    with pytest.raises(TLEFormatError, match="checksum") as info:
        parse_tle_lines(bad, L2, source="f.tle", line_no=7)
    assert info.value.field == "CHECKSUM" and info.value.line_no == 7
    assert "f.tle, line 7" in str(info.value)
    assert parse_tle_lines(bad, L2, checksum_policy="ignore").norad_cat_id == 5


def test_mismatched_catalog_numbers_rejected() -> None:
    other = L2[:2] + "00006" + L2[7:68]
    other += str(checksum(other))
    with pytest.raises(TLEFormatError, match="catalog number 5 but line 2 for 6"):
        parse_tle_lines(L1, other)


def test_letter_in_numeric_field_rejected_by_column_check() -> None:
    # With the checksum ignored, only the field's own syntax check can catch it.
    bad = L1[:25] + "O" + L1[26:]
    with pytest.raises(TLEFormatError) as info:
        parse_tle_lines(bad, L2, checksum_policy="ignore")
    assert info.value.field == "EPOCH"


def test_stream_keeps_good_sets_around_bad_ones() -> None:
    text = "\n".join(["SAT A", L1, L2, "SAT B", L1, "SAT C", L1, L2[:50], "2 junk line",
                      "0 SAT D", L1, L2])
    result = parse_tle(text, source="mixed.tle")
    assert [r.object_name for r in result.records] == ["SAT A", "SAT D"]
    reasons = [(r.line_no, r.field) for r in result.rejects]
    assert (5, "LINE") in reasons  # orphan line 1 of SAT B
    assert any(r.line_no == 7 for r in result.rejects)  # SAT C's line 2 too short
    assert all(r.source == "mixed.tle" and r.raw for r in result.rejects)


@pytest.mark.parametrize(("number", "field"), [(0, "00000"), (25544, "25544"),
                                               (100000, "A0000"), (148493, "E8493"),
                                               (182931, "J2931"), (234018, "P4018"),
                                               (301928, "W1928"), (339999, "Z9999")])
def test_alpha5(number: int, field: str) -> None:
    assert alpha5_encode(number) == field
    assert alpha5_decode(field) == number


@pytest.mark.parametrize("field", ["I0000", "O1234", "A123", "a0000", "12 45"])
def test_alpha5_rejects_invalid(field: str) -> None:
    with pytest.raises(ValueError):
        alpha5_decode(field)


def test_writer_refuses_numbers_without_tle_form() -> None:
    es = parse_tle_lines(L1, L2)
    from dataclasses import replace
    with pytest.raises(TLEWriteError, match="339999"):
        format_tle(replace(es, norad_cat_id=340_000))


@settings(max_examples=300, deadline=None)
@given(element_sets())
def test_export_import_round_trip(es) -> None:
    text = write_tle([es])
    back = parse_tle(text)
    assert not back.rejects, back.rejects
    assert back.records == [es]


def test_socrates_files_with_eight_digit_eccentricity_rejected(shared_data: Path) -> None:
    folder = shared_data / "socrates" / "top20_pairs_gp"
    rejected = {}
    for path in sorted(folder.glob("*.txt")):
        result = parse_tle(path.read_text(), source=path.name)
        if result.rejects:
            rejected[path.name] = result.rejects
            for rej in result.rejects:
                assert rej.field == "ECCENTRICITY"
                assert rej.source == path.name and rej.line_no is not None
                assert "column 34" in rej.reason
        # The OMM version of the same pair is read whole.
        from orbitwatch.formats import read_elements
        omm = read_elements(path.with_suffix(".json").read_text(), source=path.name)
        assert len(omm.records) == 2 and not omm.rejects
    assert len(rejected) == 5


def test_full_catalog_reads_without_rejects(shared_data: Path) -> None:
    path = shared_data / "catalogs" / "spacetrack_full_2022-01-25.3le"
    result = parse_tle(path.read_text(), source=path.name)
    assert len(result.records) == 23_939 and not result.rejects
    assert result.records[0].object_name == "VANGUARD 1"


def test_error_shows_the_line_under_its_template_column_for_column() -> None:
    """The user's line and the expected template start in the same column, so a shifted
    field shows as a shifted character."""
    shifted = L2[:17] + L2[18:26] + " " + L2[26:]
    with pytest.raises(TLEFormatError) as info:
        parse_tle_lines(L1, shifted, checksum_policy="ignore")
    lines = str(info.value).splitlines()
    got = next(x for x in lines if x.strip().startswith("got:"))
    expected = next(x for x in lines if x.strip().startswith("expected:"))
    assert got.index("'") == expected.index("'")
    assert got[got.index("'"):] == repr(shifted)
