"""Build Maquette's Debian package: PyInstaller (packaging/maquette.spec), then dpkg-deb.

    .venv/bin/python packaging/build_deb.py [--output DIR] [--build-dir DIR] [--no-freeze]
                                            [--compression xz|zstd|gzip|none] [--level N]

Layout of the package::

    /opt/maquette/                     the frozen application (maquette + _internal/)
    /usr/bin/maquette                  -> ../../opt/maquette/maquette (relative: works in a --root too)
    /usr/share/applications/maquette.desktop
    /usr/share/mime/packages/maquette.xml                 *.maquette.json = application/x-maquette-project
    /usr/share/icons/hicolor/{16..512}/apps/maquette.png, scalable/apps/maquette.svg (+ the file type's)
    /usr/share/doc/maquette/copyright, THIRD_PARTY_LICENSES.md

``Depends`` is computed: every ELF file of the bundle is read (objdump), the libraries it needs that
the bundle does not carry are found on this system (ldconfig) and mapped to their packages (dpkg -S);
libc6 gets the newest GLIBC symbol version used. Libraries VTK and Qt load at run time with dlopen
(GL, EGL, X11, Xcursor) are added. A library found nowhere stops the build. Prints one JSON line:
the .deb path, its size, the installed size and the stage timings.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
BUILD = ROOT / "build" / "packaging"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MIME_TYPE = "application/x-maquette-project"
MIME_ICON = MIME_TYPE.replace("/", "-")

#: loaded with dlopen, so absent from NEEDED: VTK's OpenGL / EGL / X11 loaders, Qt's GLX integration
DLOPENED = ("libGL.so.1", "libEGL.so.1", "libX11.so.6", "libXcursor.so.1")
#: xz -6: the smallest package (239 MB, ~6.5 min on 2 cores; any dpkg reads it); zstd -3 packs in
#: seconds (319 MB; dpkg >= 1.21.18, Debian 12, Ubuntu 21.10)
DEFAULT_LEVELS = {"xz": 6, "zstd": 3, "gzip": 6}
#: packages to suggest rather than require
RECOMMENDS = "fonts-dejavu-core | fonts-liberation2, libgl1-mesa-dri, shared-mime-info, desktop-file-utils"

DESCRIPTION = """\
3D model of the city from its open data, for planners and public meetings
 Maquette builds a 3D model of a city from its public open data (buildings,
 streets and traffic, noise maps, heat islands, sun and shade, public
 transport, sensor time series) and lets planners explore the layers and
 mediators present development projects in public meetings. It works
 offline and reads the usual files (GeoPackage, GeoJSON, Shapefile, GeoTIFF,
 CSV, Parquet, GTFS). It includes a synthetic sample city.
 .
 This package carries its own Python, Qt, VTK, GDAL and PROJ under
 /opt/maquette."""


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def freeze(dist: Path, work: Path) -> None:
    """Run PyInstaller on the spec: ``dist/maquette`` is the frozen application."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(PACKAGING / "maquette.spec"),
        ],
        check=True,
        cwd=ROOT,
    )


# -- staging -------------------------------------------------------------------------------------
def desktop_entry(version: str) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",
            "Name=Maquette",
            "GenericName=3D city model",
            "GenericName[fr]=Maquette numérique de la ville",
            "Comment=The city's open data in 3D, for planners and public meetings",
            "Comment[fr]=Les données ouvertes de la ville en 3D, pour l'urbanisme et la concertation",
            "Exec=maquette %F",
            "TryExec=maquette",
            "Icon=maquette",
            "Terminal=false",
            "Categories=Science;Geography;",
            f"MimeType={MIME_TYPE};",
            "Keywords=3D;city;urban;planning;GIS;map;noise;heat;buildings;ville;urbanisme;bruit;chaleur;bâtiments;",
            "StartupNotify=true",
            "StartupWMClass=maquette",
            f"X-Maquette-Version={version}",
            "",
        ]
    )


