"""Video encoders: MP4 (H.264) through PyAV, animated GIF through Pillow (:mod:`viewer.video_gif`),
encoding on a worker thread.

Why PyAV: its wheels bundle FFmpeg's libraries with libx264, so Maquette encodes H.264 in process
with no system ffmpeg and nothing downloaded at run time; frames go from numpy to the encoder
without a pipe, the RGB → YUV conversion runs in swscale (C, GIL released), and the same library
reads the file back for tests (codec, pixel format, frames). imageio-ffmpeg (a bundled ffmpeg
executable fed through a pipe) is the peer measured in ``bench/export.py``; it is twice the size on
disk and needs every frame copied through a pipe.

The MP4 plays everywhere: H.264 High profile, yuv420p, BT.709 limited range (tagged), even
dimensions, ``moov`` atom at the front (``+faststart``) so it starts playing while it downloads.
"""

from __future__ import annotations

import queue
import threading
from fractions import Fraction
from pathlib import Path
from time import perf_counter
from typing import Any, NoReturn, Protocol

import numpy as np

from layers.core.errors import InputError
from layers.io.atomic import Replacement

from .video_gif import GifEncoder

VIDEO_SUFFIXES = {".mp4": "mp4", ".gif": "gif"}
#: H.264 quality (constant rate factor: 18 is visually lossless, 23 x264's default) and speed preset
CRF = 20
PRESET = "veryfast"
#: frames waiting for the encoder thread at most (memory: 6 MB each at 1080p)
QUEUE_FRAMES = 4


class Encoder(Protocol):
    """Takes (h, w, 3) uint8 RGB frames in order; ``close`` finishes the file, ``abort`` stops and
    deletes it. ``name`` says which encoder it is (``--json``).

    The file is written under a temporary name beside the target and renamed over it only by
    ``close``, once complete and flushed (:class:`layers.io.atomic.Replacement`): a crash, a kill or
    a cancel leaves the previous file (or none); ``abort`` and a failure remove the temporary file,
    and a failure raises :class:`layers.core.errors.OutputError` naming the cause (the disk is
    full...)."""

    name: str

    def write(self, frame: np.ndarray) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def even_size(size: tuple[int, int]) -> tuple[int, int]:
    """``size`` rounded down to even numbers (H.264 in yuv420p halves both chroma axes)."""
    return (int(size[0]) // 2 * 2, int(size[1]) // 2 * 2)


def check_video_output(output: Path) -> str:
    """The container (``"mp4"`` or ``"gif"``) for ``output``; :class:`InputError` otherwise."""
    kind = VIDEO_SUFFIXES.get(output.suffix.lower())
    if kind is None:
        raise InputError(
            output,
            f"cannot write {output.suffix or 'a file without extension'!r} videos (expected .mp4 or .gif)",
        )
    if not output.parent.exists():
        raise InputError(output, "the output folder does not exist")
    return kind


class PyAVEncoder:
    """H.264 MP4 through PyAV (FFmpeg's libx264, bundled in the wheel)."""

    name = "pyav"

    def __init__(
        self, path: str | Path, size: tuple[int, int], fps: float, *, crf: int = CRF, preset: str = PRESET
    ) -> None:
        import av

        width, height = size
        if width % 2 or height % 2:
            raise ValueError(f"H.264 yuv420p needs even dimensions, not {width}x{height}")
        self.path = Path(path)
        self.replacement = Replacement()
        temp = self.replacement.add(self.path)
        try:
            self.container = av.open(str(temp), mode="w", format="mp4", options={"movflags": "+faststart"})
        except Exception as exc:  # noqa: BLE001 - said in words, the temporary file removed
            self.replacement.fail(exc)
        rate = Fraction(fps).limit_denominator(1001)
        self.stream = self.container.add_stream("libx264", rate=rate)
        self.stream.width, self.stream.height = int(width), int(height)
        self.stream.pix_fmt = "yuv420p"
        self.stream.options = {"crf": str(crf), "preset": preset, "profile": "high"}
        context = self.stream.codec_context
        context.colorspace = context.color_primaries = context.color_trc = 1  # BT.709
        context.color_range = 1  # limited ("MPEG") range, what players expect
        self.count = 0
        #: the last array written and its converted picture (a story's held frames repeat it)
        self._last_frame: np.ndarray | None = None
        self._last_picture: Any = None

    def write(self, frame: np.ndarray) -> None:
        import av

        if frame is self._last_frame and self._last_picture is not None:
            picture = self._last_picture  # a held picture: converted once, encoded again
        else:
            picture = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame[:, :, :3]), format="rgb24")
            picture = picture.reformat(format="yuv420p", dst_colorspace="ITU709")
            self._last_frame, self._last_picture = frame, picture
        picture.pts = self.count
        self.count += 1
        try:
            for packet in self.stream.encode(picture):
                self.container.mux(packet)
        except Exception as exc:  # noqa: BLE001 - said in words, the temporary file removed
            self._fail(exc)

    def close(self) -> None:
        """Finish the file and put it in place (see :class:`layers.io.atomic.Replacement`)."""
        try:
            for packet in self.stream.encode():
                self.container.mux(packet)
            self.container.close()
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
        self.replacement.commit()

    def _fail(self, exc: Exception) -> NoReturn:
        self._close_quietly()
        self.replacement.fail(exc)

    def _close_quietly(self) -> None:
        try:
            self.container.close()
        except Exception:  # noqa: BLE001 - abandoned: the file is deleted
            pass

    def abort(self) -> None:
        self._close_quietly()
        self.replacement.discard()


