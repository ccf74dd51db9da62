"""Strategic noise maps: Lden / Ln rasters in dB(A) or isophone polygons, and façade exposure."""

from layers.core.kinds import Kind

KIND = Kind(
    name="noise",
    layer="layers.noise.layer:NoiseLayer",
    header="layers.noise.detect:sniff_header",
    features="layers.noise.detect:sniff_features",
)
