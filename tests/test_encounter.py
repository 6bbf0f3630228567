"""One encounter plane: the vectorised event risk agrees with pc_foster event by event,
head-on passes through the origin included."""

from __future__ import annotations

import numpy as np
import pytest

from orbitwatch.propagation.frames import rtn_basis
from orbitwatch.risk.encounter import encounter_plane, encounter_planes
from orbitwatch.risk.events import events_risk
from orbitwatch.risk.pc2d import pc_foster


def _eci_cov(r_m: np.ndarray, v_m_s: np.ndarray, sigma_rtn_m: np.ndarray) -> np.ndarray:
    basis = rtn_basis(r_m[None], v_m_s[None])[0]  # rows R, T, N
    return basis.T @ np.diag(sigma_rtn_m**2) @ basis


def _events(rng: np.random.Generator, n: int):
    """n LEO encounters (km, km/s): object 2 crosses object 1 at a few km/s with a
    miss of up to 1 km; the last one is head-on through the origin (r parallel to v)."""
    r1 = rng.normal(size=(n, 3))
    r1 *= 7000.0 / np.linalg.norm(r1, axis=1, keepdims=True)
    v1 = np.cross(r1, rng.normal(size=(n, 3)))
    v1 *= 7.5 / np.linalg.norm(v1, axis=1, keepdims=True)
    dv = rng.normal(size=(n, 3)) * 5.0
    miss = np.cross(dv, rng.normal(size=(n, 3)))  # normal to the relative velocity
    miss *= rng.uniform(0.01, 1.0, (n, 1)) / np.linalg.norm(miss, axis=1, keepdims=True)
    miss[-1] = dv[-1] / np.linalg.norm(dv[-1]) * 0.05  # along v: r x v = 0
    return r1, v1, r1 + miss, v1 + dv


def test_vectorised_pc_matches_pc_foster_event_by_event():
    rng = np.random.default_rng(7)
    n = 40
    r1, v1, r2, v2 = _events(rng, n)
    sigma1 = rng.uniform(20.0, 400.0, (n, 3))
    sigma2 = rng.uniform(20.0, 400.0, (n, 3))
    hbr = rng.uniform(5.0, 30.0, n)
    risk = events_risk(r1, v1, r2, v2, sigma1, sigma2, hbr)
    assert np.isfinite(risk.pc).all()
    for k in range(n):
        m = [a[k] * 1000.0 for a in (r1, v1, r2, v2)]
        expected = pc_foster(m[0], m[1], _eci_cov(m[0], m[1], sigma1[k]),
                             m[2], m[3], _eci_cov(m[2], m[3], sigma2[k]), float(hbr[k]))
        assert risk.pc[k] == pytest.approx(expected, rel=1e-8, abs=1e-300), k


def test_head_on_plane_is_defined_and_symmetric():
    r1 = np.array([7000.0, 0.0, 0.0])
    v1 = np.array([0.0, 7.5, 0.0])
    v2 = np.array([0.0, -7.5, 0.0])
    r2 = r1 + np.array([0.0, 0.02, 0.0])  # 20 m along the relative velocity
    cov = np.array([[1.0, 0.2, 0.1], [0.3, 2.0, 0.0], [0.1, 0.0, 3.0]])  # not symmetric
    plane = encounter_plane(r1, v1, r2, v2, cov)
    assert np.isfinite(plane.covariance).all()
    assert np.allclose(plane.covariance, plane.covariance.T, atol=0.0)
    assert plane.miss == pytest.approx([0.02, 0.0])
    many = encounter_planes(r1[None], v1[None], r2[None], v2[None], cov[None])
    assert np.array_equal(many[1][0], plane.covariance)


def test_no_plane_without_relative_velocity():
    r = np.array([7000.0, 0.0, 0.0])
    v = np.array([0.0, 7.5, 0.0])
    with pytest.raises(ValueError, match="relative velocity is zero"):
        encounter_plane(r, v, r + 0.1, v, np.eye(3))


def test_batched_foster_matches_the_adaptive_quadrature():
    """pc_circle_many against pc_circle on 2,000 encounters: 1-sigmas from a quarter of
    the radius to a thousand times it, any orientation, misses to 8 sigma."""
    from orbitwatch.risk.pc2d import pc_circle, pc_circle_many

    rng = np.random.default_rng(1)
    n = 2000
    hbr = rng.uniform(1.0, 30.0, n)
    s1 = hbr * 10 ** rng.uniform(np.log10(0.05), 3, n)  # some narrow: the scalar path
    s2 = hbr * 10 ** rng.uniform(np.log10(0.25), 3, n)
    angle = rng.uniform(0.0, np.pi, n)
    c, s = np.cos(angle), np.sin(angle)
    rot = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)
    cov = rot @ (np.eye(2)[None] * np.stack([s1**2, s2**2], -1)[:, None, :]) @ rot.transpose(
        0, 2, 1)
    scale = np.minimum(s1, s2)
    miss = np.stack([rng.uniform(0, 8, n) * scale, rng.uniform(-3, 3, n) * scale], -1)
    batched = pc_circle_many(miss, cov, hbr)
    exact = np.array([pc_circle(miss[k], cov[k], hbr[k]) for k in range(n)])
    assert np.allclose(batched, exact, rtol=1e-8, atol=1e-300)
    assert pc_circle_many(np.array([[np.nan, 0.0]]), np.eye(2)[None], np.array([1.0])
                          )[0] != pc_circle_many(np.zeros((1, 2)), np.eye(2)[None],
                                                  np.array([1.0]))[0]
