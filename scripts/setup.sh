#!/usr/bin/env bash
# Idempotent install of everything the test tiers need on a fresh Debian 12 machine:
#   - Debian packages: libkrb5-dev (VS Code's native kerberos module), chromium
#     (drives the web workbench), libxml2-utils (xmllint), openssl;
#   - the VS Code harness: Node 24 + code-server from the npm registry, in
#     .vscode-harness/ (scripts/vscode/install-code-server.sh);
#   - the oldest VS Code the project supports that npm has: code-server 4.96.4
#     (VS Code 1.96.4; engines.vscode is ^1.95.0 and npm has no 4.95) on Node 20,
#     in .vscode-harness/oldest/ (tier 2 runs the integration suite there too).
# Quiet on success (one line), loud on failure (the captured log is printed).
# Usage: scripts/setup.sh [harness-dir]      Env: SETUP_VERBOSE=1 to stream output.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
H=${1:-$ROOT/.vscode-harness}
LOG=$(mktemp -t veeam-setup.XXXXXX.log)
t0=$SECONDS

fail() {
  echo "setup: FAILED ($1); log follows" >&2
  cat "$LOG" >&2
  exit 1
}
run() { # run a step quietly, keeping its output for the failure report
  if [[ ${SETUP_VERBOSE:-} == 1 ]]; then "$@" 2>&1 | tee -a "$LOG"; return "${PIPESTATUS[0]}"; fi
  "$@" >>"$LOG" 2>&1
}

# 1. apt packages (apt-get update only when something is missing).
need=()
for p in libkrb5-dev chromium libxml2-utils openssl; do
  dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=(); [[ $(id -u) == 0 ]] || SUDO=(sudo -n)
  # Another apt/dpkg may hold the lock (e.g. unattended upgrades): wait for it.
  export DEBIAN_FRONTEND=noninteractive
  run "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq || fail "apt-get update"
  run "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" \
    || fail "apt-get install ${need[*]}"
fi
[[ -x /usr/bin/chromium ]] || fail "/usr/bin/chromium missing after install"

# 2. The VS Code harness (skips itself when its stamp file exists).
run bash "$ROOT/scripts/vscode/install-code-server.sh" "$H" || fail "code-server harness install"
run env NODE_VERSION=20.20.2 CODE_SERVER_VERSION=4.96.4 bash "$ROOT/scripts/vscode/install-code-server.sh" "$H/oldest" \
  || fail "oldest code-server (4.96.4) install"

echo "setup: ok (apt: ${need[*]:-nothing to install}; harness in ${H#"$ROOT"/}, the oldest in ${H#"$ROOT"/}/oldest; $((SECONDS - t0))s)"
rm -f "$LOG"
