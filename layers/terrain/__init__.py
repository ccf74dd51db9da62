"""The ground: a DEM raster (or spot heights) on which buildings stand and overlays lie."""

from layers.core.kinds import Kind

KIND = Kind(
    name="terrain",
    layer="layers.terrain.layer:TerrainLayer",
    header="layers.terrain.detect:sniff_header",
    features="layers.terrain.detect:sniff_features",
)
