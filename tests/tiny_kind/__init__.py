"""A tiny layer kind defined outside Maquette: pins read from ``*.pins`` text files.

It shows what adding a kind takes (tests/test_kinds.py): this folder — the kind's declaration
(here), its layer and style (``layer.py``), its sniffer (``detect.py``), its visual (``visual.py``)
and controls (``controls.py``) — plus one registration line, ``kinds.register("tests.tiny_kind")``
(for a kind of Maquette's own: one line in :data:`layers.core.kinds.KIND_PACKAGES`).
"""

from layers.core.kinds import Kind
from layers.io.formats import FileFormat, register_format

KIND = Kind(name="pins", layer="tests.tiny_kind.layer:PinsLayer", header="tests.tiny_kind.detect:sniff")
register_format(FileFormat("Pins", (".pins",), "pins"))
