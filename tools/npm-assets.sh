#!/usr/bin/env bash
# The JavaScript the project uses outside JupyterLab, each pinned, from the npm registry,
# installed once into .cache/<set>/node_modules/ (`make test` and `make slides` run this;
# Node.js comes from tools/system-deps.sh):
#   axe-core   the accessibility checker tests/test_a11y_axe.py injects into JupyterLab;
#   slides     reveal.js (the version nbconvert's reveal template is written for), jQuery
#              and RequireJS, which tools/decks.py copies beside the lessons' slides so a
#              lecture room needs no network.
# Usage: bash tools/npm-assets.sh [set ...]   (no argument: every set)
set -euo pipefail
cd "$(dirname "$0")/.."

# the tests read these versions back from each package.json: edit them here only
declare -A SETS=(
    [axe-core]="axe-core@4.10.3"
    [slides]="reveal.js@4.0.2 jquery@3.7.1 requirejs@2.3.7"
)

installed() {        # installed DIR PKG@VERSION
    local pkg="${2%@*}" version="${2##*@}"
    grep -qs "\"version\": \"$version\"" "$1/node_modules/$pkg/package.json"
}

install_set() {      # install_set NAME
    local dir=".cache/$1" missing=()
    for spec in ${SETS[$1]}; do installed "$dir" "$spec" || missing+=("$spec"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v npm >/dev/null 2>&1 || {
        echo "tools/npm-assets.sh needs npm (Node.js): run bash tools/system-deps.sh first" >&2
        exit 1
    }
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error ${SETS[$1]}
    for spec in ${SETS[$1]}; do
        installed "$dir" "$spec" || { echo "tools/npm-assets.sh: $spec did not install into $dir" >&2; exit 1; }
    done
    echo "${SETS[$1]} in $dir/node_modules"
}

for name in "${@:-${!SETS[@]}}"; do
    [ -n "${SETS[$name]+x}" ] || { echo "tools/npm-assets.sh: no set named $name (${!SETS[*]})" >&2; exit 1; }
    install_set "$name"
done
