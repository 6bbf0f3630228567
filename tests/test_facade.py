"""The public facade: ``orbitwatch.<name>`` for the stable names, sorted and complete."""

from __future__ import annotations

import subprocess
import sys

import pytest

import orbitwatch


def test_all_is_sorted_and_every_name_resolves():
    assert orbitwatch.__all__ == sorted(orbitwatch.__all__)
    for name in orbitwatch.__all__:
        assert getattr(orbitwatch, name) is not None, name
    from orbitwatch.screening.api import screen

    assert orbitwatch.screen is screen


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'scren'"):
        _ = orbitwatch.scren


def test_import_stays_light():
    code = "import sys, orbitwatch; print('numba' in sys.modules, 'scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]