def mime_package() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>Maquette project</comment>
    <comment xml:lang="fr">Projet Maquette</comment>
    <sub-class-of type="application/json"/>
    <generic-icon name="{MIME_ICON}"/>
    <glob pattern="*.maquette.json" weight="60"/>
  </mime-type>
</mime-info>
"""


MAINTAINER_SCRIPT = """#!/bin/sh
# {name} of maquette: refresh the file-type, launcher and icon caches where the tools exist
# (dpkg's triggers of shared-mime-info, desktop-file-utils and hicolor-icon-theme do it too).
set -e
case "$1" in
    {cases})
        if command -v update-mime-database >/dev/null 2>&1; then
            update-mime-database /usr/share/mime || true
        fi
        if command -v update-desktop-database >/dev/null 2>&1; then
            update-desktop-database -q /usr/share/applications || true
        fi
        if command -v gtk-update-icon-cache >/dev/null 2>&1; then
            gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
        fi
        ;;
esac
exit 0
"""

COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: maquette

Files: *
Copyright: Maquette developers
License: MIT

Files: opt/maquette/_internal/*
Comment: Each component under its own licence: Python (PSF-2.0); Qt 6 in PySide6 and
 shiboken6 (LGPL-3.0-only); VTK (BSD-3-Clause); GDAL and PROJ (MIT); GEOS (LGPL-2.1-only);
 FFmpeg in PyAV (LGPL-3.0-or-later) with the x264 and x265 encoders (GPL-2.0-or-later);
 OpenBLAS in NumPy and SciPy (BSD-3-Clause); ICU in PySide6 (Unicode licence); GnuTLS,
 Nettle and GMP in PyAV (LGPL); the other libraries the wheels carry in their *.libs folders;
 and the Python distributions listed with their versions in
 /usr/share/doc/maquette/THIRD_PARTY_LICENSES.md.
 The licence texts the distributions ship are in /opt/maquette/_internal/*.dist-info/; those
 of the GPL and LGPL are in /usr/share/common-licenses/ (GPL-2, GPL-3, LGPL-2.1, LGPL-3).
License: various

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of this software
 and associated documentation files (the "Software"), to deal in the Software without
 restriction, including without limitation the rights to use, copy, modify, merge, publish,
 distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
 Software is furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in all copies or
 substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
 BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
 NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
 DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def copy_tree(source: Path, target: Path) -> None:
    """Copy the frozen app, hard-linking files when on the same file system (fast, no extra space)."""

    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, symlinks=True, copy_function=link_or_copy)


def stage(app: Path, stage_dir: Path, version: str) -> None:
    """Lay out the package's files under ``stage_dir`` (its DEBIAN/ comes later)."""
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    copy_tree(app, stage_dir / "opt" / "maquette")
    bin_dir = stage_dir / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "maquette").symlink_to("../../opt/maquette/maquette")
    share = stage_dir / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    (share / "applications" / "maquette.desktop").write_text(desktop_entry(version), encoding="utf-8")
    (share / "mime" / "packages").mkdir(parents=True)
    (share / "mime" / "packages" / "maquette.xml").write_text(mime_package(), encoding="utf-8")
    icons = share / "icons" / "hicolor"
    for size in ICON_SIZES:
        png = ROOT / "assets" / "png" / f"maquette-{size}.png"
        for context, name in (("apps", "maquette"), ("mimetypes", MIME_ICON)):
            folder = icons / f"{size}x{size}" / context
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(png, folder / f"{name}.png")
    for context, name in (("apps", "maquette"), ("mimetypes", MIME_ICON)):
        folder = icons / "scalable" / context
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "assets" / "maquette.svg", folder / f"{name}.svg")
    doc = share / "doc" / "maquette"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")
    licences = app / "_internal" / "THIRD_PARTY_LICENSES.md"
    if licences.is_file():
        shutil.copy2(licences, doc / "THIRD_PARTY_LICENSES.md")


