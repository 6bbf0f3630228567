"""CCSDS Conjunction Data Message (CCSDS 508.0-B-1): read KVN and XML, write both.

A CDM holds a header, the relative metadata/data of one conjunction (TCA, miss distance,
screening volume, Pc) and, for each of the two objects, metadata, OD parameters,
additional parameters, the state at TCA (km, km/s in REF_FRAME) and the covariance in
that object's RTN frame (m^2, m^2/s, m^2/s^2; 6x6 position-velocity, optionally with
drag, SRP and thrust rows).

COMMENT lines are kept where they stand (header, relative part, each object). CARA's
validation CDMs carry the hard-body radius as ``COMMENT HBR = 20.0`` and 18 SDS's
as ``COMMENT Exclusion Volume Radius = 5.000000 [m]`` per object; :attr:`Cdm.hbr_m`
reads either.

Errors name the file, the line (KVN) or the element path (XML), and the keyword.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import numpy as np

from orbitwatch.errors import CDMFormatError
from orbitwatch.formats.elements import one_line
from orbitwatch.formats.omm import parse_omm_epoch

HEADER_KEYS = ("CCSDS_CDM_VERS", "CREATION_DATE", "ORIGINATOR", "MESSAGE_FOR", "MESSAGE_ID")
RELATIVE_KEYS = (
    "TCA", "MISS_DISTANCE", "RELATIVE_SPEED",
    "RELATIVE_POSITION_R", "RELATIVE_POSITION_T", "RELATIVE_POSITION_N",
    "RELATIVE_VELOCITY_R", "RELATIVE_VELOCITY_T", "RELATIVE_VELOCITY_N",
    "START_SCREEN_PERIOD", "STOP_SCREEN_PERIOD", "SCREEN_VOLUME_FRAME",
    "SCREEN_VOLUME_SHAPE", "SCREEN_VOLUME_X", "SCREEN_VOLUME_Y", "SCREEN_VOLUME_Z",
    "SCREEN_ENTRY_TIME", "SCREEN_EXIT_TIME", "COLLISION_PROBABILITY",
    "COLLISION_PROBABILITY_METHOD",
)
OBJECT_METADATA_KEYS = (
    "OBJECT", "OBJECT_DESIGNATOR", "CATALOG_NAME", "OBJECT_NAME", "INTERNATIONAL_DESIGNATOR",
    "OBJECT_TYPE", "OPERATOR_CONTACT_POSITION", "OPERATOR_ORGANIZATION", "OPERATOR_PHONE",
    "OPERATOR_EMAIL", "EPHEMERIS_NAME", "COVARIANCE_METHOD", "MANEUVERABLE", "ORBIT_CENTER",
    "REF_FRAME", "GRAVITY_MODEL", "ATMOSPHERIC_MODEL", "N_BODY_PERTURBATIONS",
    "SOLAR_RAD_PRESSURE", "EARTH_TIDES", "INTRACK_THRUST",
)
OD_KEYS = (
    "TIME_LASTOB_START", "TIME_LASTOB_END", "RECOMMENDED_OD_SPAN", "ACTUAL_OD_SPAN",
    "OBS_AVAILABLE", "OBS_USED", "TRACKS_AVAILABLE", "TRACKS_USED", "RESIDUALS_ACCEPTED",
    "WEIGHTED_RMS",
)
ADDITIONAL_KEYS = (
    "AREA_PC", "AREA_DRG", "AREA_SRP", "MASS", "CD_AREA_OVER_MASS", "CR_AREA_OVER_MASS",
    "THRUST_ACCELERATION", "SEDR",
)
STATE_KEYS = ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
_AXES = ("R", "T", "N", "RDOT", "TDOT", "NDOT", "DRG", "SRP", "THR")
_ROW_NAMES = ("R", "T", "N", "RDOT", "TDOT", "NDOT", "DRG", "SRP", "THR")
#: Lower-triangle covariance keywords, row by row: CR_R, CT_R, CT_T, ..., CTHR_THR.
COVARIANCE_KEYS = tuple(
    f"C{_ROW_NAMES[i]}_{_AXES[j]}" for i in range(9) for j in range(i + 1)
)
POS_VEL_COVARIANCE_KEYS = COVARIANCE_KEYS[:21]
OBJECT_KEYS = OBJECT_METADATA_KEYS + OD_KEYS + ADDITIONAL_KEYS + STATE_KEYS + COVARIANCE_KEYS

MANDATORY_HEADER = ("CCSDS_CDM_VERS", "CREATION_DATE", "ORIGINATOR", "MESSAGE_ID")
MANDATORY_RELATIVE = ("TCA", "MISS_DISTANCE")
MANDATORY_OBJECT = (
    "OBJECT", "OBJECT_DESIGNATOR", "CATALOG_NAME", "OBJECT_NAME", "INTERNATIONAL_DESIGNATOR",
    "EPHEMERIS_NAME", "COVARIANCE_METHOD", "MANEUVERABLE", "REF_FRAME",
    *STATE_KEYS, *POS_VEL_COVARIANCE_KEYS,
)
_ENUMS = {
    "OBJECT": ("OBJECT1", "OBJECT2"),
    "COVARIANCE_METHOD": ("CALCULATED", "DEFAULT"),
    "MANEUVERABLE": ("YES", "NO", "N/A"),
    "REF_FRAME": ("GCRF", "EME2000", "ITRF"),
    "SCREEN_VOLUME_FRAME": ("RTN", "TVN"),
    "SCREEN_VOLUME_SHAPE": ("ELLIPSOID", "BOX"),
}
_TIME_KEYS = {"CREATION_DATE", "TCA", "START_SCREEN_PERIOD", "STOP_SCREEN_PERIOD",
              "SCREEN_ENTRY_TIME", "SCREEN_EXIT_TIME", "TIME_LASTOB_START", "TIME_LASTOB_END"}
_TEXT_KEYS = set(HEADER_KEYS) | set(OBJECT_METADATA_KEYS) | {
    "SCREEN_VOLUME_FRAME", "SCREEN_VOLUME_SHAPE", "COLLISION_PROBABILITY_METHOD"}
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_HBR_COMMENT = re.compile(r"^HBR\s*=?\s*([0-9.eE+-]+)")
_EXCLUSION_COMMENT = re.compile(r"^Exclusion Volume Radius\s*=\s*([0-9.eE+-]+)")


@dataclass(slots=True)
class CdmObject:
    """One object of a CDM. ``values`` holds every keyword as given (text); the parsed
    state and covariance are below."""

    values: dict[str, str]
    state_km: np.ndarray  # (6,) X, Y, Z km and X_DOT, Y_DOT, Z_DOT km/s in REF_FRAME
    covariance_rtn: np.ndarray  # (6, 6) m^2, m^2/s, m^2/s^2 in this object's RTN frame
    comments: list[str] = field(default_factory=list)

    @property
    def designator(self) -> str:
        return self.values["OBJECT_DESIGNATOR"]

    @property
    def name(self) -> str:
        return self.values["OBJECT_NAME"]

    @property
    def ref_frame(self) -> str:
        return self.values["REF_FRAME"]

    @property
    def covariance_method(self) -> str:
        return self.values["COVARIANCE_METHOD"]

    def number(self, key: str) -> float | None:
        """A numeric keyword of this object (None when absent or NaN)."""
        text = self.values.get(key)
        if text is None:
            return None
        value = float(text)
        return None if math.isnan(value) else value

    @property
    def exclusion_radius_m(self) -> float | None:
        for c in self.comments:
            m = _EXCLUSION_COMMENT.match(c)
            if m:
                return float(m.group(1))
        return None


@dataclass(slots=True)
class Cdm:
    """One conjunction data message."""

    source: str
    header: dict[str, str]
    relative: dict[str, str]
    objects: tuple[CdmObject, CdmObject]
    comments: list[str] = field(default_factory=list)  # header and relative part

    @property
    def tca(self) -> datetime:
        return parse_omm_epoch(self.relative["TCA"])

    @property
    def miss_distance_m(self) -> float:
        return float(self.relative["MISS_DISTANCE"])

    @property
    def collision_probability(self) -> float | None:
        text = self.relative.get("COLLISION_PROBABILITY")
        if text is None or math.isnan(float(text)):
            return None
        return float(text)

    @property
    def hbr_m(self) -> float | None:
        """Combined hard-body radius (m) the message carries: CARA's ``COMMENT HBR``, else
        the sum of 18 SDS's per-object exclusion-volume radii; None when neither."""
        return self.hbr_with_source()[0]

    def hbr_with_source(self) -> tuple[float | None, str]:
        for c in self.comments + self.objects[0].comments + self.objects[1].comments:
            m = _HBR_COMMENT.match(c)
            if m:
                return float(m.group(1)), "CDM COMMENT HBR"
        radii = [o.exclusion_radius_m for o in self.objects]
        if all(r is not None for r in radii):
            return float(sum(radii)), "sum of the CDM's exclusion-volume radii"
        return None, "none in the CDM"


