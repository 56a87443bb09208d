#!/usr/bin/env bash
# System packages the test suite needs beyond Python: Debian's chromium (the browser
# tests drive it with playwright) and a font for the pictures. Installed with apt when
# missing and possible; otherwise this says what to install and fails.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || [ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
if command -v fc-list >/dev/null 2>&1 && ! fc-list 2>/dev/null | grep -qi dejavu; then
    missing+=(fonts-dejavu-core)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing ${missing[*]} with apt (needed by the browser tests)..."
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
    exit 0
fi
echo "The browser tests need Chromium at /usr/bin/chromium (Debian/Ubuntu: apt-get install" \
     "chromium). Install it, then run make test again." >&2
exit 1
