#!/usr/bin/env bash
# `npm test`: everything, as CI runs it (after `npm ci`, also on re-runs).
#   setup   scripts/setup.sh (apt packages + VS Code harness: Node 24 + code-server)
#   build   lint, compile (tsc, type-checks everything), package (esbuild + vsce → dist/veeam-explorer.vsix)
#   tier 1  API tests against the simulator: node --test out/test/api/ (machine's Node)
#   tier 2  integration tests (mocha) inside code-server's real extension host (smoke driver on), then
#           again in the oldest code-server that meets engines.vscode (4.96.4 = VS Code 1.96.4), after
#           installing the .vsix there with code-server's CLI
#   tier 3  UI end-to-end test of the installed .vsix (playwright-core + chromium, no smoke driver),
#           ending with a scan of everything written for secrets (test/e2e/secret-scan.mjs)
# A failing step does not stop the others. Prints per-tier counts and a final line
# `N passed, N failed` (sums); exits 1 if anything failed or a tier did not run.
# Logs: test-results/*.log.   Env: SKIP_SETUP=1, TIERS="1 2 3" (subset, for local loops),
#   SKIP_BUILD=1 (reuse out/ and dist/veeam-explorer.vsix as built; scripts/soak-e2e.sh builds once).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RES=$ROOT/test-results
H=$ROOT/.vscode-harness
mkdir -p "$RES"
TIERS=${TIERS:-1 2 3}
T_START=$SECONDS