# --------------------------------------------------------------------------- reading


def _check_version(value: str, source: str, where: dict) -> None:
    if not value.startswith("1."):
        raise CDMFormatError(
            f"CDM version {value} is not supported: orbitwatch reads CCSDS 508.0-B-1 "
            "(version 1.0)", source=source, field="CCSDS_CDM_VERS", raw=value, **where)


def _xml_value(el) -> str | None:
    """Text of a leaf element; None for an empty or nil element (an optional keyword
    left out; a mandatory one is then reported missing)."""
    text = (el.text or "").strip()
    if el.get("nil") == "true" or el.get("{http://www.w3.org/2001/XMLSchema-instance}nil") \
            == "true" or text == "":
        return None
    return text


def _check_value(key: str, value: str, source: str, where: dict) -> None:
    def fail(reason: str) -> None:
        raise CDMFormatError(reason, source=source, field=key, raw=value, **where)

    if value == "":
        fail("empty value")
    if key in _ENUMS and value.upper() not in _ENUMS[key]:
        fail(f"must be one of {', '.join(_ENUMS[key])}")
    if key in _TIME_KEYS:
        try:
            parse_omm_epoch(value)
        except ValueError:
            fail("not a CCSDS time (expected e.g. 2010-03-13T22:37:52.618)")
    elif key not in _TEXT_KEYS and not (_NUMBER.match(value) or value.lower() == "nan"):
        fail("not a number")


