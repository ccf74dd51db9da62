"""BD TOPO and other reference-map features (roads, rail, water, vegetation...) drawn flat on the ground."""
