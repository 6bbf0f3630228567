"""Collision risk: probability of collision of an encounter, by stated method.

- :func:`pc_foster` / :func:`pc_circle` / :func:`pc_square`: Foster's 2D Pc over the disk
  of the hard-body radius (CARA's Pc2D_Foster/PcCircle) or the square around it (CSpOC's);
- :func:`pc3d_nc`: Hall's 3D Nc, for slow and long encounters where 2D does not hold;
- :func:`cdm_pc_foster`: Foster's 2D Pc from a CCSDS CDM.
"""

from orbitwatch.risk.from_cdm import cdm_pc_foster, cdm_states
from orbitwatch.risk.nc3d import pc3d_nc
from orbitwatch.risk.pc2d import pc_circle, pc_foster, pc_square

__all__ = ["cdm_pc_foster", "cdm_states", "pc3d_nc", "pc_circle", "pc_foster", "pc_square"]
