"""Map furniture drawn in the scene: title, clock, scale bar, north arrow, credits.

They are VTK 2D actors recomputed before every render (from the camera and the window size), so
the GUI, still images and videos carry them identically. Sizes are pixels scaled with the window
height (:func:`viewer.legends.scale_for`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor2D,
    vtkCoordinate,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkTextActor,
)

from viewer.text_fit import MAX_LINE_CHARS, fit_line

from .caption import wrap
from .legends import PANEL_OPACITY, PANEL_RGB, TEXT_RGB, scale_for, text_size
from .overlay_layout import Rect

#: the compass's radius and the scale bar's longest bar, pixels at 1000 px height
NORTH_RADIUS, SCALE_BAR_MAX = 36, 200

if TYPE_CHECKING:
    from .projection import FrameProjection

NICE_LENGTHS_M = (
    1,
    2,
    5,
    10,
    20,
    25,
    50,
    100,
    200,
    250,
    500,
    1000,
    2000,
    2500,
    5000,
    10000,
    20000,
    50000,
    100000,
)


def ground_point(renderer: vtkRenderer, x: float, y: float, z_ground: float = 0.0) -> np.ndarray | None:
    """Where the view ray through display pixel (x, y) meets the plane z = ``z_ground``.

    Origin-relative scene coordinates, or ``None`` when the ray points at the sky.
    """
    renderer.SetDisplayPoint(x, y, 0.0)
    renderer.DisplayToWorld()
    near = np.array(renderer.GetWorldPoint()[:3]) / (renderer.GetWorldPoint()[3] or 1.0)
    renderer.SetDisplayPoint(x, y, 1.0)
    renderer.DisplayToWorld()
    far = np.array(renderer.GetWorldPoint()[:3]) / (renderer.GetWorldPoint()[3] or 1.0)
    direction = far - near
    if abs(direction[2]) < 1e-12:
        return None
    s = (z_ground - near[2]) / direction[2]
    if s <= 0:
        return None
    return near + s * direction


def world_to_display(renderer: vtkRenderer, point: np.ndarray) -> np.ndarray:
    coordinate = vtkCoordinate()
    coordinate.SetCoordinateSystemToWorld()
    coordinate.SetValue(*map(float, point))
    return np.array(coordinate.GetComputedDoubleDisplayValue(renderer))


def nice_length(max_m: float) -> float:
    """The largest round length (1, 2, 2.5, 5 × 10^k m) not above ``max_m``."""
    fitting = [length for length in NICE_LENGTHS_M if length <= max_m]
    return float(fitting[-1]) if fitting else float(NICE_LENGTHS_M[0])


def length_label(length_m: float) -> str:
    if length_m >= 1000:
        km = length_m / 1000
        return f"{km:g} km"
    return f"{length_m:g} m"


def _text_actor(size: int = 16, *, bold: bool = False, panel: bool = True) -> vtkTextActor:
    actor = vtkTextActor()
    prop = actor.GetTextProperty()
    prop.SetFontFamilyToArial()
    prop.SetColor(*TEXT_RGB)
    prop.SetFontSize(size)
    prop.SetBold(bold)
    prop.ShadowOff()
    if panel:
        prop.SetBackgroundColor(*PANEL_RGB)
        prop.SetBackgroundOpacity(PANEL_OPACITY)
        prop.SetFrame(False)
    actor.SetPickable(False)
    return actor


def _polygon_actor(rgb: tuple[float, float, float], opacity: float = 1.0) -> tuple[vtkActor2D, vtkPolyData]:
    data = vtkPolyData()
    mapper = vtkPolyDataMapper2D()
    mapper.SetInputData(data)
    actor = vtkActor2D()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(*rgb)
    actor.GetProperty().SetOpacity(opacity)
    actor.SetPickable(False)
    return actor, data


def _set_polygons(data: vtkPolyData, polygons: list[np.ndarray]) -> None:
    points = vtkPoints()
    cells = vtkCellArray()
    for polygon in polygons:
        ids = []
        for x, y in polygon:
            ids.append(points.InsertNextPoint(float(x), float(y), 0.0))
        cells.InsertNextCell(len(ids), ids)
    data.SetPoints(points)
    data.SetPolys(cells)
    data.Modified()


class Decorations:
    """Title, clock, scale bar, north arrow and credits of one renderer.

    Parameters
    ----------
    renderer
        The VTK renderer to draw in.
    north
        Function (x, y origin-relative) → unit vector of true north in scene axes.
    """

    def __init__(
        self, renderer: vtkRenderer, north: Callable[[float, float], tuple[float, float]] | None = None
    ) -> None:
        self.renderer = renderer
        self.north = north or (lambda x, y: (0.0, 1.0))
        self.title = _text_actor(bold=True)
        self.clock = _text_actor(bold=True)
        self.credits = _text_actor(panel=True)
        self.scale_label = _text_actor(panel=False)
        self.scale_zero = _text_actor(panel=False)
        self.north_label = _text_actor(bold=True, panel=False)
        self.scale_panel, self._scale_panel_data = _polygon_actor(PANEL_RGB, PANEL_OPACITY)
        self.scale_dark, self._scale_dark_data = _polygon_actor((0.15, 0.15, 0.17))
        self.scale_light, self._scale_light_data = _polygon_actor((1.0, 1.0, 1.0))
        self.north_panel, self._north_panel_data = _polygon_actor(PANEL_RGB, PANEL_OPACITY)
        self.arrow_dark, self._arrow_dark_data = _polygon_actor((0.15, 0.15, 0.17))
        self.arrow_light, self._arrow_light_data = _polygon_actor((0.58, 0.58, 0.62))
        #: extra enlargement (presentation mode)
        self.scale = 1.0
        #: the scale bar as last drawn: (metres it stands for, its length in pixels); None when hidden
        self.scale_bar_drawn: tuple[float, float] | None = None
        self.enabled = {"title": True, "clock": True, "scale_bar": True, "north_arrow": True, "credits": True}
        #: credits written instead of the layers' own (edited for an export); ``None``: the layers'
        self.credits_text: str | None = None
        self.credits_line = ""
        self._credit_lines: list[str] = []
        #: display ↔ world of the whole picture when it is drawn in tiles (viewer/tiles.py);
        #: ``None``: the renderer's own
        self.projection: FrameProjection | None = None
        #: the screen rectangle of each piece shown at the last :meth:`update` (title, clock,
        #: north_arrow, scale_bar, credits); the scale bar's is the room kept for its longest bar
        self.rects: dict[str, Rect] = {}
        for actor in self._all():
            renderer.AddViewProp(actor)

    def _all(self) -> tuple[vtkActor2D, ...]:
        return (
            self.scale_panel,
            self.scale_dark,
            self.scale_light,
            self.north_panel,
            self.arrow_light,
            self.arrow_dark,
            self.title,
            self.clock,
            self.credits,
            self.scale_label,
            self.scale_zero,
            self.north_label,
        )

    def remove(self) -> None:
        for actor in self._all():
            self.renderer.RemoveViewProp(actor)

    # -- content ----------------------------------------------------------------------------
    def set_title(self, text: str | None) -> None:
        self.title.SetInput(fit_line(text))

    def set_clock(self, text: str | None) -> None:
        self.clock.SetInput(text or "")

    def set_credits(self, lines: list[str]) -> None:
        self._credit_lines = list(lines)
        text = self.credits_text if self.credits_text is not None else " · ".join(lines)
        #: the credits on one line; :meth:`update` wraps them where the picture is narrow
        self.credits_line = fit_line(text, 2 * MAX_LINE_CHARS)
        self.credits.SetInput(self.credits_line)

    def set_credits_text(self, text: str | None) -> None:
        """Write ``text`` instead of the layers' credits (``None``: the layers' again)."""
        self.credits_text = text
        self.set_credits(self._credit_lines)

    def _ground(self, x: float, y: float) -> np.ndarray | None:
        if self.projection is not None:
            return self.projection.ground_point(x, y)
        return ground_point(self.renderer, x, y)

    def _display(self, point: np.ndarray) -> np.ndarray:
        if self.projection is not None:
            return self.projection.to_display(point)
        return world_to_display(self.renderer, point)

    # -- layout, before every render --------------------------------------------------------
    def update(self, width: int, height: int) -> None:
        """Place title and clock top-left, the compass and scale bar bottom-left and the credits
        bottom-right, right-aligned and wrapped onto more lines where one would reach the scale bar."""
        self.rects = {}
        if width <= 0 or height <= 0:
            return
        s = scale_for(height) * self.scale
        margin = 16 * s
        y = height - margin
        for actor, size, key in ((self.title, 22, "title"), (self.clock, 19, "clock")):
            text = actor.GetInput() or ""
            shown = bool(text) and self.enabled[key]
            actor.SetVisibility(shown)
            if not shown:
                continue
            actor.GetTextProperty().SetFontSize(int(round(size * s)))
            actor.GetTextProperty().SetVerticalJustificationToTop()
            actor.SetPosition(margin, y)
            w, h = text_size(actor.GetTextProperty(), text)
            self.rects[key] = (margin, y - h, float(w), float(h))
            y -= max((size + 14) * s, h + 8 * s)
        self._update_north(width, height, s, margin)
        self._update_scale_bar(width, height, s, margin)
        if self.north_panel.GetVisibility():
            self.rects["north_arrow"] = (margin, margin, 2 * NORTH_RADIUS * s, 2 * NORTH_RADIUS * s)
        if self.scale_panel.GetVisibility():
            pad = 8 * s
            self.rects["scale_bar"] = (
                margin + 100 * s - pad,
                margin + 22 * s - pad * 1.8,
                SCALE_BAR_MAX * s + 6 * pad,
                pad * 1.8 + 33 * s,
            )
        self._update_credits(width, s, margin)

    def _update_credits(self, width: int, s: float, margin: float) -> None:
        text = self.credits_line
        shown = bool(text) and self.enabled["credits"]
        self.credits.SetVisibility(shown)
        if not shown:
            return
        prop = self.credits.GetTextProperty()
        prop.SetFontSize(int(round(12 * s)))
        prop.SetJustificationToRight()
        prop.SetVerticalJustificationToBottom()
        furniture = [r for r in self.rects.values() if r[1] < 3 * margin]  # compass, scale bar
        left = max((r[0] + r[2] for r in furniture), default=0.0)
        room, y = width - margin - left - margin, margin * 0.6
        if room < 120 * s:  # a narrow picture: the credits stand above the compass and scale bar
            room, y = width - 2 * margin, max((r[1] + r[3] for r in furniture), default=0.0) + 6 * s
        text = wrap(text, prop, room) if text_size(prop, text)[0] > room else text
        self.credits.SetInput(text)
        self.credits.SetPosition(width - margin, y)
        w, h = text_size(prop, text)
        self.rects["credits"] = (width - margin - w, y, float(w), float(h))

    def _update_north(self, width: int, height: int, s: float, margin: float) -> None:
        """A compass needle in a round panel, pointing to true north as seen on screen."""
        radius = NORTH_RADIUS * s
        cx, cy = margin + radius, margin + radius
        angle = None
        if self.enabled["north_arrow"]:
            centre = self._ground(width / 2, height / 2)
            if centre is not None:
                nx, ny = self.north(centre[0], centre[1])
                step = self._metres_per_pixel(width, height) or 1.0
                ahead = centre + np.array([nx, ny, 0.0]) * 60 * step
                a = self._display(centre)
                b = self._display(ahead)
                d = b[:2] - a[:2]
                if np.hypot(*d) > 1e-6:
                    angle = math.atan2(d[0], d[1])  # clockwise from screen up
        for actor in (self.north_panel, self.arrow_dark, self.arrow_light, self.north_label):
            actor.SetVisibility(angle is not None)
        if angle is None:
            return
        circle = np.linspace(0, 2 * math.pi, 40, endpoint=False)
        _set_polygons(
            self._north_panel_data,
            [np.column_stack([cx + radius * np.cos(circle), cy + radius * np.sin(circle)])],
        )
        r = 17 * s
        rot = np.array([[math.cos(angle), math.sin(angle)], [-math.sin(angle), math.cos(angle)]])
        tip, left, right, tail = (
            np.array([0, r]),
            np.array([-0.5 * r, -r]),
            np.array([0.5 * r, -r]),
            np.array([0, -0.5 * r]),
        )
        place = lambda pts: pts @ rot.T + np.array([cx, cy])  # noqa: E731
        _set_polygons(self._arrow_dark_data, [place(np.array([tip, left, tail]))])
        _set_polygons(self._arrow_light_data, [place(np.array([tip, tail, right]))])
        label_pos = place(np.array([[0, r + 10 * s]]))[0]
        prop = self.north_label.GetTextProperty()
        prop.SetFontSize(int(round(14 * s)))
        prop.SetJustificationToCentered()
        prop.SetVerticalJustificationToCentered()
        self.north_label.SetInput("N")
        self.north_label.SetPosition(float(label_pos[0]), float(label_pos[1]))

    def _metres_per_pixel(
        self, width: int, height: int, x: float | None = None, y: float | None = None
    ) -> float | None:
        exact = self._map_metres_per_pixel(height)
        if exact is not None:
            return exact
        x = width / 2 if x is None else x
        y = height / 2 if y is None else y
        a = self._ground(x - 20, y)
        b = self._ground(x + 20, y)
        if a is None or b is None:
            return None
        return float(np.linalg.norm(b[:2] - a[:2]) / 40.0)

    def _map_metres_per_pixel(self, height: int) -> float | None:
        """On a map (orthographic camera looking straight down), the ground's metres per pixel,
        exactly and everywhere in the picture: the picture's height is twice the parallel scale.
        ``None`` for any other camera (then measured along the ground where the bar stands)."""
        camera = self.renderer.GetActiveCamera()
        if not camera.GetParallelProjection() or height <= 0:
            return None
        direction = np.array(camera.GetDirectionOfProjection())
        if direction[2] > -0.999999:
            return None
        return 2.0 * float(camera.GetParallelScale()) / height

    def _update_scale_bar(self, width: int, height: int, s: float, margin: float) -> None:
        x0 = margin + 100 * s
        y0 = margin + 22 * s
        per_px = self._metres_per_pixel(width, height, x0 + 80 * s, y0) if self.enabled["scale_bar"] else None
        actors = (self.scale_panel, self.scale_dark, self.scale_light, self.scale_label, self.scale_zero)
        for actor in actors:
            actor.SetVisibility(per_px is not None and per_px > 0)
        self.scale_bar_drawn = None
        if not per_px:
            return
        length_m = nice_length(SCALE_BAR_MAX * s * per_px)
        length_px = length_m / per_px
        self.scale_bar_drawn = (length_m, length_px)
        bar_h = 7 * s
        half = length_px / 2
        dark = [np.array([[x0, y0], [x0 + half, y0], [x0 + half, y0 + bar_h], [x0, y0 + bar_h]])]
        light = [
            np.array(
                [[x0 + half, y0], [x0 + length_px, y0], [x0 + length_px, y0 + bar_h], [x0 + half, y0 + bar_h]]
            )
        ]
        _set_polygons(self._scale_dark_data, dark)
        _set_polygons(self._scale_light_data, light)
        pad = 8 * s
        panel = np.array(
            [
                [x0 - pad, y0 - pad * 1.8],
                [x0 + length_px + pad * 5, y0 - pad * 1.8],
                [x0 + length_px + pad * 5, y0 + bar_h + 26 * s],
                [x0 - pad, y0 + bar_h + 26 * s],
            ]
        )
        _set_polygons(self._scale_panel_data, [panel])
        for actor, text, x in (
            (self.scale_zero, "0", x0),
            (self.scale_label, length_label(length_m), x0 + length_px),
        ):
            prop = actor.GetTextProperty()
            prop.SetFontSize(int(round(13 * s)))
            prop.SetJustificationToCentered()
            prop.SetVerticalJustificationToBottom()
            actor.SetInput(text)
            actor.SetPosition(float(x), float(y0 + bar_h + 3 * s))
