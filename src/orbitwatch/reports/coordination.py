"""Cross-border coordination: conjunctions grouped by the pair of owner nations (SATCAT
owner codes), with counts by Pc band and the worst events of each pair, so that agencies
know whom to call. Read from a run's stored risk (reports.run_risk) in two queries."""

from __future__ import annotations

from typing import Any

from orbitwatch.core.time import iso_ms
from orbitwatch.reports.conjunctions import stored_float
from orbitwatch.reports.run_risk import EventFilter, RunRisk
from orbitwatch.risk.events import RED, YELLOW


def coordination_rows(risk: RunRisk, where: EventFilter | None = None,
                      worst: int = 3) -> list[dict[str, Any]]:
    """One row per unordered owner pair, most red events first, then most events.
    Objects without a SATCAT owner count as "unknown"; WORST lists the ``worst``
    largest-Pc events of the pair."""
    cond, args = (where or EventFilter()).sql()
    groups = risk.db.execute(
        f"SELECT owner_a, owner_b, COUNT(*), {_count('pc >= ?')},"
        f" {_count('pc >= ? AND pc < ?')}, {_count('pc < ?')}, MAX(pc), MAX(max_prob),"
        f" MIN(range_km) FROM {risk.table} WHERE TRUE{cond} GROUP BY owner_a, owner_b",
        (RED, YELLOW, RED, YELLOW, *args)).fetchall()
    top: dict[tuple[str, str], list[str]] = {}
    for a, b, *_ in groups:  # the index on (owner_a, owner_b, pc) gives each pair's worst
        top[(a, b)] = [
            f"{iso_ms(tca_us)} {n1}-{n2} Pc {_e(pc)} range {range_km * 1000:.0f} m"
            for tca_us, n1, n2, pc, range_km in risk.db.execute(
                f"SELECT tca_us, norad_cat_id_1, norad_cat_id_2, pc, range_km FROM "
                f"{risk.table} WHERE owner_a = ? AND owner_b = ?{cond} "
                f"ORDER BY {risk.db.nulls_last('pc', True)}, event LIMIT ?",
                (a, b, *args, worst))]
    out = [{"OWNER_A": a, "OWNER_B": b, "SAME_OWNER": a == b, "EVENTS": n,
            "RED": red or 0, "YELLOW": yellow or 0, "GREEN": green or 0,
            "MAX_PC": stored_float(max_pc), "MAX_MAX_PROB": stored_float(max_prob),
            "MIN_RANGE_KM": min_range, "WORST": "; ".join(top.get((a, b), []))}
           for a, b, n, red, yellow, green, max_pc, max_prob, min_range in groups]
    out.sort(key=lambda r: (-r["RED"], -r["YELLOW"], -r["EVENTS"], r["OWNER_A"], r["OWNER_B"]))
    return out


def _count(condition: str) -> str:
    """SQL counting the rows where ``condition`` holds."""
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _e(pc: float | None) -> str:
    return "nan" if pc is None else f"{pc:.2e}"
