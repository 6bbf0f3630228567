"""Cross-border coordination: conjunctions grouped by the pair of owner nations (SATCAT
owner codes), with counts by Pc band and the worst events of each pair, so that agencies
know whom to call."""

from __future__ import annotations

from typing import Any


def coordination_rows(rows: list[dict[str, Any]], worst: int = 3) -> list[dict[str, Any]]:
    """One row per unordered owner pair, most red events first, then most events.

    ``rows`` are conjunction rows (reports.conjunctions) with OWNER_1/2, PC, PC_BAND,
    MAX_PROB; objects without a SATCAT owner count as "unknown"."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        a = row.get("OWNER_1") or "unknown"
        b = row.get("OWNER_2") or "unknown"
        groups.setdefault((min(a, b), max(a, b)), []).append(row)
    out = []
    for (a, b), events in groups.items():
        events = sorted(events, key=lambda r: -(r["PC"] if r["PC"] == r["PC"] else -1.0))
        bands = [e["PC_BAND"] for e in events]
        out.append({
            "OWNER_A": a, "OWNER_B": b,
            "SAME_OWNER": a == b,
            "EVENTS": len(events),
            "RED": bands.count("red"), "YELLOW": bands.count("yellow"),
            "GREEN": bands.count("green"),
            "MAX_PC": events[0]["PC"],
            "MAX_MAX_PROB": max(e["MAX_PROB"] for e in events),
            "MIN_RANGE_KM": min(e["TCA_RANGE"] for e in events),
            "WORST": "; ".join(
                f"{e['TCA']} {e['NORAD_CAT_ID_1']}-{e['NORAD_CAT_ID_2']} "
                f"Pc {e['PC']:.2e} range {e['TCA_RANGE'] * 1000:.0f} m"
                for e in events[:worst]),
        })
    out.sort(key=lambda r: (-r["RED"], -r["YELLOW"], -r["EVENTS"], r["OWNER_A"], r["OWNER_B"]))
    return out