def normalise_modes(stage_dir: Path) -> None:
    """Folders 755, executables and libraries 755, other files 644 (root owns all: --root-owner-group)."""
    for folder, _dirs, files in os.walk(stage_dir):
        os.chmod(folder, 0o755)
        for name in files:
            path = Path(folder) / name
            if path.is_symlink():
                continue
            mode = path.stat().st_mode
            executable = bool(mode & 0o111) or is_elf(path)
            wanted = 0o755 if executable else 0o644
            if mode & 0o7777 != wanted:
                # hard links share their mode with the build tree: copy before changing it
                if path.stat().st_nlink > 1:
                    data = path.read_bytes()
                    path.unlink()
                    path.write_bytes(data)
                os.chmod(path, wanted)


# -- dependencies --------------------------------------------------------------------------------
def is_elf(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"\x7fELF"
    except OSError:
        return False


def elf_info(path: Path) -> tuple[str | None, set[str], set[str]]:
    """(SONAME, NEEDED sonames, GLIBC_x.y versions required) of one ELF file."""
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
    soname = re.search(r"^\s*SONAME\s+(\S+)", out, re.M)
    needed = set(re.findall(r"^\s*NEEDED\s+(\S+)", out, re.M))
    glibc = set(re.findall(r"\bGLIBC_(\d+\.\d+(?:\.\d+)?)\b", out))
    return (soname.group(1) if soname else None), needed, glibc


def system_libraries() -> dict[str, str]:
    """soname -> path for this machine's x86-64 libraries (ldconfig's cache)."""
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    found: dict[str, str] = {}
    for name, flags, path in re.findall(r"^\s*(\S+) \(([^)]*)\) => (\S+)$", out, re.M):
        if "x86-64" in flags:
            found.setdefault(name, path)
    return found


def package_of(path: str) -> str | None:
    """The Debian package that owns ``path`` (merged /usr: tries /lib and /usr/lib spellings)."""
    real = os.path.realpath(path)
    candidates = []
    for p in (path, real):
        candidates.append(p)
        if p.startswith("/lib/"):
            candidates.append("/usr" + p)
        elif p.startswith("/usr/lib/"):
            candidates.append(p[len("/usr") :])
    for candidate in dict.fromkeys(candidates):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    return None


def compute_depends(app_dir: Path) -> tuple[str, dict]:
    """``Depends:`` for the bundle at ``app_dir``, and the details (what needs which package)."""
    elves = [p for p in app_dir.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        infos = list(pool.map(elf_info, elves))
    provided = {p.name for p in app_dir.rglob("*")} | {soname for soname, _, _ in infos if soname}
    needed: dict[str, str] = {}
    glibc: set[str] = set()
    for path, (_, wants, versions) in zip(elves, infos):
        glibc |= versions
        for soname in wants - provided:
            needed.setdefault(soname, str(path.relative_to(app_dir)))
    for soname in DLOPENED:
        needed.setdefault(soname, "dlopen (VTK, Qt)")
    libraries = system_libraries()
    packages: dict[str, list[str]] = {}
    missing = []
    for soname, user in sorted(needed.items()):
        path = libraries.get(soname)
        package = package_of(path) if path else None
        if package is None:
            missing.append(f"{soname} (needed by {user})")
            continue
        packages.setdefault(package, []).append(soname)
    if missing:
        raise SystemExit(
            "build_deb: libraries found neither in the bundle nor on this system:\n  " + "\n  ".join(missing)
        )
    newest = max(glibc, key=lambda v: tuple(int(x) for x in v.split("."))) if glibc else None
    depends = []
    for package in sorted(packages):
        if package == "libc6" and newest:
            depends.append(f"libc6 (>= {newest})")
        else:
            depends.append(package)
    return ", ".join(depends), {"packages": packages, "glibc": newest, "elf_files": len(elves)}


# -- the package ---------------------------------------------------------------------------------
def installed_size_kib(stage_dir: Path) -> int:
    total = 0
    for path in stage_dir.rglob("*"):
        if path.is_symlink() or path.is_dir():
            total += 1024 if path.is_dir() else 0
        else:
            total += (path.stat().st_size + 1023) // 1024 * 1024
    return total // 1024


def write_control(stage_dir: Path, version: str, depends: str) -> None:
    debian = stage_dir / "DEBIAN"
    debian.mkdir()
    control = "\n".join(
        [
            "Package: maquette",
            f"Version: {version}",
            "Section: science",
            "Priority: optional",
            "Architecture: amd64",
            "Maintainer: Maquette developers <maquette@users.noreply.invalid>",
            f"Installed-Size: {installed_size_kib(stage_dir)}",
            f"Depends: {depends}",
            f"Recommends: {RECOMMENDS}",
            f"Description: {DESCRIPTION}",
            "",
        ]
    )
    (debian / "control").write_text(control, encoding="utf-8")
    for name, cases in (
        ("postinst", "configure|abort-upgrade|abort-remove|abort-deconfigure"),
        ("postrm", "remove|purge|abort-install|abort-upgrade"),
    ):
        script = debian / name
        script.write_text(MAINTAINER_SCRIPT.format(name=name, cases=cases), encoding="utf-8")
        script.chmod(0o755)


def build(
    output: Path,
    *,
    build_dir: Path = BUILD,
    freeze_app: bool = True,
    compression: str = "xz",
    level: int | None = None,
) -> dict:
    """Freeze, stage and pack; returns the figures (sizes in MB, stage times in s)."""
    timings: dict[str, float] = {}
    meta = project()
    version = meta["version"]
    dist, work = build_dir / "dist", build_dir / "work"
    t0 = perf_counter()
    if freeze_app or not (dist / "maquette" / "maquette").is_file():
        freeze(dist, work)
    timings["pyinstaller_s"] = round(perf_counter() - t0, 1)

    t0 = perf_counter()
    stage_dir = build_dir / "deb" / f"maquette_{version}_amd64"
    stage(dist / "maquette", stage_dir, version)
    normalise_modes(stage_dir)
    timings["stage_s"] = round(perf_counter() - t0, 1)

    t0 = perf_counter()
    depends, details = compute_depends(stage_dir / "opt" / "maquette")
    write_control(stage_dir, version, depends)
    timings["depends_s"] = round(perf_counter() - t0, 1)

    t0 = perf_counter()
    output.mkdir(parents=True, exist_ok=True)
    deb = output / f"maquette_{version}_amd64.deb"
    command = ["dpkg-deb", "--root-owner-group", f"-Z{compression}"]
    if compression != "none":
        command.append(f"-z{level if level is not None else DEFAULT_LEVELS[compression]}")
    subprocess.run(command + ["--build", str(stage_dir), str(deb)], check=True, stdout=subprocess.DEVNULL)
    timings["dpkg_deb_s"] = round(perf_counter() - t0, 1)
    return {
        "deb": str(deb),
        "version": version,
        "deb_mb": round(deb.stat().st_size / 1e6, 1),
        "installed_mb": round(installed_size_kib(stage_dir) * 1024 / 1e6, 1),
        "depends": depends,
        "elf_files": details["elf_files"],
        **timings,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Maquette .deb (PyInstaller + dpkg-deb).")
    parser.add_argument("--output", default=str(ROOT / "dist"), help="folder for the .deb (default: dist/)")
    parser.add_argument(
        "--build-dir",
        default=str(BUILD),
        help="PyInstaller's and the staging folders (default: build/packaging)",
    )
    parser.add_argument("--no-freeze", action="store_true", help="reuse BUILD_DIR/dist/maquette if it exists")
    parser.add_argument("--compression", default="xz", choices=("xz", "zstd", "gzip", "none"))
    parser.add_argument("--level", type=int, help="compression level (default: xz 6, zstd 3, gzip 6)")
    args = parser.parse_args(argv)
    for tool in ("dpkg-deb", "dpkg", "objdump"):
        if shutil.which(tool) is None:
            raise SystemExit(f"build_deb: {tool} is needed (Debian: apt-get install dpkg binutils)")
    result = build(
        Path(args.output),
        build_dir=Path(args.build_dir),
        freeze_app=not args.no_freeze,
        compression=args.compression,
        level=args.level,
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
