"""Hours of direct sun over a day, or their change with a planned project (h)."""

from layers.core.kinds import Kind

KIND = Kind(
    name="sunlight",
    layer="layers.sunlight.layer:SunlightLayer",
    header="layers.sunlight.detect:sniff_header",
)