def _state_and_covariance(values: dict[str, str], source: str, where: dict,
                          label: str) -> tuple[np.ndarray, np.ndarray]:
    for key in MANDATORY_OBJECT:
        if key not in values:
            raise CDMFormatError(f"{label}: mandatory keyword missing", source=source,
                                 field=key, **where)
    for key in STATE_KEYS + POS_VEL_COVARIANCE_KEYS:
        if math.isnan(float(values[key])):
            raise CDMFormatError(f"{label}: NaN where a value is mandatory", source=source,
                                 field=key, **where)
    state = np.array([float(values[k]) for k in STATE_KEYS])
    cov = np.zeros((6, 6))
    k = 0
    for i in range(6):
        for j in range(i + 1):
            cov[i, j] = cov[j, i] = float(values[POS_VEL_COVARIANCE_KEYS[k]])
            k += 1
    return state, cov


def parse_cdm_kvn(text: str, *, source: str = "<kvn>") -> Cdm:
    """Read a KVN CDM; raises :class:`CDMFormatError` naming the line and keyword."""
    header: dict[str, str] = {}
    relative: dict[str, str] = {}
    comments: list[str] = []
    objects: list[tuple[dict[str, str], list[str], int]] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("COMMENT"):
            note = line[len("COMMENT"):].strip()
            (objects[-1][1] if objects else comments).append(note)
            continue
        if "=" not in line:
            raise CDMFormatError("not a KEY = value line", source=source, line_no=line_no,
                                 raw=raw)
        key, _, rest = line.partition("=")
        key = key.strip()
        # drop the [unit]; CARA's files have one unit cut short ("85.4   [")
        value = re.sub(r"\s*\[[^\]]*\]?\s*$", "", rest).strip()
        where = {"line_no": line_no}
        if key == "OBJECT":
            _check_value(key, value, source, where)
            expected = f"OBJECT{len(objects) + 1}"
            if value.upper() != expected:
                raise CDMFormatError(f"expected {expected} here", source=source,
                                     line_no=line_no, field=key, raw=raw)
            objects.append(({"OBJECT": value.upper()}, [], line_no))
            continue
        if objects:
            table, allowed = objects[-1][0], OBJECT_KEYS
        elif key in HEADER_KEYS and not relative:
            table, allowed = header, HEADER_KEYS
        else:
            table, allowed = relative, RELATIVE_KEYS
        if key not in allowed:
            part = "object" if objects else ("header" if not relative else "relative data")
            raise CDMFormatError(f"unknown keyword in the {part}", source=source,
                                 line_no=line_no, field=key, raw=raw)
        if key in table:
            raise CDMFormatError("keyword given twice", source=source, line_no=line_no,
                                 field=key, raw=raw)
        _check_value(key, value, source, where)
        if key == "CCSDS_CDM_VERS":
            _check_version(value, source, where)
        table[key] = value
    return _assemble(header, relative, comments, objects, source)


