"""Reports built from stored screening runs: conjunction tables, coordination, CDMs."""
