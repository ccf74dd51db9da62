#!/bin/sh
# Set up Maquette on a Debian machine (Python 3.11+) and run it or its tests.
#
#   sh packaging/bootstrap.sh run  [PATH ...]    install what is missing, open the app (sample city)
#   sh packaging/bootstrap.sh test [PYTEST ARGS] install what is missing, run the test suite
#                                                (with no ARGS: ruff and mypy first, as CI does)
#   sh packaging/bootstrap.sh check              ruff and mypy alone
#
# System packages (Xvfb, Mesa, Qt's xcb libraries, fonts; binutils, x11-utils, desktop-file-utils and
# shared-mime-info for the installer test; for the tests, Node.js, npm and Chromium, which check the
# web exports) are installed with apt-get when missing; the tests' npm packages go into
# packaging/node/node_modules (npm ci, from the committed lock);
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
    apt_waiting update -qq
    # shellcheck disable=SC2086
    apt_waiting install -y -qq --no-install-recommends $missing
}

# apt-get, waiting (up to 10 minutes) while another apt or dpkg holds its lock instead of failing
apt_waiting() {
    log=$(mktemp)
    tries=0
    while :; do
        if as_root apt-get -o DPkg::Lock::Timeout=600 "$@" >"$log" 2>&1; then rm -f "$log"; return 0; fi
        if grep -qiE "could not get lock|unable to acquire|is another process using it" "$log" && [ $tries -lt 120 ]; then
            [ $tries -eq 0 ] && say "waiting for another package manager to finish..."
            tries=$((tries + 1))
            sleep 5
        else
            cat "$log" >&2; rm -f "$log"; return 1
        fi
    done
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

# the web tools the tests use (CesiumJS, glTF validator, 3D Tiles tools), from packaging/node's lock
NODE_DIR=$ROOT/packaging/node
install_web_tools() {
    missing=""
    command -v node >/dev/null 2>&1 || missing="$missing nodejs"
    command -v npm >/dev/null 2>&1 || missing="$missing npm"
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
    # shellcheck disable=SC2086
    [ -z "$missing" ] || install_system_packages $missing
    stamp="$NODE_DIR/node_modules/.maquette-installed"
    want=$(cat "$NODE_DIR/package-lock.json" | cksum)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "installing the web tools into packaging/node/node_modules"
        (cd "$NODE_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
        echo "$want" > "$stamp"
    fi
}

# ruff and mypy live in a venv of their own (mypy's compiled runtime must not reach the installer)
LINT_VENV=${MAQUETTE_LINT_VENV:-$ROOT/.venv-lint}
make_lint_venv() {
    want=$("$VENV/bin/python" -c 'import sys, tomllib; print(" ".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["optional-dependencies"]["lint"]))' "$ROOT/pyproject.toml")
    stamp="$LINT_VENV/.maquette-installed"
    if [ ! -x "$LINT_VENV/bin/python" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "installing the linter and the type checker into $LINT_VENV"
        [ -x "$LINT_VENV/bin/python" ] || "$PYTHON" -m venv "$LINT_VENV"
        # shellcheck disable=SC2086
        "$LINT_VENV/bin/python" -m pip install -q --disable-pip-version-check $want
        echo "$want" > "$stamp"
    fi
}

# the checks CI runs before the tests: lint, format, types
check_code() {
    make_lint_venv
    say "ruff check, ruff format --check, mypy"
    "$LINT_VENV/bin/ruff" check --quiet "$ROOT"
    "$LINT_VENV/bin/ruff" format --check --quiet "$ROOT"
    (cd "$ROOT" && "$LINT_VENV/bin/mypy" --python-executable "$VENV/bin/python")
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
    test) install_web_tools
          [ $# -eq 0 ] && [ -z "${MAQUETTE_SKIP_CHECKS:-}" ] && check_code
          with_display "$VENV/bin/python" -m pytest "$@" ;;
    check) check_code ;;
    *)    say "usage: sh packaging/bootstrap.sh run|test|check [ARGS]"; exit 2 ;;
esac