def _assemble(header, relative, comments, objects, source) -> Cdm:
    for key in MANDATORY_HEADER:
        if key not in header:
            raise CDMFormatError("mandatory header keyword missing", source=source, field=key)
    for key in MANDATORY_RELATIVE:
        if key not in relative:
            raise CDMFormatError("mandatory relative-data keyword missing", source=source,
                                 field=key)
    if len(objects) != 2:
        raise CDMFormatError(f"a CDM has two objects, found {len(objects)}", source=source,
                             field="OBJECT")
    built = []
    for values, notes, start in objects:
        where = {"line_no": start} if isinstance(start, int) else {}
        state, cov = _state_and_covariance(values, source, where, values["OBJECT"])
        built.append(CdmObject(values, state, cov, notes))
    return Cdm(source, header, relative, (built[0], built[1]), comments)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_cdm_xml(text: str | bytes, *, source: str = "<xml>") -> Cdm:
    """Read an XML CDM (the 508.0-B-1 schema's element names)."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as err:
        raise CDMFormatError(f"not well-formed XML: {err}", source=source,
                             line_no=err.position[0]) from err
    if _local(root.tag) != "cdm":
        raise CDMFormatError(f"root element is <{_local(root.tag)}>, expected <cdm>",
                             source=source)
    version = root.get("version")
    if version:
        _check_version(version, source, {})
    lines = (text.decode("utf-8", "replace") if isinstance(text, bytes) else text).splitlines()
    segment_lines = [k for k, line in enumerate(lines, start=1)
                     if re.search(r"<(\w+:)?segment[\s>]", line)]
    try:
        return _parse_xml_body(root, version, source, segment_lines)
    except CDMFormatError as err:
        if err.line_no is None and err.field:  # ElementTree keeps no line numbers
            err.line_no = _xml_line(text, err.field)
            err.args = (err._render(),)
        raise


def _xml_line(text: str | bytes, key: str) -> int | None:
    """Line of the first element named ``key`` in the XML text."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    for line_no, line in enumerate(text.splitlines(), start=1):
        if re.search(rf"<(\w+:)?{re.escape(key)}[\s/>]", line):
            return line_no
    return None


def _parse_xml_body(root, version: str | None, source: str, segment_lines: list[int]) -> Cdm:
    header: dict[str, str] = {}
    relative: dict[str, str] = {}
    comments: list[str] = []
    objects: list[tuple[dict[str, str], list[str], str]] = []
    for child in root:
        name = _local(child.tag)
        if name == "header":
            _xml_leaves(child, HEADER_KEYS, "the header", header, comments, source)
        elif name == "body":
            for part in child:
                pname = _local(part.tag)
                if pname == "relativeMetadataData":
                    _xml_leaves(part, RELATIVE_KEYS, "the relative data", relative, comments,
                                source)
                elif pname == "segment":
                    k = len(objects)
                    objects.append(_xml_segment(part, source, k + 1,
                                                segment_lines[k] if k < len(segment_lines)
                                                else None))
                else:
                    raise CDMFormatError(f"unexpected element <{pname}> in <body>",
                                         source=source, field=pname)
    if version and "CCSDS_CDM_VERS" not in header:
        header["CCSDS_CDM_VERS"] = version
    return _assemble(header, relative, comments, objects, source)


