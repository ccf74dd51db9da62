"""Buildings streamed from a prepared store (``maquette prepare``): tiles read as the camera needs them."""

from layers.core.kinds import Kind

KIND = Kind(
    name="streamed",
    layer="layers.streamed.layer:StreamedBuildingsLayer",
    header="layers.streamed.detect:sniff_header",
)
