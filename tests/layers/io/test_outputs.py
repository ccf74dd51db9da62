"""Outputs are written whole or not at all, failures are said in words, and no output is an input.

The writers are tested through :mod:`layers.io.atomic` and the shared check of
:mod:`layers.io.outputs`; every command's use of them is tested through the command line in
``tests/desktop/test_cli_outputs.py``, killed writers in ``test_kill_writers.py``.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import numpy as np
import pytest

import layers.io.atomic as atomic_module
import layers.io.write_failures as write_failures
from layers.core.errors import OutputError
from layers.io.atomic import Replacement, atomic_write_bytes, atomic_write_text, replacing
from layers.io.outputs import check_not_inputs


def permissions_apply() -> bool:
    """False for root (or a process allowed to override file permissions): they do not stop it."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "read-only"
        probe.write_bytes(b"")
        probe.chmod(0o444)
        return not os.access(probe, os.W_OK)


PERMISSIONS_APPLY = sys.platform != "win32" and permissions_apply()


def old_file(path: Path, content: bytes = b"the previous file") -> bytes:
    path.write_bytes(content)
    return content


def only(folder: Path, *names: str) -> None:
    """``folder`` holds exactly ``names``: no temporary file left behind."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


# -- no output is an input ------------------------------------------------------------------------------
def test_an_output_that_is_an_input_is_refused(tmp_path):
    source = tmp_path / "batiments.gpkg"
    old_file(source)
    with pytest.raises(OutputError) as info:
        check_not_inputs([source], [source])
    assert info.value.one_line() == (
        f"{source}: is also an input: writing it would destroy that input "
        "(choose another output file; nothing was written)"
    )


def test_the_same_file_through_a_link_or_another_spelling_is_refused(tmp_path):
    source = tmp_path / "batiments.gpkg"
    old_file(source)
    link = tmp_path / "lien.gpkg"
    link.symlink_to(source)
    hard = tmp_path / "dur.gpkg"
    os.link(source, hard)
    (tmp_path / "sub").mkdir()
    for output in (link, hard, tmp_path / "sub" / ".." / "batiments.gpkg"):
        with pytest.raises(OutputError, match="is the same file as the input"):
            check_not_inputs([output], [source])
    with pytest.raises(OutputError):  # a link to an input not created yet: same real path
        check_not_inputs([tmp_path / "lien2.gpkg"], [tmp_path / "lien2.gpkg"])


def test_a_shapefile_output_over_the_parts_of_an_input_shapefile_is_refused(tmp_path):
    with pytest.raises(OutputError, match=r"ombres\.shp: is the same file as the input .*ombres\.dbf"):
        check_not_inputs([tmp_path / "ombres.shp"], [tmp_path / "ombres.dbf"])
    with pytest.raises(OutputError, match="is also an input"):
        check_not_inputs([tmp_path / "b.shp"], [tmp_path / "b.shp"])
    with pytest.raises(OutputError, match=r"model\.obj: is the same file as the input .*model\.mtl"):
        check_not_inputs([tmp_path / "model.obj"], [tmp_path / "model.mtl"])


def test_other_files_pass(tmp_path):
    source = tmp_path / "batiments.gpkg"
    old_file(source)
    check_not_inputs([tmp_path / "ombres.gpkg", tmp_path / "batiments.shp"], [source, None])


# -- one file replaced whole ----------------------------------------------------------------------------
def test_a_new_file_replaces_the_old_one_and_keeps_its_permissions(tmp_path):
    target = tmp_path / "out.bin"
    old_file(target)
    target.chmod(0o640)
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640
    only(tmp_path, "out.bin")


def test_a_failing_writer_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "carte.png"
    old = old_file(target)
    with pytest.raises(ZeroDivisionError), replacing(target) as temp:
        temp.write_bytes(b"half of a picture")
        _ = 1 / 0  # a bug in the writer: raised as it is (an internal error), nothing replaced
    assert target.read_bytes() == old
    only(tmp_path, "carte.png")


class FullDisk:
    """A writer that writes half of the file, then finds the disk full."""

    def __init__(self, code: int = errno.ENOSPC) -> None:
        self.code = code

    def __call__(self, temp: Path) -> None:
        with open(temp, "wb") as handle:
            handle.write(b"x" * 1000)
        raise OSError(self.code, os.strerror(self.code))


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EIO, "input/output error (the disk may be failing, or was removed)"),
        (errno.EROFS, "the disk is read-only"),
        (errno.EFBIG, "the file is larger than this disk or this session's size limit allows"),
    ],
)
def test_a_failure_is_said_in_words_and_keeps_the_previous_file(tmp_path, code, words):
    target = tmp_path / "heures.tif"
    old = old_file(target)
    with pytest.raises(OutputError) as info, replacing(target) as temp:
        FullDisk(code)(temp)
    assert info.value.one_line() == f"{target}: cannot write: {words} (the previous file is kept)"
    assert info.value.errno == code and isinstance(info.value, OSError)
    assert target.read_bytes() == old
    only(tmp_path, "heures.tif")


def test_without_a_previous_file_it_says_nothing_was_written(tmp_path):
    target = tmp_path / "heures.tif"
    with pytest.raises(OutputError) as info, replacing(target) as temp:
        FullDisk()(temp)
    assert info.value.one_line() == f"{target}: cannot write: the disk is full (nothing was written)"
    only(tmp_path)


class LibraryError(Exception):
    """What GDAL's Python bindings raise: no error code, the system's words in the message or not."""


def test_the_cause_is_found_in_the_library_message(tmp_path):
    target = tmp_path / "ombres.gpkg"
    with pytest.raises(OutputError, match="the disk is full"), replacing(target) as temp:
        temp.write_bytes(b"SQLite format 3\0")
        raise LibraryError("sqlite3_exec(INSERT ...) failed: disk I/O error: No space left on device")


def test_the_cause_is_found_in_what_the_library_printed(tmp_path):
    target = tmp_path / "heures.tif"
    with pytest.raises(OutputError) as info, replacing(target, quiet=True) as temp:
        temp.write_bytes(b"II*\0")
        os.write(2, b"_tiffWriteProc: No space left on device.\n")  # libtiff prints on fd 2 itself
        raise LibraryError("Write failed. See previous exception for details.")
    assert "the disk is full" in info.value.one_line()
    assert info.value.details == "_tiffWriteProc: No space left on device."


def test_what_libraries_print_while_writing_is_not_shown(tmp_path, capfd):
    with replacing(tmp_path / "ok.tif", quiet=True) as temp:
        os.write(2, b"Warning 1: chatter from a library\n")
        temp.write_bytes(b"data")
    print("after", file=sys.stderr)
    assert capfd.readouterr().err == "after\n"


def test_without_a_cause_in_the_message_a_test_write_finds_it(tmp_path, monkeypatch):
    """GDAL said "cannot write feature": a test write in the folder meets the full disk."""
    monkeypatch.setattr(write_failures, "probe", lambda folder: errno.ENOSPC)
    with pytest.raises(OutputError, match="the disk is full"), replacing(tmp_path / "o.geojson") as temp:
        temp.write_bytes(b"{")
        raise LibraryError("Could not add feature to layer at index 111: Cannot write feature")
    monkeypatch.setattr(write_failures, "probe", lambda folder: None)
    with pytest.raises(LibraryError), replacing(tmp_path / "o.geojson") as temp:  # a bug, not the disk
        raise LibraryError("Cannot write feature")


def test_the_test_write_meets_a_size_limit(tmp_path):
    """The real probe, under a file size limit smaller than what it writes (as a full disk)."""
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        code = write_failures.probe(tmp_path)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert code == errno.EFBIG
    only(tmp_path)


def test_a_cancel_removes_the_temporary_file_and_is_not_an_error(tmp_path):
    from layers.core.errors import Cancelled

    target = tmp_path / "v.mp4"
    old = old_file(target)
    with pytest.raises(Cancelled), replacing(target) as temp:
        temp.write_bytes(b"frames")
        raise Cancelled()
    assert target.read_bytes() == old
    only(tmp_path, "v.mp4")


# -- targets that cannot or must not be replaced ----------------------------------------------------------
def test_a_folder_is_refused(tmp_path):
    (tmp_path / "out.png").mkdir()
    with pytest.raises(OutputError) as info:
        atomic_write_bytes(tmp_path / "out.png", b"x")
    assert (
        info.value.one_line() == f"{tmp_path / 'out.png'}: cannot write: it is a folder (nothing was written)"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_device_is_refused_never_replaced(tmp_path):
    link = tmp_path / "out.tif"
    link.symlink_to("/dev/full")
    with pytest.raises(OutputError) as info:
        atomic_write_bytes(link, b"x")
    assert info.value.one_line() == (
        f"{link}: cannot write: it is a device, a pipe or a socket, not a file (nothing was written)"
    )
    assert Path("/dev/full").is_char_device() and link.is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused(tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="a device, a pipe or a socket"):
        atomic_write_text(fifo, "a;b\n", make_folder=False)


def test_a_missing_folder_and_a_name_too_long(tmp_path):
    with pytest.raises(OutputError) as info:
        atomic_write_text(tmp_path / "absent" / "c.csv", "x", make_folder=False)
    assert info.value.one_line().endswith(
        "c.csv: cannot write: the folder does not exist (nothing was written)"
    )
    long = tmp_path / ("n" * 300 + ".png")
    with pytest.raises(OutputError) as info:
        atomic_write_bytes(long, b"x")
    assert info.value.one_line() == f"{long}: cannot write: the file name is too long (nothing was written)"
    only(tmp_path)


def test_a_link_is_followed(tmp_path):
    real = tmp_path / "real.txt"
    old_file(real)
    (tmp_path / "link.txt").symlink_to(real)
    atomic_write_text(tmp_path / "link.txt", "new")
    assert real.read_text() == "new" and (tmp_path / "link.txt").is_symlink()


def test_a_read_only_disk_or_folder_is_said(tmp_path, monkeypatch):
    target = tmp_path / "p.maquette.json"
    old = old_file(target)
    real_open = os.open

    def read_only(path, flags, *args):
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(atomic_module.os, "open", read_only)
    with pytest.raises(OutputError) as info:
        atomic_write_text(target, "{}")
    assert (
        info.value.one_line() == f"{target}: cannot write: the disk is read-only (the previous file is kept)"
    )
    assert target.read_bytes() == old


@pytest.mark.skipif(not PERMISSIONS_APPLY, reason="permissions do not stop root")
def test_a_read_only_file_and_folder_are_kept(tmp_path):
    target = tmp_path / "heures.tif"
    old = old_file(target)
    target.chmod(0o444)
    with pytest.raises(OutputError) as info:
        atomic_write_bytes(target, b"new")
    assert (
        info.value.one_line() == f"{target}: cannot write: the file is read-only (the previous file is kept)"
    )
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError) as info:
            atomic_write_bytes(folder / "x.png", b"new")
        assert info.value.one_line() == (
            f"{folder / 'x.png'}: cannot write: no permission to write in its folder (nothing was written)"
        )
    finally:
        folder.chmod(0o755)
    assert target.read_bytes() == old


# -- files written together -----------------------------------------------------------------------------
def test_files_written_together_are_replaced_together_or_not_at_all(tmp_path):
    names = ["modele.obj", "modele.mtl", "modele_tex.png"]
    for name in names:
        old_file(tmp_path / name, b"old " + name.encode())
    with (
        pytest.raises(OutputError, match="modele.obj: cannot write: the disk is full"),  # the main one
        Replacement() as group,
    ):
        group.add(tmp_path / "modele.obj").write_bytes(b"new obj")
        FullDisk()(group.add(tmp_path / "modele.mtl"))
    for name in names:
        assert (tmp_path / name).read_bytes() == b"old " + name.encode()
    only(tmp_path, *names)
    with Replacement() as group:
        for name in names:
            group.add(tmp_path / name).write_bytes(b"new " + name.encode())
    for name in names:
        assert (tmp_path / name).read_bytes() == b"new " + name.encode()
    only(tmp_path, *names)


def test_the_main_file_is_renamed_last(tmp_path, monkeypatch):
    renamed = []
    real_replace = os.replace
    monkeypatch.setattr(
        atomic_module.os, "replace", lambda a, b: (renamed.append(Path(b).name), real_replace(a, b))
    )
    with Replacement() as group:
        for name in ("main.obj", "main.mtl", "main_t.png"):
            group.add(tmp_path / name).write_bytes(b"x")
    assert renamed[-1] == "main.obj"


def test_what_a_writer_adds_beside_its_file_follows_it(tmp_path):
    """A Shapefile's parts and a GeoTIFF's .aux.xml are renamed with it; parts of an older
    Shapefile the new one lacks go; SQLite journals are removed."""
    for ending in (".shp", ".shx", ".dbf", ".cpg", ".qix"):
        old_file(tmp_path / f"ombres{ending}")
    with replacing(tmp_path / "ombres.shp", stale=(".cpg", ".qix")) as temp:
        for ending in (".shp", ".shx", ".dbf", ".prj"):
            temp.with_suffix(ending).write_bytes(b"new")
    only(tmp_path, "ombres.shp", "ombres.shx", "ombres.dbf", "ombres.prj")
    assert (tmp_path / "ombres.dbf").read_bytes() == b"new"
    with replacing(tmp_path / "h.tif") as temp:
        temp.write_bytes(b"II*")
        Path(str(temp) + ".aux.xml").write_text("<PAMDataset/>")
    with replacing(tmp_path / "c.gpkg") as temp:
        temp.write_bytes(b"SQLite")
        Path(str(temp) + "-journal").write_bytes(b"j")
    assert (tmp_path / "h.tif.aux.xml").exists() and not list(tmp_path.glob("*journal*"))


def test_temporary_files_of_a_killed_writer_are_swept_by_the_next_write(tmp_path):
    dead = 2**22 + 12345  # above any pid_max: no such process
    left = tmp_path / f".carte.{dead}-0123abcd.tmp.png"
    left.write_bytes(b"half")
    mine = tmp_path / f".autre.{dead}-0123abcd.tmp.png"
    mine.write_bytes(b"another target's")
    atomic_write_bytes(tmp_path / "carte.png", b"whole")
    only(tmp_path, "carte.png", mine.name)


def test_geotiff_writing_is_whole_or_nothing(tmp_path, monkeypatch):
    """write_geotiff through rasterio: a failure while writing pixels keeps the previous file."""
    import rasterio
    from pyproj import CRS

    from layers.io.grid import Grid
    from layers.io.raster_file import write_geotiff

    grid = Grid(values=np.ones((20, 30), np.float32), x0=351_000.0, y0=6_789_000.0, dx=1, dy=1, crs=CRS(2154))
    target = write_geotiff(grid, tmp_path / "h.tif")
    old = target.read_bytes()
    real_open = rasterio.open

    class Failing:
        def __init__(self, dataset) -> None:
            self.dataset = dataset

        def __enter__(self):
            self.dataset.__enter__()
            return self

        def __exit__(self, *exc):
            return self.dataset.__exit__(*exc)

        def write(self, *args, **kwargs):
            raise rasterio.errors.RasterioIOError("Write failed. See previous exception for details.")

    monkeypatch.setattr(rasterio, "open", lambda *a, **k: Failing(real_open(*a, **k)))
    monkeypatch.setattr(write_failures, "probe", lambda folder: errno.ENOSPC)
    with pytest.raises(OutputError) as info:
        write_geotiff(grid, target)
    assert info.value.one_line() == f"{target}: cannot write: the disk is full (the previous file is kept)"
    assert target.read_bytes() == old
    only(tmp_path, "h.tif")


def test_a_write_error_a_library_only_printed_is_not_taken_for_success(tmp_path):
    """libtiff prints its write error and returns as if all went well: the file is not put in place."""
    target = tmp_path / "heures.tif"
    old = old_file(target)
    with pytest.raises(OutputError) as info, replacing(target, quiet=True) as temp:
        temp.write_bytes(b"II*\0 half of it")
        os.write(2, b"_tiffWriteProc: No space left on device.\n")
    assert info.value.one_line() == f"{target}: cannot write: the disk is full (the previous file is kept)"
    assert target.read_bytes() == old
    only(tmp_path, "heures.tif")


def test_a_short_write_a_library_did_not_see_is_caught(tmp_path, monkeypatch):
    """Pillow and GDAL's drivers can take a short write for a whole one: a file that reached the
    size limit, or a disk left full, is not put in place."""
    target = tmp_path / "carte.jpg"
    old = old_file(target)
    monkeypatch.setattr(write_failures, "size_limit", lambda: 256)
    with pytest.raises(OutputError, match="size limit allows"), replacing(target) as temp:
        temp.write_bytes(b"\xff\xd8" + b"\0" * 254)  # cut at the limit, no error raised
    monkeypatch.setattr(write_failures, "size_limit", lambda: None)
    monkeypatch.setattr(write_failures, "free_bytes", lambda folder: 4096)
    monkeypatch.setattr(write_failures, "probe", lambda folder: errno.ENOSPC)
    with pytest.raises(OutputError, match="the disk is full"), replacing(target) as temp:
        temp.write_bytes(b"\xff\xd8 what fitted")
    assert target.read_bytes() == old
    monkeypatch.setattr(write_failures, "probe", lambda folder: None)  # little room left, but the file fitted
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
