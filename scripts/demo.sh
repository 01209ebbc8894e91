#!/usr/bin/env bash
# `npm run demo` (after `npm ci`): build, start the Veeam simulator (VB365 on 4443,
# Enterprise Manager on 9398, Backup & Replication on 9419, or free ports), then open the
# extension with the three simulator servers configured:
#   - a desktop VS Code (`code` on PATH): --extensionDevelopmentPath with a temp profile;
#   - otherwise VS Code in the browser: the packaged .vsix in a hardened code-server
#     (.vscode-harness/demo) on http://127.0.0.1:8080 (or a free port).
# Ctrl-C stops everything.   Env: DEMO_PORT (default 8080), DEMO_NO_CODE=1 (force code-server).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
H=$ROOT/.vscode-harness
DEMO=$H/demo
TMP=$(mktemp -d -t veeam-demo.XXXXXX)
SIM_PID=
CODE_PID=

cleanup() {
  trap - EXIT INT TERM
  [[ -n $CODE_PID ]] && kill "$CODE_PID" 2>/dev/null || true
  [[ -d $DEMO ]] && bash "$ROOT/scripts/vscode/stop-code-server.sh" "$DEMO"
  [[ -n $SIM_PID ]] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true
  rm -rf "$TMP"
  echo "demo stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"127.0.0.1",()=>s.close(()=>process.exit(0)))' "$1"; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

echo "== building (compile + package)"
npm run -s compile
npm run -s package >/dev/null
[[ -f dist/veeam-explorer.vsix ]] || { echo "dist/veeam-explorer.vsix was not built" >&2; exit 1; }

echo "== starting the simulator"
# Own session (setsid): Ctrl-C reaches only this script, whose trap stops everything in order.
setsid node out/test/simulator/cli.js --vb365-port 4443 --em-port 9398 --vbr-port 9419 --state-file "$TMP/sim.json" > "$TMP/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 150); do
  [[ -s $TMP/sim.json ]] && break
  kill -0 "$SIM_PID" 2>/dev/null || { cat "$TMP/sim.log" >&2; echo "simulator exited" >&2; exit 1; }
  sleep 0.2
done
[[ -s $TMP/sim.json ]] || { cat "$TMP/sim.log" >&2; echo "simulator did not start" >&2; exit 1; }
cat "$TMP/sim.log"

# veeam.servers for both simulator listeners (certificate pre-trusted by fingerprint).
SERVERS=$(node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const common = { username: s.username, trustedCertificate: s.fingerprint256 };
  console.log(JSON.stringify({ "veeam.servers": [
    { name: "VB365 (simulator)", kind: "vb365", url: s.vb365Url, ...common },
    { name: "Enterprise Manager (simulator)", kind: "em", url: s.emUrl, ...common },
    { name: "Backup & Replication (simulator)", kind: "vbr", url: s.vbrUrl, ...common },
  ] }));' "$TMP/sim.json")
USERNAME=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).username' "$TMP/sim.json")
PASSWORD=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).password' "$TMP/sim.json")

if [[ ${DEMO_NO_CODE:-} != 1 ]] && command -v code >/dev/null 2>&1; then
  echo "== opening VS Code (desktop) with the extension under development"
  mkdir -p "$TMP/user-data/User" "$TMP/ws"
  node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({
      "telemetry.telemetryLevel": "off", "workbench.startupEditor": "none", ...JSON.parse(process.argv[2]) }, null, 2))' \
    "$TMP/user-data/User/settings.json" "$SERVERS"
  code --extensionDevelopmentPath="$ROOT" --user-data-dir "$TMP/user-data" --new-window --wait "$TMP/ws" &
  CODE_PID=$!
  echo
  echo "Open the Veeam view in the activity bar. Simulator user: $USERNAME  password: $PASSWORD (type it when the tree asks)."
  echo "Close the VS Code window or press Ctrl-C to stop."
  wait "$CODE_PID" || true
  CODE_PID=
  exit 0
fi

echo "== no 'code' on PATH: VS Code in the browser (code-server)"
bash scripts/setup.sh "$H"
bash scripts/vscode/stop-code-server.sh "$DEMO"
rm -rf "$DEMO"; mkdir -p "$DEMO/ws"
RUN_DIR=$DEMO bash scripts/vscode/install-extension.sh "$H" dist/veeam-explorer.vsix > "$TMP/install.log" 2>&1 \
  || { cat "$TMP/install.log" >&2; exit 1; }
PORT=${DEMO_PORT:-8080}
port_free "$PORT" || PORT=$(free_port)
RUN_DIR=$DEMO SMOKE_DRIVER=0 EXTRA_SETTINGS=$SERVERS bash scripts/vscode/start-code-server.sh "$H" "$PORT" "$DEMO/ws"
cat <<EOF

  Veeam Explorer demo is running.
  Open:      http://127.0.0.1:$PORT/?folder=$DEMO/ws
             (from another machine: ssh -L $PORT:127.0.0.1:$PORT <this host>)
  Then click the Veeam icon in the activity bar. Three simulator servers are configured.
  User name: $USERNAME
  Password:  $PASSWORD   (type it when the tree asks)
  Press Ctrl-C to stop the simulator and code-server.

EOF
# Stay in the foreground until Ctrl-C or until the simulator / code-server dies.
CS_PGID=$(cat "$DEMO/cs.pgid")
while kill -0 "$SIM_PID" 2>/dev/null && kill -0 "$CS_PGID" 2>/dev/null; do sleep 1; done
echo "the simulator or code-server exited; see $DEMO/cs.log" >&2
exit 1
