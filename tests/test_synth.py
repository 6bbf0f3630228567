"""The synthetic catalog: deterministic, the measured mix, physically sensible."""

from __future__ import annotations

import collections

import pytest

from orbitwatch.catalog.synth import (
    CLASS_FRACTIONS,
    sun_synchronous_inclination_deg,
    synthesize,
)


def test_deterministic_and_mix_follows_measured_fractions() -> None:
    a = synthesize(20_000, seed=5)
    assert [o.elements for o in a[:50]] == [o.elements for o in synthesize(20_000, seed=5)[:50]]
    counts = collections.Counter(o.kind for o in a)
    for kind, fraction in CLASS_FRACTIONS.items():
        assert counts[kind] / len(a) == pytest.approx(fraction, abs=0.01), kind
    assert len({o.elements.norad_cat_id for o in a}) == len(a)


def test_sun_synchronous_inclination() -> None:
    # Published values: about 97.4 deg at 500 km and 98.6 deg at 800 km.
    assert sun_synchronous_inclination_deg(500) == pytest.approx(97.40, abs=0.05)
    assert sun_synchronous_inclination_deg(800) == pytest.approx(98.60, abs=0.05)


def test_orbits_are_above_the_atmosphere() -> None:
    for o in synthesize(3000, seed=2):
        assert o.satcat.perigee_km > 150, o
        assert 0 <= o.elements.eccentricity < 1
