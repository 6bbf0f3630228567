"""A small element-set history cut from the real 2025-09 archive at test time (never
copied into the project): the ISS stack and its visiting vehicles, passive satellites
and the TerraSAR-X / TanDEM-X formation, 59 six-hourly snapshots."""

from __future__ import annotations

import tarfile
from pathlib import Path

from click.testing import CliRunner

from orbitwatch.cli.main import cli

HISTORY = "history/celestrak_active_2025-09-13_to_2025-09-28_6hourly_snapshots.tar.xz"
ISS, PROGRESS, CYGNUS, HST, LAGEOS_1 = 25544, 65586, 65616, 20580, 8820
TERRASAR, TANDEM = 31698, 36605
PICKED = {ISS, PROGRESS, CYGNUS, HST, LAGEOS_1, TERRASAR, TANDEM, 49044, 63520, 64751}


def small_history_db(shared_data: Path, folder: Path, db: str | None = None) -> str | Path:
    """The picked objects' lines of each snapshot, one file per snapshot, loaded (into
    ``db``, a PostgreSQL URL, or a file in ``folder``)."""
    files = []
    with tarfile.open(shared_data / HISTORY) as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            lines = archive.extractfile(member).read().decode().splitlines()
            kept = []
            for k in range(0, len(lines) - 2, 3):
                if int(lines[k + 1][2:7]) in PICKED:
                    kept += lines[k:k + 3]
            path = folder / Path(member.name).name
            path.write_text("\n".join(kept) + "\n")
            files.append(str(path))
    db = db or folder / "h.db"
    result = CliRunner().invoke(cli, ["catalog", "load", "--db", str(db), *sorted(files)])
    assert result.exit_code == 0, result.stderr
    return db
