"""A video made frame by frame: the plan moves the scene, the view renders, a worker thread encodes.

:class:`VideoJob` is driven one frame at a time (:meth:`VideoJob.step`), so the desktop renders
frames on its GUI thread between events (VTK rendering stays on one thread) while the encoder
works on its own thread; the command line simply calls :meth:`VideoJob.run`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np

from .export_image import ExportView
from .video import ThreadedEncoder, open_encoder
from .video_plan import ReplayPlan, StoryPlan


class VideoJob:
    """Render every frame of ``plan`` in ``export`` at ``size`` and encode it to ``output``.

    Parameters
    ----------
    export
        The off-screen view (its scene is the one the plan moves).
    plan
        :class:`viewer.video_plan.ReplayPlan` or :class:`viewer.video_plan.StoryPlan`.
    encoder
        ``"pyav"`` (MP4), ``"imageio-ffmpeg"`` (bench peer) or ``"none"`` (render only); a .gif
        output always uses the GIF encoder.
    threaded
        Encode on a worker thread, overlapping the rendering of the next frames.
    """

    def __init__(
        self,
        export: ExportView,
        plan: ReplayPlan | StoryPlan,
        output: str | Path,
        *,
        size: tuple[int, int],
        fps: float,
        encoder: str = "pyav",
        threaded: bool = True,
        max_tile: int | None = None,
        **encoder_options: Any,
    ) -> None:
        self.export, self.plan = export, plan
        self.output = Path(output)
        self.size = (int(size[0]), int(size[1]))
        self.fps = float(fps)
        self.max_tile = max_tile
        self.total = len(plan)
        self.done = 0
        #: frames actually drawn (a story's held frames repeat the picture before them)
        self.drawn = 0
        self._last: np.ndarray | None = None
        self.render_s: list[float] = []
        self.update_s: list[float] = []
        self._frames = plan.frames(export.view)
        self._encoder = ThreadedEncoder(
            open_encoder(self.output, self.size, self.fps, encoder=encoder, **encoder_options),
            threaded=threaded,
        )
        self._t0 = perf_counter()
        self.finished = False

    @property
    def fraction(self) -> float:
        return self.done / max(self.total, 1)

    def step(self) -> bool:
        """Put the scene in the next frame's state, render it fully, hand it to the encoder.
        Returns ``False`` once every frame has been handed over (then call :meth:`finish`)."""
        t0 = perf_counter()
        try:
            changed = next(self._frames)
        except StopIteration:
            return False
        t1 = perf_counter()
        image = self._last
        if changed or image is None:  # a held picture is handed over again, not drawn again
            image = self.export.render(self.size, max_tile=self.max_tile)
            self._last = image
            self.drawn += 1
        t2 = perf_counter()
        self._encoder.write(image)
        self.update_s.append(t1 - t0)
        self.render_s.append(t2 - t1)
        self.done += 1
        return self.done < self.total

    def finish(self) -> dict[str, Any]:
        """Wait for the encoder, close the file; returns the figures ``--json`` prints."""
        self._encoder.close()
        self.finished = True
        wall = perf_counter() - self._t0
        encode = self._encoder.encode_s
        frames = self.done
        per_frame = (np.add(self.update_s, self.render_s)) if frames else np.zeros(1)
        return {
            "output": str(self.output),
            "size": list(self.size),
            "fps": self.fps,
            "frames": frames,
            "drawn": self.drawn,
            "seconds": round(frames / self.fps, 3),
            "encoder": self._encoder.name,
            "render_s": round(float(np.mean(per_frame)), 4),
            "draw_s": round(float(np.mean(self.render_s)) if frames else 0.0, 4),
            "update_s": round(float(np.mean(self.update_s)) if frames else 0.0, 4),
            "encode_s": round(float(np.mean(encode)) if encode else 0.0, 4),
            "encode_wait_s": round(self._encoder.wait_s / max(frames, 1), 4),
            "finish_s": round(self._encoder.finish_s, 4),
            "wall_s": round(wall, 3),
            "frames_per_s": round(frames / wall, 3) if wall > 0 else None,
            **self.plan.describe(),
        }

    def cancel(self) -> None:
        """Stop: the encoder thread ends and the partial file is deleted."""
        self._frames.close()
        self._encoder.abort()
        self.finished = True

    def run(
        self,
        progress: Callable[[float, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> dict[str, Any]:
        """Every frame, then :meth:`finish` (``cancelled`` checked between frames)."""
        while True:
            if cancelled is not None and cancelled():
                self.cancel()
                from layers.core.errors import Cancelled

                raise Cancelled()
            more = self.step()
            if progress is not None:
                progress(self.fraction, f"{self.done}/{self.total}")
            if not more:
                break
        return self.finish()
