"""What Maquette's two web pages share (the story page, :mod:`layers.web.story_page`, and the 3D Tiles
viewer page, :mod:`layers.web.viewer_page`): the HTML head (charset, phone viewport, title, no
favicon request, CesiumJS's base URL and style sheet, the page's style sheet, CesiumJS's script where
the page reads it at once) and the CesiumJS viewer set-up (``offline_viewer.js``: a plain globe asking
for nothing outside the folder), written at the top of each page's own script.
"""

from __future__ import annotations

import html
from pathlib import Path

#: the folder of the minimal CesiumJS copy beside each page
CESIUM_FOLDER = "cesium"
SOURCE_FOLDER = Path(__file__).resolve().parent
#: the shared viewer set-up (defines ``window.maquetteOfflineViewer(container, groundColour, options)``)
SHARED_SCRIPT = "offline_viewer.js"


def page_head(title: str, style: str, *, cesium_script: bool) -> str:
    """The ``<head>`` of a page titled ``title`` with its style sheet ``style`` (a relative path).
    ``cesium_script``: read CesiumJS's script in the head (the viewer page); the story page reads it
    itself after its captions are shown."""
    script = f'\n<script src="{CESIUM_FOLDER}/Cesium.js"></script>' if cesium_script else ""
    return f"""<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="icon" href="data:,">
<script>window.CESIUM_BASE_URL = "./{CESIUM_FOLDER}/";</script>
<link rel="stylesheet" href="{CESIUM_FOLDER}/Widgets/widgets.css">
<link rel="stylesheet" href="{html.escape(style)}">{script}
</head>"""


def page_script(*names: str) -> str:
    """The text of a page's script: the shared viewer set-up, then the page's own files ``names`` (of
    this folder), in that order."""
    parts = [SHARED_SCRIPT, *names]
    return "\n".join((SOURCE_FOLDER / name).read_text(encoding="utf-8") for name in parts)
