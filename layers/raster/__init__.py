"""Any other raster overlay: values with a unit, or a colour image shown as it is."""

from layers.core.kinds import Kind

KIND = Kind(
    name="raster",
    layer="layers.raster.layer:RasterLayer",
    header="layers.raster.detect:sniff_header",
)
