"""Animated GIFs written frame by frame: memory stays that of a few frames, whatever their count.

A GIF has one palette, written before the first frame, and ours is built from frames across the
whole animation (a replay goes from morning light to dusk). So the frames are kept on the disk, not
in memory, until the last one: each is compressed (zlib, fast level) into an unnamed temporary file
in the output's folder (the system removes it even after a ``kill -9``). ``close`` builds the
palette from a dozen of them, then reads them back one at a time, maps each to the palette and
appends it to the GIF (Pillow's LZW encoder, one frame at a time), which is written under a
temporary name and renamed once complete (:class:`layers.io.atomic.Replacement`).

Why not Pillow's ``save(append_images=...)`` (with a list or a generator): it keeps every frame in
memory before writing the first (``GifImagePlugin._write_multiple_frames`` collects them to merge
identical ones); imageio's Pillow plugin saves through the same call when it closes, and imageio
is not a dependency. FFmpeg's GIF encoder (PyAV) streams, but needs its palette before the first
frame just as well (its ``palettegen`` filter is a first pass over every frame) or flickers with a
palette per frame; the picture would also change from the one users know.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from array import array
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn

import numpy as np

from layers.io.atomic import Replacement

if TYPE_CHECKING:
    from PIL import Image

#: colours of a GIF's one palette, and frames sampled to build it
GIF_COLOURS = 256
GIF_PALETTE_SAMPLES = 12
#: the longest delay one GIF frame can hold (centiseconds in 16 bits), in milliseconds
MAX_DELAY_MS = 65_530
#: zlib level for the frames kept on the disk (fast: the frames are read back once)
SPOOL_LEVEL = 1
_RECORD = struct.Struct("<IIQ")  # height, width, compressed size


class FrameSpool:
    """RGB frames kept compressed in an unnamed temporary file in ``folder``; memory: 8 bytes a
    frame (its place in the file)."""

    def __init__(self, folder: Path) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile(dir=folder, prefix=".maquette-frames-")
        self.offsets = array("q")

    def __len__(self) -> int:
        return len(self.offsets)

    def append(self, frame: np.ndarray) -> None:
        rgb = np.ascontiguousarray(frame[:, :, :3], dtype=np.uint8)
        data = zlib.compress(rgb.data, SPOOL_LEVEL)
        self.file.seek(0, 2)
        self.offsets.append(self.file.tell())
        self.file.write(_RECORD.pack(rgb.shape[0], rgb.shape[1], len(data)))
        self.file.write(data)

    def __getitem__(self, index: int) -> np.ndarray:
        self.file.seek(self.offsets[index])
        height, width, size = _RECORD.unpack(self.file.read(_RECORD.size))
        data = zlib.decompress(self.file.read(size))
        return np.frombuffer(data, np.uint8).reshape(height, width, 3)

    def close(self) -> None:
        self.file.close()
        self.offsets = array("q")


class GifEncoder:
    """An animated GIF for slides: one palette of 255 colours built from frames across the whole
    animation, Floyd–Steinberg dithering (stable from frame to frame: the same pixels give the same
    result), and after the first frame only the box of pixels that changed (the unchanged ones in
    it transparent, the previous frame kept underneath): about 4× smaller than whole frames; a
    frame identical to the one before lengthens its delay. Loops forever.

    Frames wait on the disk, compressed, until ``close`` (see the module): memory does not grow
    with their count."""

    name = "gif"
    TRANSPARENT = 255

    def __init__(self, path: str | Path, size: tuple[int, int], fps: float) -> None:
        self.path = Path(path)
        self.replacement = Replacement()
        self.temp = self.replacement.add(self.path)  # an unwritable file said before any frame
        self.size = size
        self.duration_ms = max(20, int(round(1000.0 / fps / 10.0)) * 10)  # GIF delays are centiseconds
        try:
            self.spool: FrameSpool | None = FrameSpool(self.temp.parent)
        except OSError as exc:
            self.replacement.fail(exc)

    def write(self, frame: np.ndarray) -> None:
        if self.spool is None:
            raise ValueError("the GIF is closed")
        try:
            self.spool.append(frame)
        except OSError as exc:  # a full disk: said in words, nothing left behind
            self._fail(exc)

    def _fail(self, exc: BaseException) -> NoReturn:
        self._drop_spool()
        self.replacement.fail(exc)

    def _drop_spool(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    def _palette(self, spool: FrameSpool) -> tuple[Image.Image, bytes]:
        """The palette image (for ``quantize``) and its 256 RGB colours (the GIF's table)."""
        from PIL import Image

        picks = np.linspace(0, len(spool) - 1, min(GIF_PALETTE_SAMPLES, len(spool))).round().astype(int)
        sample = Image.fromarray(np.concatenate([spool[int(i)] for i in picks], axis=0))
        palette = sample.quantize(GIF_COLOURS - 1, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        colours = (palette.getpalette() or [])[: 3 * (GIF_COLOURS - 1)]
        colours += [0] * (3 * GIF_COLOURS - len(colours))
        return palette, bytes(colours)

    def close(self) -> None:
        """Write the GIF from the frames kept and put it in place."""
        spool = self.spool
        if spool is None or not len(spool):
            self._drop_spool()
            self.replacement.discard()
            raise ValueError("no frame to write")
        try:
            with self.replacement, open(self.temp, "xb") as out:
                self._write(spool, out)
        finally:
            self._drop_spool()

    def _write(self, spool: FrameSpool, out: IO[bytes]) -> None:
        from PIL import Image

        palette, colours = self._palette(spool)
        height, width = spool[0].shape[:2]
        out.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0) + colours)
        out.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\x00")  # loop forever
        pending: tuple[np.ndarray, tuple[int, int], int] | None = None
        previous: np.ndarray | None = None
        for i in range(len(spool)):
            frame = Image.fromarray(spool[i])
            index = np.asarray(frame.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG))
            if previous is None:
                pending = (index, (0, 0), self.duration_ms)
            else:
                changed = index != previous
                rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
                assert pending is not None
                if not len(rows) and pending[2] + self.duration_ms <= MAX_DELAY_MS:
                    pending = (pending[0], pending[1], pending[2] + self.duration_ms)
                    continue
                self._frame(out, *pending)
                if not len(rows):  # the delay is full: a frame that changes nothing
                    pending = (np.full((1, 1), self.TRANSPARENT, np.uint8), (0, 0), self.duration_ms)
                else:
                    box = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
                    shown = np.where(changed[box], index[box], self.TRANSPARENT).astype(np.uint8)
                    pending = (shown, (int(cols[0]), int(rows[0])), self.duration_ms)
            previous = index
        assert pending is not None
        self._frame(out, *pending)
        out.write(b";")

    def _frame(self, out: IO[bytes], index: np.ndarray, offset: tuple[int, int], duration_ms: int) -> None:
        """One frame: palette indices ``index`` placed at ``offset`` (x, y pixels), shown ``duration_ms``."""
        from PIL import GifImagePlugin, Image

        picture = Image.frombytes(
            "P", (index.shape[1], index.shape[0]), np.ascontiguousarray(index).tobytes()
        )
        for chunk in GifImagePlugin.getdata(
            picture, offset, duration=duration_ms, disposal=1, transparency=self.TRANSPARENT
        ):
            out.write(chunk)

    def abort(self) -> None:
        self._drop_spool()
        self.replacement.discard()
