"""Draw Maquette's icon: a city block on its base plate, seen in isometric view.

Writes, next to this script::

    maquette.svg                  the drawing (the single source)
    png/maquette-<N>.png          N = 16, 24, 32, 48, 64, 128, 256, 512 (rendered from the SVG by Qt)
    maquette.ico                  Windows (16-256 px)
    maquette.icns                 macOS (16-512 px)

Run: ``python assets/make_icon.py`` (needs PySide6 and Pillow, both Maquette dependencies). The
drawing is computed: boxes of a given footprint and height are projected isometrically and their
three visible faces painted back to front, so the motif stays a real little maquette.
"""

from __future__ import annotations

import io
import math
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
VIEW = 512

#: the plate and the buildings: (x, y, width, depth, height, palette) in plate units (plate 0..10)
PLATE = 10.0
BLOCKS = [
    (1.0, 1.0, 3.4, 3.4, 5.6, "accent"),  # the planned tower, at the back
    (5.4, 0.8, 3.8, 3.2, 2.6, "cream"),
    (0.8, 5.4, 3.2, 3.8, 1.9, "cream"),
    (5.4, 5.4, 3.8, 3.8, 1.2, "cream"),
]
#: face colours (top, left, right)
PALETTES = {
    "cream": ("#fbf7ef", "#d9d2c3", "#b9b09e"),
    "accent": ("#ffb347", "#e8892a", "#c46a18"),
    "plate": ("#8fd0a6", "#5ea77b", "#47875f"),
}
BACKGROUND = ("#1d3557", "#2a5d8a")  # gradient, top to bottom

# isometric projection: plate x runs right-down, y left-down, z up
COS, SIN = math.cos(math.radians(30)), math.sin(math.radians(30))
SCALE = 24.0
ORIGIN = (256.0, 178.0)


def project(x: float, y: float, z: float) -> tuple[float, float]:
    """Plate coordinates (units) to SVG pixels."""
    return (ORIGIN[0] + (x - y) * COS * SCALE, ORIGIN[1] + ((x + y) * SIN - z) * SCALE)


def polygon(points: list[tuple[float, float, float]], fill: str) -> str:
    coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in (project(*p) for p in points))
    return (
        f'<polygon points="{coords}" fill="{fill}" stroke="{fill}" '
        'stroke-width="0.6" stroke-linejoin="round"/>'
    )


def box(
    x: float, y: float, w: float, d: float, h: float, z0: float, colours: tuple[str, str, str]
) -> list[str]:
    """The three faces seen from the viewer's side (top, front-left, front-right) of a box."""
    top, left, right = colours
    z1 = z0 + h
    return [
        # the face along y = y + d (facing the viewer on the left)
        polygon([(x, y + d, z0), (x + w, y + d, z0), (x + w, y + d, z1), (x, y + d, z1)], left),
        # the face along x = x + w (facing the viewer on the right)
        polygon([(x + w, y, z0), (x + w, y + d, z0), (x + w, y + d, z1), (x + w, y, z1)], right),
        polygon([(x, y, z1), (x + w, y, z1), (x + w, y + d, z1), (x, y + d, z1)], top),
    ]


def svg() -> str:
    """The icon as an SVG document (512 x 512)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{VIEW}" height="{VIEW}" '
        f'viewBox="0 0 {VIEW} {VIEW}">',
        "<title>Maquette</title>",
        '<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{BACKGROUND[0]}"/><stop offset="1" stop-color="{BACKGROUND[1]}"/>'
        "</linearGradient></defs>",
        f'<rect x="16" y="16" width="{VIEW - 32}" height="{VIEW - 32}" rx="96" ry="96" fill="url(#sky)"/>',
    ]
    parts += box(0.0, 0.0, PLATE, PLATE, 0.7, -0.7, PALETTES["plate"])
    # back to front: a box further from the viewer (smaller x + y) is painted first
    for x, y, w, d, h, palette in sorted(BLOCKS, key=lambda b: (b[0] + b[2] + b[1] + b[3], b[0] + b[1])):
        parts += box(x, y, w, d, h, 0.0, PALETTES[palette])
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render_png(svg_text: str, size: int) -> bytes:
    """The SVG rendered at ``size`` x ``size`` pixels, antialiased, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(QByteArray(svg_text.encode("utf-8")))
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image

    text = svg()
    (HERE / "maquette.svg").write_text(text, encoding="utf-8")
    (HERE / "png").mkdir(exist_ok=True)
    images = {}
    for size in SIZES:
        data = render_png(text, size)
        (HERE / "png" / f"maquette-{size}.png").write_bytes(data)
        images[size] = Image.open(io.BytesIO(data)).convert("RGBA")
    images[256].save(
        HERE / "maquette.ico",
        sizes=[(s, s) for s in SIZES if s <= 256],
        append_images=[images[s] for s in SIZES if s < 256],
    )
    images[512].save(HERE / "maquette.icns", append_images=[images[s] for s in (16, 32, 64, 128, 256)])
    print(f"wrote {HERE / 'maquette.svg'}, {len(SIZES)} PNGs, maquette.ico, maquette.icns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
