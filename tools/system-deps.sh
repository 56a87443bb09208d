#!/usr/bin/env bash
# System packages the test suite needs beyond Python: Debian's chromium (the browser
# tests drive it with playwright), fonts for the pictures (Latin, and Chinese:
# fonts-noto-cjk), tshark (tests/test_pcap.py checks the exported pcap files with
# Wireshark's dissectors; its package asks a debconf question, answered by DEBIAN_FRONTEND=noninteractive below), and Node.js (the browser
# edition's Graphviz, viz.js, and its Python, Pyodide, both from the npm registry, run in
# Node by tests/test_viz_backend.py and tests/test_replay.py), and poppler-utils (pdftotext:
# tests/test_handouts.py reads the printed handouts). Installed with apt when
# missing and possible; otherwise this says what to install and fails.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || [ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
# Chinese glyphs for the Chinese edition (tests/test_browser_zh.py): without a CJK font
# chromium draws every Chinese character as a box. No fc-list yet (a clean machine, before
# chromium brings fontconfig): nothing can be checked, so every font is installed.
if ! command -v fc-list >/dev/null 2>&1; then
    missing+=(fontconfig fonts-dejavu-core fonts-noto-cjk)
else
    fc-list 2>/dev/null | grep -i dejavu >/dev/null || missing+=(fonts-dejavu-core)
    fc-list :lang=zh 2>/dev/null | grep -i "noto sans cjk" >/dev/null || missing+=(fonts-noto-cjk)
fi
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
# Node.js runs viz.js (the browser edition's Graphviz, tests/test_viz_backend.py) and
# Pyodide (tests/test_replay.py)
command -v node >/dev/null 2>&1 || command -v nodejs >/dev/null 2>&1 || missing+=(nodejs)
# npm installs JupyterHub's proxy, configurable-http-proxy, for tests/test_hub.py
# (tools/hub-proxy.sh); Debian ships it apart from nodejs
command -v npm >/dev/null 2>&1 || missing+=(npm)
# pdftotext: tests/test_handouts.py reads the text of the printed handouts (make handouts)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# git: tests/test_hub.py's students get the workbook by nbgitpuller, which runs git
command -v git >/dev/null 2>&1 || missing+=(git)
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
     "tests/test_pcap.py tshark, tests/test_replay.py and test_viz_backend.py Node.js," \
     "tests/test_hub.py npm and git, tests/test_handouts.py pdftotext from poppler-utils (Debian/Ubuntu: apt-get install ${missing[*]})." \
     "Install them, then run make test again." >&2
exit 1