def _xml_leaves(part, allowed: tuple[str, ...], where: str, table: dict[str, str],
                notes: list[str], source: str) -> None:
    """Every leaf element of ``part`` into ``table`` (COMMENTs into ``notes``); grouping
    elements (stateVector, covarianceMatrix, ...) are walked through."""
    for el in part.iter():
        if el is part or len(el):
            continue
        key = _local(el.tag)
        if key == "COMMENT":
            notes.append((el.text or "").strip())
            continue
        if key not in allowed:
            raise CDMFormatError(f"unknown keyword in {where}", source=source, field=key)
        value = _xml_value(el)
        if value is not None:
            _check_value(key, value, source, {})
            table[key] = value.upper() if key == "OBJECT" else value


def _xml_segment(segment, source: str, index: int,
                 line_no: int | None) -> tuple[dict[str, str], list[str], int | None]:
    values: dict[str, str] = {}
    notes: list[str] = []
    _xml_leaves(segment, OBJECT_KEYS, f"object segment {index}", values, notes, source)
    if values.get("OBJECT") != f"OBJECT{index}":
        raise CDMFormatError(f"segment {index} must be OBJECT{index}", source=source,
                             field="OBJECT")
    return values, notes, line_no


def read_cdm(text: str, *, source: str = "<cdm>") -> Cdm:
    """Read a CDM in KVN or XML, told apart by the first non-blank character."""
    if text.lstrip().startswith("<"):
        return parse_cdm_xml(text, source=source)
    return parse_cdm_kvn(text, source=source)


# --------------------------------------------------------------------------- writing

_UNITS = {
    "MISS_DISTANCE": "m", "RELATIVE_SPEED": "m/s", "RELATIVE_POSITION_R": "m",
    "RELATIVE_POSITION_T": "m", "RELATIVE_POSITION_N": "m", "RELATIVE_VELOCITY_R": "m/s",
    "RELATIVE_VELOCITY_T": "m/s", "RELATIVE_VELOCITY_N": "m/s", "SCREEN_VOLUME_X": "m",
    "SCREEN_VOLUME_Y": "m", "SCREEN_VOLUME_Z": "m", "X": "km", "Y": "km", "Z": "km",
    "X_DOT": "km/s", "Y_DOT": "km/s", "Z_DOT": "km/s", "RECOMMENDED_OD_SPAN": "d",
    "ACTUAL_OD_SPAN": "d", "RESIDUALS_ACCEPTED": "%", "AREA_PC": "m**2", "AREA_DRG": "m**2",
    "AREA_SRP": "m**2", "MASS": "kg", "CD_AREA_OVER_MASS": "m**2/kg",
    "CR_AREA_OVER_MASS": "m**2/kg", "THRUST_ACCELERATION": "m/s**2", "SEDR": "W/kg",
}


#: Kind of each covariance row: position (m), velocity (m/s), drag or SRP coefficient
#: (m**2/kg), thrust acceleration (m/s**2).
_ROW_KIND = {"R": "p", "T": "p", "N": "p", "RDOT": "v", "TDOT": "v", "NDOT": "v",
             "DRG": "k", "SRP": "k", "THR": "a"}
#: The unit of a covariance term by the kinds of its row and column (508.0-B-1, the
#: units NDM/XML 1.0 requires on every term).
_PAIR_UNITS = {
    ("p", "p"): "m**2", ("v", "p"): "m**2/s", ("v", "v"): "m**2/s**2",
    ("k", "p"): "m**3/kg", ("k", "v"): "m**3/(kg*s)", ("k", "k"): "m**4/kg**2",
    ("a", "p"): "m**2/s**2", ("a", "v"): "m**2/s**3", ("a", "k"): "m**3/(kg*s**2)",
    ("a", "a"): "m**2/s**4",
}


