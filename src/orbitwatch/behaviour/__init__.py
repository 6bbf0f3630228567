"""Behaviour in orbit from element-set history: manoeuvres and proximity operations."""
