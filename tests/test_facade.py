"""The public facade: ``orbitwatch.<name>`` for the stable names, complete and lazy."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import orbitwatch

#: The domain packages whose ``__all__`` is public API: every name must be reachable as
#: ``orbitwatch.<name>``, and be the same object.
PUBLIC_PACKAGES = ("catalog", "environment", "formats", "propagation", "risk", "screening")


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_every_public_name_of_the_domain_packages_is_exported(package: str):
    module = importlib.import_module(f"orbitwatch.{package}")
    missing = sorted(set(module.__all__) - set(orbitwatch.__all__))
    assert not missing, f"orbitwatch.{package} names not in orbitwatch.__all__: {missing}"
    for name in module.__all__:
        assert getattr(orbitwatch, name) is getattr(module, name), name


def test_every_exported_name_resolves_once():
    assert len(set(orbitwatch.__all__)) == len(orbitwatch.__all__)
    for name in orbitwatch.__all__:
        assert getattr(orbitwatch, name) is not None, name
    from orbitwatch.propagation.ephemeris import propagate

    assert orbitwatch.propagate is propagate


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'scren'"):
        _ = orbitwatch.scren


def test_import_stays_light():
    code = "import sys, orbitwatch; print('numba' in sys.modules, 'scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]
