"""Collision risk: probability of collision of an encounter, by stated method.

- :func:`pc_foster` / :func:`pc_circle`: Foster's 2D Pc (CARA's Pc2D_Foster/PcCircle);
- :func:`cdm_pc_foster`: the same from a CCSDS CDM.
"""

from orbitwatch.risk.from_cdm import cdm_pc_foster, cdm_states
from orbitwatch.risk.pc2d import pc_circle, pc_foster

__all__ = ["cdm_pc_foster", "cdm_states", "pc_circle", "pc_foster"]
