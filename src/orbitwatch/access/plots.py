"""Pictures: a sky plot of passes and a ground-track map with footprints (matplotlib,
an optional dependency: ``pip install orbitwatch[plots]``). PNG or SVG by file suffix.

Coastlines come from the packaged Natural Earth boundaries, so no download is needed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from orbitwatch.access.footprint import footprint_geometry, footprint_half_angle_rad
from orbitwatch.access.passes import PassResult, SiteView
from orbitwatch.access.regions import countries_data
from orbitwatch.core.time import datetime_to_split_jd, split_jd_after, us_to_datetime
from orbitwatch.errors import InputError, MissingExtraError
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation.element_arrays import ElementArrays
from orbitwatch.propagation.frames import itrf_to_geodetic, teme_to_itrf
from orbitwatch.propagation.sgp4_batch import satrec_from_elements, states_at

#: Passes drawn at most on one sky plot (the highest first).
MAX_TRACKS = 60


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise MissingExtraError("plots (matplotlib)", "plots")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def check_plot_path(path: Path) -> None:
    """Before any work: the plot's suffix, and that matplotlib is installed."""
    if path.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"{path}: a plot is written as .png or .svg")
    _pyplot()


def sky_plot(result: PassResult, path: Path, *, visible_only: bool = False,
             site_index: int = 0) -> int:
    """Polar azimuth/elevation tracks of the passes over one site (north up, east
    right, zenith in the centre); returns the number of passes drawn."""
    check_plot_path(path)
    plt = _pyplot()
    passes = result.passes[result.passes["site"] == site_index]
    if visible_only:
        passes = passes[passes["visible"]]
    passes = passes[np.argsort(-passes["max_el_deg"])][:MAX_TRACKS]
    site = result.sites[site_index]
    fig = plt.figure(figsize=(7, 7))
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ax.set_rlim(0, 90)
    ax.set_yticks([0, 30, 60, 90])
    ax.set_yticklabels(["90°", "60°", "30°", "0°"])
    start = us_to_datetime(result.window_start_us)
    jd0, fr0 = datetime_to_split_jd(start)
    view = SiteView(site, jd0, fr0, None)
    arrays = ElementArrays.from_element_sets(result.elements)
    sats, r_max = arrays.satrecs(), arrays.max_radius_km()
    for p in passes:
        t0 = (int(p["rise_us"]) - result.window_start_us) / 1e6
        t1 = (int(p["set_us"]) - result.window_start_us) / 1e6
        t = np.linspace(t0, t1, 60)
        obj = np.full(len(t), int(p["idx"]))
        _, pos, _ = states_at(sats, obj, t, jd0, fr0, r_max)
        az, el, _ = view.angles(pos, t)
        label = result.elements[int(p["idx"])].object_name or str(
            result.elements[int(p["idx"])].norad_cat_id)
        ax.plot(np.radians(az), 90.0 - el, lw=1.2, label=label if len(passes) <= 12 else None)
        ax.plot(np.radians(az[-1:]), 90.0 - el[-1:], "k>", ms=3)
    ax.set_title(f"Passes over {site.name} ({site.latitude_deg:.3f}°, "
                 f"{site.longitude_deg:.3f}°), {len(passes)} shown")
    if 0 < len(passes) <= 12:
        ax.legend(loc="lower left", bbox_to_anchor=(-0.1, -0.12), fontsize=7, ncol=3)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return len(passes)


def _draw_coastlines(ax) -> None:
    for c in countries_data():
        for poly in c["polygons"]:
            ring = np.asarray(poly[0], float)
            lon = ring[:, 0].copy()
            lon[1:][np.abs(np.diff(ring[:, 0])) > 180.0] = np.nan  # no line across the map
            ax.plot(lon, ring[:, 1], color="0.55", lw=0.4)


def ground_track_map(elements: list[ElementSet], start: datetime, duration: timedelta,
                     path: Path, *, step_s: float = 30.0, min_elevation_deg: float = 0.0,
                     footprints: bool = True) -> None:
    """Ground tracks over the window (equirectangular map), with each satellite's
    footprint at the window's start."""
    check_plot_path(path)
    if not elements:
        raise InputError("ground track: no satellite selected")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(12, 6.3))
    _draw_coastlines(ax)
    t = np.arange(0.0, duration.total_seconds() + 1e-9, step_s)
    jd0, fr0 = datetime_to_split_jd(start)
    jd, fr = split_jd_after(jd0, fr0, t)
    for es in elements[:20]:
        sat = satrec_from_elements(es)
        err, pos, vel = sat.sgp4_array(jd, fr)
        r, _ = teme_to_itrf(pos, vel, jd, fr)
        lat, lon, _ = itrf_to_geodetic(r)
        lon = np.where(err == 0, lon, np.nan)
        lon_plot = lon.copy()
        lon_plot[1:][np.abs(np.diff(lon)) > 180.0] = np.nan  # no line across the map
        (line,) = ax.plot(lon_plot, lat, lw=1.0, label=es.object_name or str(es.norad_cat_id))
        if footprints and err[0] == 0:
            lam = footprint_half_angle_rad(float(np.linalg.norm(r[0])), min_elevation_deg)
            geom = footprint_geometry(float(lat[0]), float(lon[0]), lam)
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" \
                else [geom["coordinates"]]
            for poly in polys:
                ring = np.asarray(poly[0])
                ax.fill(ring[:, 0], ring[:, 1], color=line.get_color(), alpha=0.15)
            ax.plot(lon[0], lat[0], "o", color=line.get_color(), ms=4)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_xlabel("longitude (deg)")
    ax.set_ylabel("geodetic latitude (deg)")
    ax.set_title(f"Ground tracks from {start:%Y-%m-%d %H:%M} UTC, "
                 f"{duration.total_seconds() / 3600:.1f} h; footprints at the start "
                 f"(elevation >= {min_elevation_deg:g}°)")
    ax.legend(loc="lower left", fontsize=7)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)

