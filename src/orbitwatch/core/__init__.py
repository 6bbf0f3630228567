"""Shared foundations at the bottom of every layer: the time system (exact UTC
microseconds, split Julian dates), physical constants, orbit geometry from mean
elements, two-body motion, and vectorised event search. Imports nothing of orbitwatch
but :mod:`orbitwatch.errors`."""
