"""Reference-map features (BD TOPO themes, OpenStreetMap): roads as ribbons of their real width,
railways, water, vegetation, hedges, sports grounds, cemeteries, constructions, drawn on the ground."""

from layers.core.kinds import Kind

KIND = Kind(
    name="topo",
    layer="layers.topo.layer:TopoLayer",
    header="layers.topo.detect:sniff_header",
    features="layers.topo.detect:sniff_features",
)