declare -A PASS FAIL NOTE SECS
ORDER=()
problems=()
record() { # name passed failed note seconds
  ORDER+=("$1"); PASS[$1]=$2; FAIL[$1]=$3; NOTE[$1]=$4; SECS[$1]=$5
}
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
# Parse "<prefix>N passed, N failed" from a log (last occurrence).
counts() { grep -E "^$1[0-9]+ passed, [0-9]+ failed" "$2" 2>/dev/null | tail -1 | sed -E "s/^$1([0-9]+) passed, ([0-9]+) failed.*/\1 \2/"; }
# Each run gets its own code-server state dir (.vscode-harness/runs/<pid>), so a
# concurrent `npm test` or `npm run demo` in the same checkout is left alone; dirs of
# runs whose process is gone are leftovers: their code-server is stopped, the dir removed.
RUNS=$H/runs; RUN=$RUNS/$$
export RUN_DIR=$RUN
stop_all() { bash "$ROOT/scripts/vscode/stop-code-server.sh" "$RUN"; }
for d in "$RUNS"/*; do
  [[ -d $d ]] || continue
  owner=$(basename "$d")
  if [[ $owner != "$$" ]] && ! kill -0 "$owner" 2>/dev/null; then
    bash "$ROOT/scripts/vscode/stop-code-server.sh" "$d"; rm -rf "$d"
  fi
done
trap 'stop_all; rm -rf "$RUN"' EXIT
trap 'echo "interrupted"; exit 130' INT TERM
banner() { echo; echo "==== $* ($(date +%H:%M:%S))"; }

# ------------------------------------------------------------------ setup
harness_ok=0; setup_fail=0
if [[ ${SKIP_SETUP:-} == 1 ]]; then
  ls "$H"/.installed-* >/dev/null 2>&1 && harness_ok=1
else
  banner "setup"
  t=$SECONDS
  if bash "$ROOT/scripts/setup.sh" "$H" 2>&1 | tee "$RES/setup.log"; [[ ${PIPESTATUS[0]} == 0 ]]; then
    harness_ok=1
  else
    problems+=("setup failed (test-results/setup.log)"); setup_fail=1
  fi
  SECS[setup]=$((SECONDS - t))
fi

# ------------------------------------------------------------------ build
build_step() { # name command...
  local name=$1; shift
  local t=$SECONDS
  banner "$name"
  if "$@" > "$RES/$name.log" 2>&1; then
    echo "$name: ok ($((SECONDS - t))s)"; return 0
  fi
  cat "$RES/$name.log"
  echo "$name: FAILED ($((SECONDS - t))s)"
  problems+=("$name failed (test-results/$name.log)")
  return 1
}
build_fail=0
linted=0; compiled=0; packaged=0
if [[ ${SKIP_BUILD:-} == 1 ]]; then
  banner "build skipped (SKIP_BUILD=1): using out/ and dist/ as they are"
  linted=1; compiled=1
  [[ -f dist/veeam-explorer.vsix ]] && packaged=1 || problems+=("SKIP_BUILD=1 but dist/veeam-explorer.vsix is missing")
else
  build_step lint npm run -s lint && linted=1 || build_fail=$((build_fail + 1))
  build_step compile npm run -s compile && compiled=1 || build_fail=$((build_fail + 1))
fi
# tsc emits even when it reports type errors: those count as a build failure above,
# but the tiers still run on what was emitted.
emitted=0; [[ -f out/test/integration/suite/index.js ]] && emitted=1
if [[ ${SKIP_BUILD:-} != 1 ]]; then
  rm -f dist/veeam-explorer.vsix
  build_step package npm run -s package && [[ -f dist/veeam-explorer.vsix ]] && packaged=1 || build_fail=$((build_fail + 1))
fi

# ------------------------------------------------------------------ tier 1
if [[ " $TIERS " == *" 1 "* ]]; then
  banner "tier 1: API tests (node --test, $(node -v))"
  t=$SECONDS
  if [[ -d out/test/api ]]; then
    rm -f "$RES/tier1-api.tap"
    timeout --kill-after=10 1200 node --test --test-concurrency=1 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$RES/tier1-api.tap" \
      out/test/api/ > "$RES/tier1-api.log" 2>&1
    rc=$?
    tail -n 40 "$RES/tier1-api.log"
    p=$(grep -E '^# pass [0-9]+' "$RES/tier1-api.tap" | tail -1 | awk '{print $3}')
    f=$(grep -E '^# fail [0-9]+' "$RES/tier1-api.tap" | tail -1 | awk '{print $3}')
    if [[ -z $p || -z $f ]]; then
      record "tier 1 (API)" 0 1 "no summary (exit $rc)" $((SECONDS - t))
    else
      ((rc != 0 && f == 0)) && f=1
      record "tier 1 (API)" "$p" "$f" "exit $rc" $((SECONDS - t))
    fi
  else
    record "tier 1 (API)" 0 1 "did not run: no out/test/api$( ((compiled)) || echo ' (compile failed)')" 0
  fi
fi

# ------------------------------------------------------------------ tier 2
# The suite runs twice: in today's code-server (VS Code 1.139), then in the oldest one npm has that meets
# engines.vscode (4.96.4 = VS Code 1.96.4, .vscode-harness/oldest), where the packaged .vsix is also
# installed with code-server's own CLI first (that install checks engines.vscode).
# code-server 4.96 ignores the runner's extensionEnvironment: there the extension host gets the suite's
# variables from code-server's own environment (the runner prints it as 1 pending: a CA given so comes too late).
tier2() { # harness-dir name log-prefix [env-through-server]
  local hd=$1 name=$2 lp=$3 t=$SECONDS p= f= port
  local env=()
  [[ -n ${4:-} ]] && env=(VEEAM_TEST_RESULT_FILE="$RES/$lp-integration.json" NODE_EXTRA_CA_CERTS="$ROOT/test/fixtures/test-ca.pem"
    ${VEEAM_TEST_GREP:+VEEAM_TEST_GREP="$VEEAM_TEST_GREP"})
  stop_all
  rm -rf "$RUN"; mkdir -p "$RUN/ws"
  port=$(free_port)
  if env "${env[@]}" SMOKE_DRIVER=1 bash scripts/vscode/start-code-server.sh "$hd" "$port" "$RUN/ws" > "$RES/$lp-start.log" 2>&1; then
    VEEAM_TEST_RESULT_FILE="$RES/$lp-integration.json" timeout --kill-after=10 900 \
      node test/integration/run-in-code-server.mjs "http://127.0.0.1:$port" "$RUN/ws" 2>&1 | tee "$RES/$lp-integration.log"
    read -r p f < <(counts 'integration: ' "$RES/$lp-integration.log")
    [[ -n ${p:-} ]] && record "$name" "$p" "$f" "$(grep -E '^integration pending' "$RES/$lp-integration.log" | tail -1)" $((SECONDS - t)) \
      || record "$name" 0 1 "runner printed no summary" $((SECONDS - t))
  else
    cat "$RES/$lp-start.log"
    record "$name" 0 1 "did not run: code-server did not start" $((SECONDS - t))
  fi
  cp -f "$RUN/cs.log" "$RES/$lp-code-server.log" 2>/dev/null
  stop_all
}
# The .vsix into the oldest code-server, with its CLI, in a run dir of its own; then it must be listed.
vsix_oldest() {
  local t=$SECONDS out
  rm -rf "$RUN"; mkdir -p "$RUN"
  if out=$(bash scripts/vscode/install-extension.sh "$H/oldest" dist/veeam-explorer.vsix 2>&1) \
    && listed=$(bash scripts/vscode/install-extension.sh "$H/oldest" --list 2>&1) \
    && grep -qx "veeam-explorer.veeam-explorer@$(node -p 'require("./package.json").version')" <<<"$listed"; then
    echo "$out"; echo "listed by code-server 4.96.4: $listed"
    record ".vsix install (VS Code 1.96.4)" 1 0 "" $((SECONDS - t))
  else
    echo "$out"; echo "${listed:-}"
    record ".vsix install (VS Code 1.96.4)" 0 1 "code-server 4.96.4 did not install it (test-results/oldest-vsix.log)" $((SECONDS - t))
  fi
  rm -rf "$RUN"
}
if [[ " $TIERS " == *" 2 "* ]]; then
  banner "tier 2: integration tests in code-server's extension host"
  if ((harness_ok && emitted)); then
    tier2 "$H" "tier 2 (integration)" tier2
    banner "tier 2 in the oldest VS Code: code-server 4.96.4 (VS Code 1.96.4)"
    if [[ -x $H/oldest/cs/node_modules/.bin/code-server ]]; then
      if ((packaged)); then vsix_oldest > "$RES/oldest-vsix.log" 2>&1; cat "$RES/oldest-vsix.log"; fi
      tier2 "$H/oldest" "tier 2 (VS Code 1.96.4)" oldest env-through-server
    else
      record "tier 2 (VS Code 1.96.4)" 0 1 "did not run: no code-server 4.96.4 in .vscode-harness/oldest" 0
    fi
  else
    record "tier 2 (integration)" 0 1 "did not run: $( ((harness_ok)) || echo 'no harness; ')$( ((emitted)) || echo 'nothing compiled')" 0
  fi
fi

# ------------------------------------------------------------------ tier 3
if [[ " $TIERS " == *" 3 "* ]]; then
  banner "tier 3: UI end-to-end test of the installed .vsix"
  t=$SECONDS
  if ((harness_ok && packaged && emitted)); then
    stop_all
    rm -rf "$RUN"; mkdir -p "$RUN/ws"   # fresh user data and extensions
    port=$(free_port)
    if bash scripts/vscode/install-extension.sh "$H" dist/veeam-explorer.vsix > "$RES/tier3-install.log" 2>&1 \
      && SMOKE_DRIVER=0 bash scripts/vscode/start-code-server.sh "$H" "$port" "$RUN/ws" > "$RES/tier3-start.log" 2>&1; then
      # The last e2e step scans what code-server and the extension wrote (these dirs) for secrets.
      E2E_USER_DATA_DIR="$RUN/data" E2E_EXTENSIONS_DIR="$RUN/exts" E2E_RUN_DIR="$RUN" timeout --kill-after=10 900 \
        node test/e2e/ui.mjs "http://127.0.0.1:$port" "$RUN/ws" 2>&1 | tee "$RES/tier3-e2e.log"
      p=; f=; read -r p f < <(counts 'e2e: ' "$RES/tier3-e2e.log")
      [[ -n ${p:-} ]] && record "tier 3 (e2e UI)" "$p" "$f" "$(grep -E '^e2e skipped' "$RES/tier3-e2e.log" | tail -1)" $((SECONDS - t)) \
        || record "tier 3 (e2e UI)" 0 1 "ui.mjs printed no summary" $((SECONDS - t))
    else
      cat "$RES/tier3-install.log" "$RES/tier3-start.log" 2>/dev/null
      record "tier 3 (e2e UI)" 0 1 "did not run: .vsix install or code-server start failed" $((SECONDS - t))
    fi
    cp -f "$RUN/cs.log" "$RES/tier3-code-server.log" 2>/dev/null
    stop_all
  else
    record "tier 3 (e2e UI)" 0 1 "did not run: $( ((harness_ok)) || echo 'no harness; ')$( ((packaged)) || echo 'package failed; ')$( ((emitted)) || echo 'nothing compiled')" 0
  fi
fi

# ------------------------------------------------------------------ summary
banner "summary"
tp=0; tf=$((build_fail + setup_fail))
((setup_fail)) && printf '%-22s %s\n' "setup:" "FAILED (counted as 1 failed)"
printf '%-22s lint %s, compile %s, package %s%s\n' "build:" \
  "$( ((linted)) && echo ok || echo FAILED)" \
  "$( ((compiled)) && echo ok || echo FAILED)" "$( ((packaged)) && echo ok || echo FAILED)" \
  "$( ((build_fail)) && echo "  ($build_fail failed, counted)")"
for n in "${ORDER[@]}"; do
  printf '%-22s %4s passed, %s failed  %5ss  %s\n' "$n:" "${PASS[$n]}" "${FAIL[$n]}" "${SECS[$n]}" "${NOTE[$n]}"
  tp=$((tp + PASS[$n])); tf=$((tf + FAIL[$n]))
done
for pr in "${problems[@]}"; do echo "problem: $pr"; done
echo "total time: $((SECONDS - T_START))s (setup ${SECS[setup]:-0}s); logs in test-results/"
echo "$tp passed, $tf failed"
((tf == 0 && ${#problems[@]} == 0)) || exit 1
exit 0
