"""The space environment: how crowded each orbit is, who puts what there, when each
object will come down and who keeps the disposal rules (census, density, lifetime,
compliance)."""
