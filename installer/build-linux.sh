#!/bin/sh
# Linux check of the Windows packaging: freeze the app with the same spec, run the frozen app's
# --selftest offscreen, check what the bundle holds, then compile the installer script with the Linux
# bundle as payload (makensis from Debian's nsis). The Windows installer itself is built on Windows
# (installer/build-windows.ps1): PyInstaller cannot cross-compile.
#
#   sh installer/build-linux.sh            uses .venv (made by scripts/bootstrap.sh if missing)
#   PYTHON=/path/to/python sh installer/build-linux.sh
#   COMPRESSOR=lzma sh installer/build-linux.sh     (default none: a compile check in seconds)
#
# Leaves dist/khoi-desktop/ and dist/khoi-desktop-setup-<version>-linux-payload.exe (not for Windows use:
# its payload is the Linux bundle). Times each stage.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ -z "${PYTHON:-}" ]; then
    [ -x .venv/bin/python ] || sh scripts/bootstrap.sh
    PYTHON=.venv/bin/python
fi
command -v makensis >/dev/null 2>&1 || {
    echo "makensis không có: cài gói nsis (apt-get install nsis)" >&2
    exit 1
}

stage_start=$(date +%s)
stage() {
    now=$(date +%s)
    echo "== $1 ($((now - stage_start)) s)"
    stage_start=$now
}

"$PYTHON" -m pip install -q -e ".[build]"
VERSION=$("$PYTHON" -c "import sys; sys.path.insert(0, 'installer'); import bundle_config; print(bundle_config.read_version())")
stage "pip install .[build], version $VERSION"

rm -rf build/pyinstaller dist/khoi-desktop
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath dist installer/khoi-desktop.spec
stage "pyinstaller"

"$PYTHON" installer/check_bundle.py dist/khoi-desktop
stage "bundle check"

# The self-test must not touch the real data folder: its log goes to a throw-away home.
SELFTEST_HOME=$(mktemp -d)
trap 'rm -rf "$SELFTEST_HOME"' EXIT
for program in khoi-desktop khoi-desktop-cli; do
    if ! KHOI_DESKTOP_HOME="$SELFTEST_HOME" QT_QPA_PLATFORM=offscreen "dist/khoi-desktop/$program" --selftest; then
        echo "--selftest của $program (bản đóng gói) không đạt; nhật ký:" >&2
        cat "$SELFTEST_HOME/logs/khoi-desktop.log" >&2 || true
        exit 1
    fi
done
stage "frozen --selftest"

OUTFILE="$ROOT/dist/khoi-desktop-setup-$VERSION-linux-payload.exe"
makensis -WX -V2 -DVERSION="$VERSION" -DPAYLOAD="$ROOT/dist/khoi-desktop" -DOUTFILE="$OUTFILE" \
    -DCOMPRESSOR="${COMPRESSOR:-none}" installer/khoi-desktop.nsi
ls -l "$OUTFILE"
stage "makensis"
echo "Linux build check passed: bundle $(du -sh dist/khoi-desktop | cut -f1), installer $(du -h "$OUTFILE" | cut -f1)."
