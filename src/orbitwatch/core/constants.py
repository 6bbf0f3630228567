"""Earth and physical constants, one home for every layer.

SGP4 itself runs on WGS72 constants inside python-sgp4; these are for the geometry that
orbitwatch derives around it (altitudes, frames, two-body motion, plausibility bounds).
"""

#: Earth's gravitational parameter, km^3/s^2 (EGM96 / WGS84).
MU_KM3_S2 = 398600.4418
#: The same in m^3/s^2, for the risk methods that work in metres.
MU_M3_S2 = MU_KM3_S2 * 1e9
#: WGS84 equatorial radius and flattening.
WGS84_A_KM = 6378.137
WGS84_F = 1.0 / 298.257223563
#: Equatorial radius used for altitudes above the Earth (perigee, apogee), km.
EARTH_RADIUS_KM = WGS84_A_KM
#: Mean radius of a spherical Earth (areas, swaths, footprints), km.
MEAN_EARTH_RADIUS_KM = 6371.0
#: Second zonal harmonic (EGM96 unnormalised), for secular J2 rates.
J2 = 1.08262668e-3
#: Earth's nominal rotation rate (IERS), rad/s.
EARTH_ROTATION_RAD_S = 7.292115146706979e-5