class ImageioEncoder:
    """H.264 MP4 through imageio-ffmpeg's bundled ffmpeg executable, frames piped as raw RGB (the
    peer in ``bench/export.py``; not a dependency of the application)."""

    name = "imageio-ffmpeg"

    def __init__(
        self, path: str | Path, size: tuple[int, int], fps: float, *, crf: int = CRF, preset: str = PRESET
    ) -> None:
        import imageio_ffmpeg

        self.path = Path(path)
        self.replacement = Replacement()
        self._writer = imageio_ffmpeg.write_frames(
            str(self.replacement.add(self.path)),
            tuple(int(v) for v in size),
            fps=fps,
            codec="libx264",
            pix_fmt_out="yuv420p",
            macro_block_size=2,
            output_params=[
                "-crf",
                str(crf),
                "-preset",
                preset,
                "-movflags",
                "+faststart",
                "-colorspace",
                "bt709",
                "-color_primaries",
                "bt709",
                "-color_trc",
                "bt709",
            ],
        )
        self._writer.send(None)

    def write(self, frame: np.ndarray) -> None:
        self._writer.send(np.ascontiguousarray(frame[:, :, :3]))

    def close(self) -> None:
        try:
            self._writer.close()
        except Exception as exc:  # noqa: BLE001 - said in words, the temporary file removed
            self.replacement.fail(exc)
        self.replacement.commit()

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self.replacement.discard()


class NullEncoder:
    """Takes frames and writes nothing (measuring rendering alone)."""

    name = "none"

    def __init__(self, *_args: object, **_kwargs: object) -> None:
        pass

    def write(self, frame: np.ndarray) -> None:
        pass

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


#: the MP4 encoders by ``--encoder`` name (GIFs always go through Pillow)
ENCODERS: dict[str, type[PyAVEncoder | ImageioEncoder | NullEncoder]] = {
    "pyav": PyAVEncoder,
    "imageio-ffmpeg": ImageioEncoder,
    "none": NullEncoder,
}


def open_encoder(
    path: str | Path,
    size: tuple[int, int],
    fps: float,
    *,
    encoder: str = "pyav",
    crf: int = CRF,
    preset: str = PRESET,
) -> Encoder:
    """The encoder for ``path``'s extension (.mp4 with ``encoder``, .gif with Pillow)."""
    path = Path(path)
    if path.suffix.lower() == ".gif":
        return GifEncoder(path, size, fps)
    if encoder == "none":
        return NullEncoder()
    return ENCODERS[encoder](path, size, fps, crf=crf, preset=preset)


class ThreadedEncoder:
    """Runs an encoder on a worker thread so encoding overlaps the rendering of the next frames.

    ``write`` hands a frame over (waiting only when :data:`QUEUE_FRAMES` are already queued);
    ``close`` waits for the last one and finishes the file. The first error of the worker is raised
    in the caller's thread at the next ``write`` or ``close``. Timings: ``encode_s`` (seconds spent
    encoding, per frame) and ``wait_s`` (seconds the caller waited for room in the queue).
    """

    def __init__(self, encoder: Encoder, *, threaded: bool = True) -> None:
        self.encoder = encoder
        self.threaded = threaded
        self.encode_s: list[float] = []
        self.wait_s = 0.0
        self.finish_s = 0.0
        self._error: BaseException | None = None
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=QUEUE_FRAMES)
        self._thread: threading.Thread | None = None
        if threaded:
            self._thread = threading.Thread(target=self._work, name="maquette-video-encoder", daemon=True)
            self._thread.start()

    @property
    def name(self) -> str:
        return self.encoder.name

    def _encode(self, frame: np.ndarray) -> None:
        t0 = perf_counter()
        self.encoder.write(frame)
        self.encode_s.append(perf_counter() - t0)

    def _work(self) -> None:
        while True:
            frame = self._queue.get()
            if frame is None:
                return
            if self._error is None:
                try:
                    self._encode(frame)
                except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                    self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def write(self, frame: np.ndarray) -> None:
        self._raise()
        if not self.threaded:
            self._encode(frame)
            return
        t0 = perf_counter()
        self._queue.put(frame)
        self.wait_s += perf_counter() - t0

    def _join(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def close(self) -> None:
        self._join()
        self._raise()
        t0 = perf_counter()
        self.encoder.close()
        self.finish_s = perf_counter() - t0

    def abort(self) -> None:
        """Stop and delete the partial file (cancel)."""
        if self._thread is not None:
            while True:  # drop what is queued so the worker ends at once
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
        self._join()
        self._error = None
        self.encoder.abort()