def _cov_unit(key: str) -> str:
    row, col = key[1:].split("_")
    return _PAIR_UNITS.get((_ROW_KIND[row], _ROW_KIND[col]), "")


def _kvn_line(key: str, value: str) -> str:
    unit = _UNITS.get(key) or (_cov_unit(key) if key in COVARIANCE_KEYS else "")
    return f"{key:<36} = {one_line(value)}" + (f" [{unit}]" if unit else "")


def write_cdm_kvn(cdm: Cdm) -> str:
    """KVN text of ``cdm``; comments stay with their part."""
    out = []
    for key in HEADER_KEYS:
        if key in cdm.header:
            out.append(_kvn_line(key, cdm.header[key]))
    out += [f"COMMENT {one_line(c)}" for c in cdm.comments]
    for key in RELATIVE_KEYS:
        if key in cdm.relative:
            out.append(_kvn_line(key, cdm.relative[key]))
    for obj in cdm.objects:
        out.append(_kvn_line("OBJECT", obj.values["OBJECT"]))
        out += [f"COMMENT {one_line(c)}" for c in obj.comments]
        for key in OBJECT_KEYS[1:]:
            if key in obj.values:
                out.append(_kvn_line(key, obj.values[key]))
    return "\n".join(out) + "\n"


def write_cdm_xml(cdm: Cdm) -> str:
    """XML text of ``cdm`` in the 508.0-B-1 layout (header, relative data, two segments)."""

    def el(key: str, value: str, indent: int) -> str:
        unit = _UNITS.get(key) or (_cov_unit(key) if key in COVARIANCE_KEYS else "")
        attr = f' units="{unit}"' if unit else ""
        return f"{' ' * indent}<{key}{attr}>{escape(one_line(value))}</{key}>"

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<cdm id="CCSDS_CDM_VERS" version="{escape(cdm.header.get("CCSDS_CDM_VERS", "1.0"))}">',
           "  <header>"]
    out += [f"    <COMMENT>{escape(one_line(c))}</COMMENT>" for c in cdm.comments]
    out += [el(k, cdm.header[k], 4) for k in HEADER_KEYS[1:] if k in cdm.header]
    out += ["  </header>", "  <body>", "    <relativeMetadataData>"]
    # NDM/XML 1.0 wraps the six relative state components in <relativeStateVector>
    vector = [k for k in RELATIVE_KEYS if k.startswith(("RELATIVE_POSITION_",
                                                        "RELATIVE_VELOCITY_"))]
    for k in RELATIVE_KEYS:
        if k == vector[0] and any(v in cdm.relative for v in vector):
            out.append("      <relativeStateVector>")
            out += [el(v, cdm.relative[v], 8) for v in vector if v in cdm.relative]
            out.append("      </relativeStateVector>")
        elif k not in vector and k in cdm.relative:
            out.append(el(k, cdm.relative[k], 6))
    out.append("    </relativeMetadataData>")
    groups = (("metadata", OBJECT_METADATA_KEYS), ("odParameters", OD_KEYS),
              ("additionalParameters", ADDITIONAL_KEYS), ("stateVector", STATE_KEYS),
              ("covarianceMatrix", COVARIANCE_KEYS))
    for obj in cdm.objects:
        out += ["    <segment>", "      <metadata>"]
        out += [f"        <COMMENT>{escape(one_line(c))}</COMMENT>" for c in obj.comments]
        out += [el(k, obj.values[k], 8) for k in OBJECT_METADATA_KEYS if k in obj.values]
        out += ["      </metadata>", "      <data>"]
        for tag, keys in groups[1:]:
            present = [k for k in keys if k in obj.values]
            if present:
                out.append(f"        <{tag}>")
                out += [el(k, obj.values[k], 10) for k in present]
                out.append(f"        </{tag}>")
        out += ["      </data>", "    </segment>"]
    out += ["  </body>", "</cdm>"]
    return "\n".join(out) + "\n"
