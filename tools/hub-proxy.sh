#!/usr/bin/env bash
# JupyterHub's proxy, configurable-http-proxy (npm), for tests/test_hub.py's class round:
# installed once into .cache/hub-proxy/ (pinned, from the npm registry), where the test
# looks for it. `make test` runs this; Node.js comes from tools/system-deps.sh.
# A campus hub installs it the same way (JupyterHub's docs: npm install -g ...).
set -euo pipefail
cd "$(dirname "$0")/.."

# 4.6: runs on Node.js >= 10, so on Debian 12's nodejs 18 too (5.x needs Node.js >= 20);
# JupyterHub talks to either through the same REST API
VERSION=4.6.3
DIR=.cache/hub-proxy
BIN="$DIR/node_modules/.bin/configurable-http-proxy"

if [ -x "$BIN" ] && [ "$("$BIN" --version 2>/dev/null)" = "$VERSION" ]; then
    exit 0
fi
command -v npm >/dev/null 2>&1 || {
    echo "tools/hub-proxy.sh needs npm (Node.js): run bash tools/system-deps.sh first" >&2
    exit 1
}
mkdir -p "$DIR"
npm install --prefix "$DIR" --no-save --no-audit --no-fund --loglevel=error \
    "configurable-http-proxy@$VERSION"
"$BIN" --version
