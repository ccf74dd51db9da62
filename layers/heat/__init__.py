"""Temperature rasters (°C), or loggers' readings interpolated into a surface at the clock time."""

from layers.core.kinds import Kind

KIND = Kind(
    name="heat",
    layer="layers.heat.layer:HeatLayer",
    variants=("layers.heat.stations:StationHeatLayer",),
    header="layers.heat.detect:sniff_header",
)
