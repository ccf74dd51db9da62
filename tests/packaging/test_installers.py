"""The Windows and macOS recipes, which cannot be built here, stay in step with the Linux build.

They are read, not run: the same PyInstaller spec and output folder, the version from
pyproject.toml, the icon files they name exist, the *.maquette.json file type everywhere, and the
CI workflow builds all three from the spec.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = (PACKAGING / "maquette.spec").read_text(encoding="utf-8")
ISS = (PACKAGING / "windows" / "maquette.iss").read_text(encoding="utf-8")
DMG = (PACKAGING / "macos" / "make_dmg.sh").read_text(encoding="utf-8")
WORKFLOW = (PACKAGING / "ci" / "installers.yml").read_text(encoding="utf-8")
DIST = "build/packaging/dist"  # PyInstaller's --distpath everywhere


def test_icons_named_by_the_recipes_exist():
    for name in ("maquette.ico", "maquette.icns", "maquette.svg"):
        assert (ROOT / "assets" / name).is_file(), name
    assert "SetupIconFile=..\\..\\assets\\maquette.ico" in ISS
    assert '"maquette.ico" if IS_WIN else "maquette.icns"' in SPEC


def test_windows_installer():
    # input: the folder the spec makes; the two programs of its Windows branch
    source = re.search(r'#define Source "([^"]+)"', ISS).group(1).replace("\\", "/")
    assert (PACKAGING / "windows" / source).resolve() == (ROOT / DIST / "maquette").resolve()
    assert 'name="maquette-cli"' in SPEC.replace(" ", "") and '#define MyAppExe "maquette.exe"' in ISS
    # the version is given by CI from pyproject.toml, never written in the script
    assert "AppVersion={#MyAppVersion}" in ISS and "#error" in ISS
    assert re.search(r"tomllib.*pyproject\.toml.*version.*\n.*ISCC\.exe.*/DMyAppVersion=\$version", WORKFLOW)
    # Start menu, uninstaller, file association
    assert 'Name: "{group}\\{#MyAppName}"' in ISS
    assert "{uninstallexe}" in ISS
    assert "ChangesAssociations=yes" in ISS
    assert (
        "*.maquette.json" in ISS and 'Subkey: "Software\\Classes\\{#MyProgId}\\shell\\open\\command"' in ISS
    )
    assert ISS.count("uninsdelete") >= 3  # the association goes with the application


def test_macos_app_and_disk_image():
    assert "packaging/maquette.spec" in DMG and f"--distpath {DIST}" in DMG
    assert 'tomllib.load(open("pyproject.toml", "rb"))["project"]["version"]' in DMG
    assert "hdiutil create" in DMG and "/Applications" in DMG
    bundle = SPEC[SPEC.index("app = BUNDLE(") :]
    assert '"CFBundleShortVersionString": VERSION' in bundle
    assert '"public.filename-extension": ["maquette.json"]' in bundle
    assert '"LSItemContentTypes": ["org.maquette.project"]' in bundle


def test_one_version_source():
    # the spec reads pyproject.toml; nothing in packaging/ writes a version of its own
    assert 'tomllib.loads((ROOT / "pyproject.toml")' in SPEC
    for path in PACKAGING.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".sh", ".iss", ".spec", ".yml"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"""(?i)version\s*[:=]\s*["']?\d+\.\d+\.\d+""", text), path


def test_workflow_builds_every_installer_from_the_spec():
    assert "sh packaging/bootstrap.sh test" in WORKFLOW  # Linux: the tests build the .deb (test_deb.py)
    assert "packaging/build_deb.py" in WORKFLOW
    assert "packaging\\maquette.spec" in WORKFLOW and "packaging\\windows\\maquette.iss" in WORKFLOW
    assert "sh packaging/macos/make_dmg.sh" in WORKFLOW
    # names holding ": " must be quoted, or the YAML does not parse
    for line in WORKFLOW.splitlines():
        match = re.match(r"\s*-? ?name: (.*)$", line)
        if match and not match.group(1).startswith(('"', "'")):
            assert ": " not in match.group(1), line
    assert "\t" not in WORKFLOW
