#!/usr/bin/env bash
# Install a .vsix into the harness's code-server (same hardened environment as
# start-code-server.sh: no gallery, no outside proxy-aware traffic).
# Usage: install-extension.sh <harness-dir> <file.vsix>   Env: RUN_DIR (default <harness-dir>/run)
#        install-extension.sh <harness-dir> --list         lists what is installed there (id@version)
set -euo pipefail
H=$(cd "$1" && pwd)
NODE_BIN=$(ls -d "$H"/node[0-9]*/bin | tail -1)  # the harness's one Node (node24, or node20 for the oldest code-server)
RUN=${RUN_DIR:-$H/run}; mkdir -p "$RUN/data/User" "$RUN/exts" "$RUN/xdg"
export PATH="$NODE_BIN:$PATH" XDG_CONFIG_HOME="$RUN/xdg" XDG_DATA_HOME="$RUN/xdg"
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
export EXTENSIONS_GALLERY='{"serviceUrl":"http://127.0.0.1:9/gallery","itemUrl":"http://127.0.0.1:9/item","resourceUrlTemplate":"http://127.0.0.1:9/r"}'
CS=("$H/cs/node_modules/.bin/code-server" --user-data-dir "$RUN/data" --extensions-dir "$RUN/exts" --disable-telemetry)
if [[ $2 == --list ]]; then exec "${CS[@]}" --list-extensions --show-versions; fi
VSIX=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
"${CS[@]}" --install-extension "$VSIX" --force
