"""Access planning: passes over sites, imaging windows over regions, GNSS visibility
and dilution of precision, coverage footprints."""
