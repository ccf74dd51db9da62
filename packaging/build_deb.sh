#!/bin/sh
# Build dist/maquette_<version>_amd64.deb: PyInstaller with packaging/maquette.spec, then dpkg-deb.
# Options pass through to packaging/build_deb.py (--compression zstd for a quick build, --help).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
exec "$PYTHON" "$ROOT/packaging/build_deb.py" "$@"
