"""Comment markers: a pin per comment, coloured by category, one actor for all of them, with a short
label the audience reads above each pin ("Idée · Des arbres sur le quai")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyvista as pv

from .colors import rgb
from .point_labels import PointLabels
from .text_fit import ELLIPSIS
from .visuals.glyphs import GlyphCloud
from .words import say

if TYPE_CHECKING:
    from layers.session.comments import Comment

    from .context import ViewContext

CATEGORY_COLORS = {"concern": "#e4572e", "idea": "#2fa866", "question": "#2e7fd6"}
#: pin height as a share of the scene's size, clamped (metres)
PIN_SHARE, PIN_MIN_M, PIN_MAX_M = 0.025, 12.0, 60.0
#: what a pin's label holds at most (characters): a few words, the whole text is in the comments panel
PIN_LABEL_CHARS = 40
PIN_LABEL_PT = 14
CATEGORY_WORDS = {"concern": "Concern", "idea": "Idea", "question": "Question"}


def pin_label(comment: Comment, language: str = "fr") -> str:
    """``Idée · Des arbres sur le quai`` — the category in ``language`` and the start of the text,
    cut at a word with "…" past :data:`PIN_LABEL_CHARS`."""
    category = say(CATEGORY_WORDS.get(comment.category, comment.category), language)
    text = comment.text.strip()
    room = PIN_LABEL_CHARS - len(category) - 3
    if len(text) > room:
        cut = text[: max(room - 1, 1)]
        words = cut.rsplit(" ", 1)[0] if " " in cut else cut
        text = (words if len(words) >= 6 else cut).rstrip(" ,;:.") + ELLIPSIS
    return f"{category} · {text}" if text else category


def pin_source(height: float) -> pv.PolyData:
    """A pin standing on z = 0: a thin stick topped by a round head."""
    stick = pv.Cylinder(
        center=(0, 0, height * 0.35),
        direction=(0, 0, 1),
        radius=height * 0.03,
        height=height * 0.7,
        resolution=10,
    )
    head = pv.Sphere(
        radius=height * 0.16, center=(0, 0, height * 0.82), theta_resolution=16, phi_resolution=12
    )
    return (stick.triangulate() + head.triangulate()).clean()


class CommentMarkers:
    """Pins of the session's comments in a view (:class:`viewer.scene_view.SceneView`)."""

    def __init__(self, view: ViewContext) -> None:
        self.view = view
        bounds = view.scene.bounds() or (0.0, 0.0, 100.0, 100.0)
        extent = max(bounds[2] - bounds[0], bounds[3] - bounds[1])
        self.height_m = float(np.clip(extent * PIN_SHARE, PIN_MIN_M, PIN_MAX_M))
        self.cloud = GlyphCloud(pin_source(self.height_m), np.empty((0, 3)))
        self.cloud.actor.GetProperty().SetAmbient(0.4)
        self.cloud.actor.GetProperty().SetDiffuse(0.7)
        self.cloud.actor.SetPickable(False)
        view.renderer.add_actor(self.cloud.actor, reset_camera=False, render=False, pickable=False)
        self.labels = PointLabels(view, PIN_LABEL_PT, rank=1)
        view.renderer.AddViewProp(self.labels.actor)
        self.ids: list[str] = []
        self.points = np.empty((0, 3), dtype=np.float32)

    def set_comments(self, comments: list[Comment]) -> None:
        """Show a pin for each of ``comments`` (and only those)."""
        self.ids = [c.id for c in comments]
        if comments:
            world = np.array([[c.x, c.y, c.z] for c in comments], dtype=np.float64)
            self.points = self.view.to_local(world)
        else:
            self.points = np.empty((0, 3), dtype=np.float32)
        colours = np.array(
            [
                [int(v * 255) for v in rgb(CATEGORY_COLORS.get(c.category, "#888888"))] + [255]
                for c in comments
            ],
            dtype=np.uint8,
        ).reshape(-1, 4)
        self.cloud.update(points=self.points, scale=np.ones((len(comments), 3), np.float32), rgba=colours)
        heads = self.points.astype(np.float64).copy()
        heads[:, 2] += self.height_m
        self.labels.set(heads, [pin_label(c, self.view.language) for c in comments])
        self.view.request_render()

    def set_visible(self, visible: bool) -> None:
        self.cloud.actor.SetVisibility(visible)
        self.labels.actor.SetVisibility(visible)
        self.view.request_render()

    def nearest(self, x: float, y: float, radius_px: float = 16.0) -> str | None:
        """The id of the comment whose pin head is within ``radius_px`` of display pixel (x, y)."""
        if not len(self.points):
            return None
        heads = self.points.copy()
        heads[:, 2] += self.height_m * 0.82
        display, in_front = self.view.project(heads)
        d = np.where(in_front, np.hypot(display[:, 0] - x, display[:, 1] - y), np.inf)
        i = int(np.argmin(d))
        return self.ids[i] if d[i] <= radius_px else None

    def remove(self) -> None:
        self.view.renderer.remove_actor(self.cloud.actor, render=False)
        self.labels.remove()
        self.view.renderer.RemoveViewProp(self.labels.actor)
