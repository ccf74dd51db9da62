"""Strip the bundle's shared libraries, keeping a stripped copy only when it loads exactly as the original.

The wheels' libraries carry symbol tables and often debug information (Cython modules: 2-7 MB
each). ``strip --strip-unneeded`` removes them, but most of these files were rewritten by
auditwheel's patchelf, whose extra segments GNU strip lays out again (sometimes with a file offset
the loader refuses: "ELF load command address/offset not page-aligned"). A stripped copy is
therefore kept only if it loads as the original does: its loadable segments are aligned, and each
allocated section (SHF_ALLOC: code, data, dynamic symbols and relocations, the dynamic section) is
mapped at the same address with the same size, type, flags, bytes and segment permissions, as
read through the program headers the way the loader maps the file. Otherwise the original is
bundled. Used by packaging/maquette.spec on Linux (ELF, x86-64 and other 64-bit
little-endian machines); no other module needs it.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

SHF_ALLOC = 0x2
SHF_TLS = 0x400
SHT_NOBITS = 8
PT_LOAD = 1


def is_elf(path: str | Path) -> bool:
    """Whether ``path`` starts with the ELF magic number."""
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"\x7fELF"
    except OSError:
        return False


#: segments besides PT_LOAD that the loader reads: DYNAMIC, INTERP, TLS, GNU_EH_FRAME, GNU_STACK, GNU_RELRO
CHECKED_SEGMENTS = (2, 3, 7, 0x6474E550, 0x6474E551, 0x6474E552)
PAGE = 4096  # bytes; the smallest page of the systems the bundle runs on


def loaded_image(path: str | Path) -> tuple[dict, list] | None:
    """What the dynamic loader maps from an ELF64 little-endian file; None if another format or unloadable.

    Returns ({(section name, address): (size, type, flags, bytes as mapped, segment permissions)}
    for the allocated sections, [(type, address, memory size, flags)] of the other segments the
    loader reads). The bytes are taken through the PT_LOAD segments (file offset = segment offset +
    address - segment address), as mmap would, not from the section table. A PT_LOAD whose offset
    and address differ by other than a multiple of its alignment and of the page, or an allocated
    section no segment maps, make the file unloadable (None). Sizes and addresses in bytes.
    """
    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:  # ELFCLASS64, ELFDATA2LSB
        return None
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 0x36)
    loads, others = [], []
    for i in range(phnum):
        p_type, p_flags, p_offset, p_vaddr, _, p_filesz, p_memsz, p_align = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize
        )
        if p_type == PT_LOAD:
            if (p_vaddr - p_offset) % PAGE or (p_align > 1 and (p_vaddr - p_offset) % p_align):
                return None
            if p_filesz > p_memsz or p_offset + p_filesz > len(data):
                return None
            loads.append((p_vaddr, p_offset, p_filesz, p_memsz, p_flags))
        elif p_type in CHECKED_SEGMENTS:
            others.append((p_type, p_vaddr, p_memsz, p_flags))
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names_offset = headers[shstrndx][4] if shnum else 0

    def name(offset: int) -> str:
        start = names_offset + offset
        return data[start : data.index(b"\0", start)].decode("ascii", "replace")

    sections = {}
    for sh_name, sh_type, flags, address, _, size, *_ in headers:
        if not flags & SHF_ALLOC or not size:
            continue
        if sh_type == SHT_NOBITS and flags & SHF_TLS:  # .tbss: a template size, takes no room in its segment
            sections[(name(sh_name), address)] = (size, sh_type, flags, b"", None)
            continue
        segment = next((s for s in loads if s[0] <= address and address + size <= s[0] + s[3]), None)
        if segment is None:
            return None
        vaddr, offset, filesz, _, permissions = segment
        if sh_type == SHT_NOBITS:
            content = b""
        elif address + size > vaddr + filesz:
            return None
        else:
            start = offset + address - vaddr
            content = data[start : start + size]
        sections[(name(sh_name), address)] = (size, sh_type, flags, content, permissions)
    return sections, others


def same_image(original: str | Path, stripped: str | Path) -> bool:
    """Whether ``stripped`` loads and maps the same sections, bytes and permissions as ``original``."""
    a, b = loaded_image(original), loaded_image(stripped)
    return a is not None and a == b


def stripped_copy(source: str, target: Path) -> str:
    """The path to bundle for ``source``: ``target``, a verified stripped copy, or ``source`` itself.

    The copy is remade only when the source's modification time changed (target keeps it).
    """
    stat = os.stat(source)
    marker = target.with_name(target.name + ".original")  # written when stripping did not pay or was refused
    if target.exists() and target.stat().st_mtime == stat.st_mtime:
        return str(target)
    if marker.exists() and marker.stat().st_mtime == stat.st_mtime:
        return source
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    target.chmod(0o755)
    result = subprocess.run(["strip", "--strip-unneeded", str(target)], capture_output=True)
    if result.returncode == 0 and target.stat().st_size < stat.st_size and same_image(source, target):
        os.utime(target, (stat.st_atime, stat.st_mtime))
        return str(target)
    target.unlink()
    marker.touch()
    os.utime(marker, (stat.st_atime, stat.st_mtime))
    return source
