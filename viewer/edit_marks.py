"""The marks the editing tools draw over the scene: the footprint being drawn (its rubber band), the
snapping hint under the cursor, the length of the side, and the handles of the selected building.

They are drawn by a renderer of their own on top of the scene's (same camera, its depth cleared), so
a handle behind a wall or a band on the ground behind a building stays visible. Points are given in
scene CRS metres (x, y, z above the ground); the marks move them by the scene origin like any layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkCoordinate,
    vtkPolyDataMapper,
    vtkRenderer,
    vtkTextActor,
)

if TYPE_CHECKING:
    from .scene_view import SceneView

#: the render-window layer of the marks (above the scene's 0 or 1, see viewer/shadow_maps.py)
MARKS_LAYER = 3
BAND_COLOR = (1.0, 0.55, 0.1)  # orange of the planned buildings, brighter
HANDLE_COLOR = (0.1, 0.45, 0.95)
SNAP_COLOR = (0.95, 0.1, 0.55)
#: what a handle looks like: square (a corner, to scale) or round (move, rotate)
SQUARE, ROUND = "square", "round"


def _polydata(points: np.ndarray, lines: Sequence[Sequence[int]] = (), verts: bool = False) -> vtkPolyData:
    data = vtkPolyData()
    pts = vtkPoints()
    for p in points:
        pts.InsertNextPoint(float(p[0]), float(p[1]), float(p[2]))
    data.SetPoints(pts)
    if lines:
        cells = vtkCellArray()
        for line in lines:
            cells.InsertNextCell(len(line))
            for i in line:
                cells.InsertCellPoint(int(i))
        data.SetLines(cells)
    if verts:
        cells = vtkCellArray()
        for i in range(len(points)):
            cells.InsertNextCell(1)
            cells.InsertCellPoint(i)
        data.SetVerts(cells)
    return data


class EditMarks:
    """Marks of the editing tools over ``view``; :meth:`clear` hides them all, :meth:`dispose`
    takes them out of the window."""

    def __init__(self, view: SceneView) -> None:
        self.view = view
        self.renderer = vtkRenderer()
        self.renderer.SetLayer(MARKS_LAYER)
        self.renderer.SetInteractive(False)
        self.renderer.SetActiveCamera(view.renderer.GetActiveCamera())
        window = view.renderer.GetRenderWindow()
        window.SetNumberOfLayers(max(window.GetNumberOfLayers(), MARKS_LAYER + 1))
        window.AddRenderer(self.renderer)
        self._actors: list[vtkActor | vtkTextActor] = []

    @classmethod
    def on(cls, view: SceneView, marks: EditMarks | None) -> EditMarks:
        """``marks`` when they are drawn over ``view``, else new marks there (``marks``, over a view
        that was replaced, disposed): what a tool keeps between two redraws."""
        if marks is not None and marks.view is view:
            return marks
        if marks is not None:
            marks.dispose()
        return cls(view)

    def dispose(self) -> None:
        self.clear()
        window = self.renderer.GetRenderWindow()
        if window is not None:
            window.RemoveRenderer(self.renderer)

    def clear(self) -> None:
        for actor in self._actors:
            self.renderer.RemoveViewProp(actor)
        self._actors = []

    # -- drawing ---------------------------------------------------------------------------------
    def _local(self, points: np.ndarray) -> np.ndarray:
        points = np.asarray(points, float).reshape(-1, 3)
        return np.asarray(self.view.to_local(points[:, :2], points[:, 2]), float)

    def line(
        self,
        points: np.ndarray,
        *,
        closed: bool = False,
        color: tuple[float, float, float] = BAND_COLOR,
        width: float = 3.0,
        guide: bool = False,
    ) -> None:
        """A polyline through ``points`` (n, 3), closed or not."""
        local = self._local(points)
        if len(local) < 2:
            return
        index = list(range(len(local))) + ([0] if closed else [])
        actor = vtkActor()
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(_polydata(local, [index]))
        actor.SetMapper(mapper)
        prop = actor.GetProperty()
        prop.SetColor(*color)
        prop.SetLineWidth(width * self.view.ui_scale)
        prop.LightingOff()
        if guide:  # a guide, not an edge: lighter (line stipples are gone from modern OpenGL)
            prop.SetOpacity(0.55)
        self._add(actor)

    def dots(
        self,
        points: np.ndarray,
        *,
        shape: str = ROUND,
        color: tuple[float, float, float] = HANDLE_COLOR,
        size_px: float = 12.0,
    ) -> None:
        """Points drawn ``size_px`` wide on screen: round dots or squares."""
        local = self._local(points)
        if not len(local):
            return
        actor = vtkActor()
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(_polydata(local, verts=True))
        actor.SetMapper(mapper)
        prop = actor.GetProperty()
        prop.SetColor(*color)
        prop.SetPointSize(size_px * self.view.ui_scale)
        prop.SetRenderPointsAsSpheres(shape == ROUND)
        prop.LightingOff()
        self._add(actor)

    def text(
        self,
        at: Sequence[float],
        words: str,
        *,
        color: tuple[float, float, float] = (0.1, 0.1, 0.1),
        offset_px: tuple[float, float] = (14.0, 10.0),
    ) -> None:
        """``words`` in a white box ``offset_px`` beside the point ``at`` (x, y, z scene metres);
        it follows the point when the camera moves."""
        x, y, z = self._local(np.asarray(at, float))[0]
        anchor = vtkCoordinate()
        anchor.SetCoordinateSystemToWorld()
        anchor.SetValue(float(x), float(y), float(z))
        actor = vtkTextActor()
        actor.SetInput(words)
        position = actor.GetPositionCoordinate()
        position.SetCoordinateSystemToDisplay()
        position.SetReferenceCoordinate(anchor)
        scale = self.view.ui_scale
        position.SetValue(offset_px[0] * scale, offset_px[1] * scale)
        prop = actor.GetTextProperty()
        prop.SetFontSize(int(round(17 * scale)))
        prop.SetColor(*color)
        prop.SetBold(True)
        prop.SetBackgroundColor(1.0, 1.0, 1.0)
        prop.SetBackgroundOpacity(0.9)
        prop.SetFrame(True)
        prop.SetFrameColor(*color)
        self._add(actor)

    def _add(self, actor: vtkActor | vtkTextActor) -> None:
        actor.SetPickable(False)
        self.renderer.AddViewProp(actor)
        self._actors.append(actor)

    @property
    def count(self) -> int:
        """How many marks are drawn (tests)."""
        return len(self._actors)
