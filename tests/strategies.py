"""Hypothesis strategies for element sets at TLE resolution (so TLE round trips are exact)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from orbitwatch.core.orbit import semi_major_axis_km
from orbitwatch.formats.elements import ElementSet


def _fixed(lo: float, hi: float, places: int) -> st.SearchStrategy[float]:
    scale = 10**places
    return st.integers(int(lo * scale), int(hi * scale)).map(lambda k: round(k / scale, places))


def _implied(mantissa_digits: int = 5) -> st.SearchStrategy[float]:
    return st.builds(
        lambda m, e, s: 0.0 if m == 0 else float(f"{s}0.{m:05d}e{e}"),
        st.integers(0, 10**mantissa_digits - 1).filter(lambda m: m == 0 or m >= 10_000),
        st.integers(-9, 2), st.sampled_from(["", "-"]),
    )


@st.composite
def element_sets(draw: st.DrawFn, max_norad: int = 339_999) -> ElementSet:
    epoch = datetime(1957, 10, 4, tzinfo=UTC) + timedelta(
        microseconds=864 * draw(st.integers(0, 99 * 365 * 100_000_000 // 1)))
    if epoch.year > 2056:
        epoch = epoch.replace(year=2056)
    name = draw(st.one_of(st.none(), st.text(
        st.characters(min_codepoint=48, max_codepoint=90), min_size=1, max_size=20)))
    mean_motion = draw(_fixed(0.5, 17.0, 8))
    # perigee above the ground (value_problem's bound): e < 1 - R_E / a
    e_max = max(0.0, 1.0 - 6378.2 / semi_major_axis_km(mean_motion))
    return ElementSet(
        norad_cat_id=draw(st.integers(0, max_norad)),
        epoch=epoch,
        mean_motion=mean_motion,
        eccentricity=draw(_fixed(0.0, min(e_max, 0.9999999), 7)),
        inclination=draw(_fixed(0.0, 180.0, 4)),
        ra_of_asc_node=draw(_fixed(0.0, 359.9999, 4)),
        arg_of_pericenter=draw(_fixed(0.0, 359.9999, 4)),
        mean_anomaly=draw(_fixed(0.0, 359.9999, 4)),
        bstar=draw(_implied()),
        mean_motion_dot=draw(_fixed(-0.99999999, 0.99999999, 8)),
        mean_motion_ddot=draw(_implied()),
        object_name=name.strip() or None if name else None,
        object_id=draw(st.one_of(st.none(), st.builds(
            lambda y, n, p: f"{y}-{n:03d}{p}", st.integers(1957, 2056), st.integers(1, 999),
            st.sampled_from(["A", "B", "AZ", "ABC"])))),
        classification_type=draw(st.sampled_from(["U", "C", "S"])),
        ephemeris_type=0,
        element_set_no=draw(st.integers(0, 9999)),
        rev_at_epoch=draw(st.integers(0, 99999)),
    )
