#!/usr/bin/env bash
# Install a .vsix into the harness's code-server (same hardened environment as
# start-code-server.sh: no gallery, no outside proxy-aware traffic).
# Usage: install-extension.sh <harness-dir> <file.vsix>   Env: RUN_DIR (default <harness-dir>/run)
set -euo pipefail
H=$(cd "$1" && pwd); VSIX=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
RUN=${RUN_DIR:-$H/run}; mkdir -p "$RUN/data/User" "$RUN/exts" "$RUN/xdg"
export PATH="$H/node24/bin:$PATH" XDG_CONFIG_HOME="$RUN/xdg" XDG_DATA_HOME="$RUN/xdg"
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
export EXTENSIONS_GALLERY='{"serviceUrl":"http://127.0.0.1:9/gallery","itemUrl":"http://127.0.0.1:9/item","resourceUrlTemplate":"http://127.0.0.1:9/r"}'
"$H/cs/node_modules/.bin/code-server" --user-data-dir "$RUN/data" --extensions-dir "$RUN/exts" \
  --disable-telemetry --install-extension "$VSIX" --force
