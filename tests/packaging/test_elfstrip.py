"""packaging/elfstrip.py: stripped copies are bundled only when they map exactly as the original."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files: Linux only"),
    pytest.mark.skipif(shutil.which("strip") is None, reason="needs strip (binutils)"),
]


def load_elfstrip():
    spec = importlib.util.spec_from_file_location("elfstrip", ROOT / "packaging" / "elfstrip.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


elfstrip = load_elfstrip()


@pytest.fixture(scope="module")
def patched_module() -> str:
    """A wheel's Cython module rewritten by auditwheel's patchelf (RPATH to pyproj.libs), with debug info."""
    import pyproj

    return str(next(Path(pyproj.__file__).parent.glob("_geod.*.so")))


def test_stripped_copy_is_smaller_and_maps_the_same(patched_module, tmp_path):
    target = tmp_path / "stripped" / "_geod.so"
    chosen = elfstrip.stripped_copy(patched_module, target)
    assert chosen == str(target)
    assert target.stat().st_size < os.path.getsize(patched_module)
    assert elfstrip.same_image(patched_module, target)
    sections, segments = elfstrip.loaded_image(target)
    assert any(name == ".text" for name, _ in sections) and any(name == ".dynamic" for name, _ in sections)
    assert 2 in {kind for kind, *_ in segments}  # PT_DYNAMIC
    # a second call reuses the copy (same modification time as the source)
    mtime = target.stat().st_mtime_ns
    assert elfstrip.stripped_copy(patched_module, target) == str(target)
    assert target.stat().st_mtime_ns == mtime


def test_a_changed_byte_of_code_is_seen(patched_module, tmp_path):
    copy = tmp_path / "copy.so"
    shutil.copy(patched_module, copy)
    sections, _ = elfstrip.loaded_image(copy)
    content = next(value[3] for key, value in sections.items() if key[0] == ".text")
    data = bytearray(copy.read_bytes())
    offset = data.index(content[:64])  # where .text lies in the file
    data[offset + 10] ^= 0xFF
    copy.write_bytes(bytes(data))
    assert not elfstrip.same_image(patched_module, copy)


def test_a_misaligned_segment_is_unloadable(patched_module, tmp_path):
    """What strip made of scipy's OpenBLAS: a PT_LOAD whose offset and address differ by a non-page."""
    import struct

    copy = tmp_path / "copy.so"
    shutil.copy(patched_module, copy)
    data = bytearray(copy.read_bytes())
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        at = phoff + i * phentsize
        if struct.unpack_from("<I", data, at)[0] == elfstrip.PT_LOAD:
            (offset,) = struct.unpack_from("<Q", data, at + 8)
            struct.pack_into("<Q", data, at + 8, offset + 0x98)
            break
    copy.write_bytes(bytes(data))
    assert elfstrip.loaded_image(copy) is None
    assert not elfstrip.same_image(patched_module, copy)


def test_not_elf(tmp_path):
    text = tmp_path / "README"
    text.write_text("not a library")
    assert not elfstrip.is_elf(text)
    assert elfstrip.loaded_image(text) is None
    assert not elfstrip.same_image(text, text)


def test_a_refused_copy_falls_back_to_the_original(tmp_path, monkeypatch, patched_module):
    monkeypatch.setattr(elfstrip, "same_image", lambda a, b: False)
    target = tmp_path / "stripped" / "_geod.so"
    assert elfstrip.stripped_copy(patched_module, target) == patched_module
    assert not target.exists()
    assert elfstrip.stripped_copy(patched_module, target) == patched_module  # remembered: not stripped again
