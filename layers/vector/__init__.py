"""Flat features: land use, parks, water (polygons), and any points or lines no other kind claims."""

from layers.core.kinds import Kind

KIND = Kind(
    name="vector",
    layer="layers.vector.layer:VectorLayer",
    header="layers.vector.detect:sniff_header",
    features="layers.vector.detect:sniff_features",
)
