#!/usr/bin/env bash
# axe-core (npm), the accessibility checker that tests/test_a11y_axe.py injects into
# JupyterLab's page: installed once into .cache/axe-core/ (pinned, from the npm registry),
# where the test looks for node_modules/axe-core/axe.min.js.  `make test` runs this;
# Node.js comes from tools/system-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# the test reads this version back from package.json: keep the two in step by editing here
VERSION=4.10.3
DIR=.cache/axe-core
PKG="$DIR/node_modules/axe-core"

installed() {
    [ -f "$PKG/axe.min.js" ] && [ -f "$PKG/package.json" ] &&
        grep -q "\"version\": \"$VERSION\"" "$PKG/package.json"
}
installed && exit 0
command -v npm >/dev/null 2>&1 || {
    echo "tools/axe.sh needs npm (Node.js): run bash tools/system-deps.sh first" >&2
    exit 1
}
mkdir -p "$DIR"
npm install --prefix "$DIR" --no-save --no-audit --no-fund --loglevel=error \
    "axe-core@$VERSION"
installed || { echo "tools/axe.sh: axe-core $VERSION did not install into $PKG" >&2; exit 1; }
echo "axe-core $VERSION in $PKG"
