#!/bin/sh
# Build Maquette.app and Maquette-<version>.dmg on macOS. NOT RUN HERE (this project is built and
# tested on Debian); it runs on a macOS CI runner, see packaging/README.md and packaging/ci/installers.yml.
#
#   sh packaging/macos/make_dmg.sh          (PYTHON=... to choose the interpreter; default .venv/bin/python)
#
# 1. PyInstaller with the same spec as Linux and Windows (packaging/maquette.spec, macOS branch):
#    build/packaging/dist/Maquette.app, whose Info.plist declares the version from pyproject.toml
#    and the document type "Maquette project" (UTI org.maquette.project, conforming to public.json).
# 2. Optional signing and notarisation when MACOS_SIGN_IDENTITY (and NOTARY_PROFILE, a keychain
#    profile made with `xcrun notarytool store-credentials`) are set; an unsigned app must be opened
#    with right-click > Open the first time.
# 3. A compressed disk image with the app and a link to /Applications (hdiutil, part of macOS).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
cd "$ROOT"
VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
    --distpath build/packaging/dist --workpath build/packaging/work packaging/maquette.spec
APP=build/packaging/dist/Maquette.app
"$APP/Contents/MacOS/maquette" --version          # the command line lives inside the bundle

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$APP"
    codesign --verify --deep --strict "$APP"
fi

STAGE=build/packaging/dmg
rm -rf "$STAGE" && mkdir -p "$STAGE" dist
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG="dist/Maquette-$VERSION.dmg"
rm -f "$DMG"
hdiutil create -volname "Maquette $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ] && [ -n "${NOTARY_PROFILE:-}" ]; then
    codesign --sign "$MACOS_SIGN_IDENTITY" --timestamp "$DMG"
    xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
fi
echo "$DMG"
