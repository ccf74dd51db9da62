"""Basemaps: raster tile pyramids read offline (MBTiles, PMTiles), laid on the ground."""

from layers.core.kinds import Kind

KIND = Kind(
    name="basemap",
    layer="layers.basemap.layer:BasemapLayer",
    header="layers.basemap.detect:sniff_header",
)
