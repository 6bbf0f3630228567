"""Screening volumes: a sphere (SOCRATES uses 5 km) or an ellipsoid in the primary's
RTN frame (radial, in-track, cross-track semi-axes, km), optionally per orbit regime."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from orbitwatch.errors import InputError

REGIMES = ("LEO", "MEO", "GEO", "HEO", "other")


#: The largest semi-axis a screening volume may have (km). Conjunction volumes are km to
#: tens of km (SOCRATES 5 km, CSpOC's GEO boxes 30-50 km); work grows with the volume, and
#: beyond a few hundred km every pair of a shell is a candidate.
MAX_SEMI_AXIS_KM = 200.0


@dataclass(frozen=True, slots=True)
class ScreeningVolume:
    """Semi-axes in km along the primary's radial, in-track and cross-track directions."""

    radial_km: float
    in_track_km: float
    cross_track_km: float

    def __post_init__(self) -> None:
        axes = (self.radial_km, self.in_track_km, self.cross_track_km)
        if not all(np.isfinite(a) and a > 0 for a in axes):
            raise InputError(f"screening volume semi-axes must be positive km, got {axes}")
        if max(axes) > MAX_SEMI_AXIS_KM:
            raise InputError(f"screening volume semi-axis {max(axes):g} km is beyond the "
                             f"limit of {MAX_SEMI_AXIS_KM:g} km")

    @classmethod
    def sphere(cls, radius_km: float) -> ScreeningVolume:
        return cls(radius_km, radius_km, radius_km)

    @property
    def is_sphere(self) -> bool:
        return self.radial_km == self.in_track_km == self.cross_track_km

    @property
    def max_extent_km(self) -> float:
        return max(self.radial_km, self.in_track_km, self.cross_track_km)

    def describe(self) -> str:
        if self.is_sphere:
            return f"sphere {self.radial_km:g} km"
        return (f"RTN ellipsoid {self.radial_km:g} x {self.in_track_km:g} x "
                f"{self.cross_track_km:g} km")

    @classmethod
    def parse(cls, text: str) -> ScreeningVolume:
        """'5' (sphere radius, km) or '0.4x44x51' (radial x in-track x cross-track, km)."""
        parts = re.split(r"\s*[xX*]\s*", text.strip().removesuffix("km").strip())
        try:
            values = [float(p) for p in parts]
        except ValueError:
            raise InputError(f"screening volume {text!r}: expected '5' or '0.4x44x51' (km)")
        if len(values) == 1:
            return cls.sphere(values[0])
        if len(values) == 3:
            return cls(*values)
        raise InputError(f"screening volume {text!r}: give 1 radius or 3 semi-axes (km)")

    def scaled_min_and_crossing(
        self, miss_rtn_km: np.ndarray, rel_vel_rtn_km_s: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For relative motion linearised at TCA, x(s) = m + v s in RTN (km, km/s):
        the least scaled distance |D x(s)| (1 on the volume's surface, D = diag(1/axes))
        and the times (s from TCA) of entering and leaving the volume (NaN if never in).
        """
        d = 1.0 / np.array([self.radial_km, self.in_track_km, self.cross_track_km])
        m = miss_rtn_km * d
        v = rel_vel_rtn_km_s * d
        vv = np.einsum("ij,ij->i", v, v)
        mv = np.einsum("ij,ij->i", m, v)
        mm = np.einsum("ij,ij->i", m, m)
        with np.errstate(divide="ignore", invalid="ignore"):
            s_min = np.where(vv > 0, -mv / vv, 0.0)
            least = np.sqrt(np.maximum(mm + 2 * mv * s_min + vv * s_min**2, 0.0))
            half = np.sqrt((1.0 - least**2) / vv)
        inside = least <= 1.0
        entry = np.where(inside, s_min - half, np.nan)
        exit_ = np.where(inside, s_min + half, np.nan)
        return least, entry, exit_


@dataclass(frozen=True, slots=True)
class VolumePolicy:
    """The volume for each orbit regime of the primary (``default`` where none is set)."""

    default: ScreeningVolume
    by_regime: tuple[tuple[str, ScreeningVolume], ...] = ()

    def for_regime(self, regime: str) -> ScreeningVolume:
        return dict(self.by_regime).get(regime, self.default)

    @property
    def max_extent_km(self) -> float:
        return max([self.default.max_extent_km]
                   + [v.max_extent_km for _, v in self.by_regime])

    def describe(self) -> str:
        extra = "".join(f"; {r}: {v.describe()}" for r, v in self.by_regime)
        return self.default.describe() + extra

    def to_dict(self) -> dict:
        def axes(v: ScreeningVolume) -> list[float]:
            return [v.radial_km, v.in_track_km, v.cross_track_km]
        return {"default_rtn_km": axes(self.default),
                "by_regime_rtn_km": {r: axes(v) for r, v in self.by_regime}}

    @classmethod
    def parse(cls, text: str) -> VolumePolicy:
        """'5', '0.4x44x51' or 'LEO=0.4x44x51,GEO=10x25x25,default=5' (km)."""
        default = None
        regimes: list[tuple[str, ScreeningVolume]] = []
        for item in filter(None, (p.strip() for p in text.split(","))):
            if "=" not in item:
                default = ScreeningVolume.parse(item)
                continue
            key, value = (s.strip() for s in item.split("=", 1))
            if key.lower() == "default":
                default = ScreeningVolume.parse(value)
            elif key.upper() in (r.upper() for r in REGIMES):
                name = next(r for r in REGIMES if r.upper() == key.upper())
                regimes.append((name, ScreeningVolume.parse(value)))
            else:
                raise InputError(f"screening volume: unknown orbit regime {key!r}; "
                                 f"use one of {', '.join(REGIMES)} or 'default'")
        return cls(default or ScreeningVolume.sphere(5.0), tuple(regimes))
