#!/usr/bin/env bash
# System packages the test suite needs beyond Python: Debian's chromium (the browser
# tests drive it with playwright), fonts for the pictures (Latin and Chinese), Node.js (viz.js), and tshark (tests/test_pcap.py
# checks the exported pcap files with Wireshark's dissectors; its package asks a debconf
# question, answered by DEBIAN_FRONTEND=noninteractive below), and Node.js with npm
# (tests/test_replay.py runs lessons 08 and 10 under Pyodide, the browser edition's Python,
# fetched from the npm registry with `npm pack`). Installed with apt when
# missing and possible; otherwise this says what to install and fails.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || [ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
if command -v fc-list >/dev/null 2>&1 && ! fc-list 2>/dev/null | grep -i dejavu >/dev/null; then
    missing+=(fonts-dejavu-core)
fi
# Chinese glyphs for the Chinese edition's screenshots (tests/test_browser_zh.py): without a
# CJK font chromium draws every Chinese character as a box
if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh 2>/dev/null | grep -i "noto sans cjk" >/dev/null; then
    missing+=(fonts-noto-cjk)
fi
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
# Node.js runs viz.js (the browser edition's Graphviz, tests/test_viz_backend.py) and
# Pyodide (tests/test_replay.py)
command -v node >/dev/null 2>&1 || command -v nodejs >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing ${missing[*]} with apt (needed by the tests)..."
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update
    # env: sudo would drop the variable, and wireshark-common would then ask its question
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        "${missing[@]}"
    exit 0
fi
echo "The tests need ${missing[*]}: the browser tests Chromium at /usr/bin/chromium," \
     "tests/test_pcap.py tshark, tests/test_replay.py node and npm (Debian/Ubuntu: apt-get install ${missing[*]})." \
     "Install them, then run make test again." >&2
exit 1
