"""The GP/OMM conformance corpus (gpconf 0.7.0, ../shared/data/formats/gpconf_corpus).

Every case runs as a parametrised test. Cases whose inputs are live provider files
(``fixtures/<case>/raw/``, not shipped; the corpus's tools/fetch.py makes them) skip
with that reason. Cases we deliberately treat differently are listed in DELIBERATE.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from orbitwatch.core.time import format_epoch
from orbitwatch.errors import FileFormatError, OMMFormatError, TLEWriteError
from orbitwatch.formats import read_elements
from orbitwatch.formats.elements import ElementSet
from orbitwatch.formats.omm import element_set_from_omm
from orbitwatch.formats.tle import alpha5_decode, alpha5_encode, format_tle
from tests.conftest import data_dir

CORPUS = data_dir() / "formats" / "gpconf_corpus"
DELIBERATE = {
    "v05-omm-3.0-header-optional-keywords-omitted.kvn":
        "the message omits NORAD_CAT_ID (optional in CCSDS OMM 3.0); orbitwatch keys its "
        "catalog on the catalog number, so it rejects the message with that reason",
}
_VALUE_FIELDS = ("mean_motion", "eccentricity", "inclination", "ra_of_asc_node",
                 "arg_of_pericenter", "mean_anomaly", "bstar", "mean_motion_dot",
                 "mean_motion_ddot")


def _case_ids() -> list[str]:
    manifest = CORPUS / "manifest.json"
    if not manifest.exists():
        return ["corpus-missing"]
    return [c["id"] for c in json.loads(manifest.read_text())["cases"]]


def assert_matches(es: ElementSet, expected: dict, where: str) -> None:
    """Compare with the corpus's canonical values (floats to relative 1e-12)."""
    assert es.norad_cat_id == expected["norad_cat_id"], where
    assert format_epoch(es.epoch) == format_epoch(datetime.fromisoformat(
        expected["epoch"]).replace(tzinfo=es.epoch.tzinfo)), where
    for name in _VALUE_FIELDS:
        want = float(Decimal(str(expected[name])))
        got = getattr(es, name)
        assert got == pytest.approx(want, rel=1e-12, abs=0 if want else 1e-300), (where, name)
    for name in ("ephemeris_type", "element_set_no", "rev_at_epoch", "classification_type"):
        if name in expected:
            assert getattr(es, name) == expected[name], (where, name)


def _read(path: Path):
    return read_elements(path.read_text(), source=path.name)


@pytest.mark.parametrize("case", _case_ids())
def test_case(case: str) -> None:
    if case == "corpus-missing":
        pytest.skip(f"conformance corpus not found at {CORPUS} (set ORBITWATCH_DATA)")
    expected = json.loads((CORPUS / "fixtures" / case / "expected.json").read_text())
    present = [p for p in expected["sources"] if (CORPUS / p).exists()]
    kind = expected["kind"]
    if kind == "vectors":
        return _alpha5_vectors()
    if kind == "writer":
        return _writer(expected)
    if not present:
        pytest.skip(f"{case}: its inputs are live provider files not shipped with the corpus "
                    "(the corpus's tools/fetch.py fetches them)")
    if kind in ("derived-kvn", "derived-tle"):
        return _derived(expected)
    if kind == "corrupt-input":
        return _corrupt(expected)
    pytest.fail(f"{case}: kind {kind!r} has local inputs but no runner here")


def _derived(expected: dict) -> None:
    folder = "kvn-variants" if expected["kind"] == "derived-kvn" else "alpha5-tle"
    checked = 0
    by_file: dict[str, dict[int, ElementSet]] = {}
    for rec in expected["records"]:
        name = rec["derived_file"]
        if name in DELIBERATE:
            result = _read(CORPUS / "derived" / folder / name)
            assert not result.records and result.rejects, name
            continue
        if name not in by_file:
            result = _read(CORPUS / "derived" / folder / name)
            assert not result.rejects, (name, result.rejects[:3])
            by_file[name] = {es.norad_cat_id: es for es in result.records}
        want = dict(rec["canonical"])
        want.update(rec.get("by_format", {}).get("tle", {}).get("differs_from_omm", {}))
        assert_matches(by_file[name][want["norad_cat_id"]], want, name)
        checked += 1
    assert checked > 0


def _corrupt(expected: dict) -> None:
    files = expected["case_specific"]["files"]
    for name, spec in files.items():
        path = CORPUS / "derived" / "corrupt-input" / name
        unedited = {es.norad_cat_id: es for es in _read(CORPUS / spec["unedited"]).records}
        try:
            result = _read(path)
        except FileFormatError as err:
            assert name.endswith(".json") and "line" in str(err)  # fail-closed refusal
            continue
        bad = spec["corrupt_norad_cat_id"]
        assert bad not in {es.norad_cat_id for es in result.records}, f"{name}: corrupt record read"
        assert result.rejects and all(r.reason for r in result.rejects), f"{name}: not reported"
        for es in result.records:  # neighbours load exactly as from the unedited file
            assert es == unedited[es.norad_cat_id], name
        assert len(result.records) == len(unedited) - 1, name


def _alpha5_vectors() -> None:
    v = json.loads((CORPUS / "vectors" / "alpha5.json").read_text())
    pairs = v["official_examples"] + v["boundaries"] + v["skip_boundaries"] + v["below_100000"]
    for item in pairs:
        assert alpha5_encode(item["norad_cat_id"]) == item["field"]
        assert alpha5_decode(item["field"]) == item["norad_cat_id"]
    for item in v["decode_invalid"]:
        with pytest.raises(ValueError):
            alpha5_decode(item["field"])
    for item in v["encode_unrepresentable"]:
        with pytest.raises(TLEWriteError):
            alpha5_encode(item["norad_cat_id"])


def _writer(expected: dict) -> None:
    written = 0
    for rec in expected["records"]:
        canonical = {k.upper(): v for k, v in rec["canonical"].items()}
        if not rec.get("representable_in_tle", True):
            # Refusing is the right answer, whether at reading (a negative number) or
            # at writing (above 339999).
            with pytest.raises((TLEWriteError, OMMFormatError)):
                format_tle(element_set_from_omm(canonical))
            continue
        es = element_set_from_omm(canonical)
        line1, line2 = format_tle(es, name_line=False)
        fields = rec["reference_tle_fields"]
        assert line1[2:7] == fields["catalog_field"] == line2[2:7]
        assert line1[18:32] == fields["epoch_field"]
        assert line1[33:43] == fields["ndot_field"]
        assert line1[44:52] == fields["nddot_field"]
        assert line1[53:61] == fields["bstar_field"]
        assert line2[26:33] == fields["ecc_field"]
        assert line1[9:17] == fields["intl_designator_field"]
        assert line1[64:68] == fields["element_set_field"]
        assert line2[63:68] == fields["rev_field"]
        written += 1
    assert written > 0
