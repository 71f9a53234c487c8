#!/bin/sh
# Prepare a fresh Debian/Ubuntu machine: the system libraries Qt needs, the fonts,
# a virtual environment in .venv and the app installed into it.
#   sh scripts/bootstrap.sh         app only
#   sh scripts/bootstrap.sh --dev   app, test tools, makensis and Wine (installer checks)
set -e
cd "$(dirname "$0")/.."

PACKAGES="python3-venv python3-pip libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 \
libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core poppler-utils"
# Developers and CI also build and try the Windows installer: makensis (nsis) compiles
# installer/khoi-desktop.nsi, Wine runs it in tests/installer (installed without its recommended extras).
DEV_TOOLS=""
if [ "${1:-}" = "--dev" ]; then
    DEV_TOOLS="nsis wine wine64"
fi

if command -v apt-get >/dev/null 2>&1; then
    missing=""
    for p in $PACKAGES; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    missing_tools=""
    for p in $DEV_TOOLS; do
        dpkg -s "$p" >/dev/null 2>&1 || missing_tools="$missing_tools $p"
    done
    if [ -n "$missing$missing_tools" ]; then
        SUDO=""
        [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        echo "Cài các gói hệ thống còn thiếu:$missing$missing_tools"
        $SUDO apt-get update -qq
        if [ -n "$missing" ]; then
            DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
        fi
        if [ -n "$missing_tools" ]; then
            DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing_tools >/dev/null
        fi
    fi
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$1" = "--dev" ]; then
    .venv/bin/python -m pip install -q -e ".[dev]"
else
    .venv/bin/python -m pip install -q -e .
fi
