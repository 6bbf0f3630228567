"""Shared fixtures: the reference data folder (../shared/data, or $ORBITWATCH_DATA)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("ORBITWATCH_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The reference data folder; tests that need it skip with a reason when absent."""
    path = data_dir()
    if not path.is_dir():
        pytest.skip(f"reference data not found at {path} (set ORBITWATCH_DATA)")
    return path


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "catalog.db"
