#!/bin/sh
# Set up Maquette on a Debian machine (Python 3.11+) and run it or its tests.
#
#   sh packaging/bootstrap.sh run  [PATH ...]    install what is missing, open the app (sample city)
#   sh packaging/bootstrap.sh test [PYTEST ARGS] install what is missing, run the test suite
#
# System packages (Xvfb, Mesa, Qt's xcb libraries, fonts; binutils, x11-utils, desktop-file-utils and
# shared-mime-info for the installer test) are installed with apt-get when missing;
# Python packages go into .venv (or $MAQUETTE_VENV). With no display, Xvfb provides one.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${MAQUETTE_VENV:-$ROOT/.venv}
PYTHON=${PYTHON:-python3}
MODE=${1:-run}
[ $# -gt 0 ] && shift

SYSTEM_PACKAGES="xvfb xauth libgl1 libegl1 libglx-mesa0 libegl-mesa0 libgl1-mesa-dri libopengl0 \
libglu1-mesa libx11-6 libx11-xcb1 libxext6 libxrender1 libxi6 libxkbcommon0 libxkbcommon-x11-0 \
libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-xinerama0 \
libxcb-xkb1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 fonts-dejavu-core libxcursor1 \
binutils x11-utils desktop-file-utils shared-mime-info"

say() { printf '\033[1mmaquette:\033[0m %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else say "need root to run: $*"; return 1; fi
}

install_system_packages() {
    command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian system: install Xvfb, Mesa (GL/EGL) and Qt's xcb libraries yourself"; return 0; }
    missing=""
    for pkg in $SYSTEM_PACKAGES "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
    done
    [ -z "$missing" ] && return 0
    say "installing system packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

make_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating $VENV"
        if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
            rm -rf "$VENV"
            install_system_packages python3-venv
            "$PYTHON" -m venv "$VENV"
        fi
    fi
    stamp="$VENV/.maquette-installed"
    want=$(cat "$ROOT/pyproject.toml" | cksum)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "installing Python packages into $VENV"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[test]"
        echo "$want" > "$stamp"
    fi
}

with_display() {
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then "$@"
    else xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" "$@"; fi
}

# PyInstaller (the installer test) needs Python's shared library, a package of its own on Debian
python_library_package() {
    case "$("$PYTHON" -c 'import sys; print(sys.base_prefix)' 2>/dev/null)" in
        /usr) "$PYTHON" -c 'import sys; print("libpython%d.%d" % sys.version_info[:2])' ;;
    esac
}

# shellcheck disable=SC2046
install_system_packages $(python_library_package)
make_venv
cd "$ROOT"
case "$MODE" in
    run)  with_display "$VENV/bin/maquette" "$@" ;;
    test) with_display "$VENV/bin/python" -m pytest "$@" ;;
    *)    say "usage: sh packaging/bootstrap.sh run|test [ARGS]"; exit 2 ;;
esac
