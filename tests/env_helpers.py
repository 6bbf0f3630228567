"""A space-weather file in CelesTrak's format, written by the tests (constant or given
indices), so that re-entry tests need no downloaded file."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path


def sw_line(day: date, f107: float, c81: float, ap: int) -> str:
    """One daily line, FORMAT(I4,I3,I3,I5,I3,8I3,I4,8I4,I4,F4.1,I2,I4,F6.1,I2,5F6.1)."""
    kp = "".join(f"{20:3d}" for _ in range(8))
    aps = "".join(f"{ap:4d}" for _ in range(8))
    return (f"{day.year:4d}{day.month:3d}{day.day:3d}{2500:5d}{1:3d}{kp}{160:4d}{aps}{ap:4d}"
            f"{0.5:4.1f}{2:2d}{100:4d}{f107:6.1f}{0:2d}{c81:6.1f}{c81:6.1f}{f107:6.1f}"
            f"{c81:6.1f}{c81:6.1f}")


def write_space_weather(path: Path, start: date, end: date, f107: float = 150.0,
                        ap: int = 10, predicted_from: date | None = None) -> Path:
    """Daily lines from ``start`` to ``end``: OBSERVED before ``predicted_from`` (default
    all), DAILY_PREDICTED from it."""
    predicted_from = predicted_from or end + timedelta(days=1)
    observed, predicted = [], []
    day = start
    while day <= end:
        (observed if day < predicted_from else predicted).append(sw_line(day, f107, f107, ap))
        day += timedelta(days=1)
    text = ["DATATYPE CssiSpaceWeather", "VERSION 1.2", f"NUM_OBSERVED_POINTS {len(observed)}",
            "BEGIN OBSERVED", *observed, "END OBSERVED"]
    if predicted:
        text += [f"NUM_DAILY_PREDICTED_POINTS {len(predicted)}", "BEGIN DAILY_PREDICTED",
                 *predicted, "END DAILY_PREDICTED"]
    path.write_text("\n".join(text) + "\n")
    return path
