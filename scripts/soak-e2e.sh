#!/usr/bin/env bash
# Runs one test tier N times in a row and counts the runs: `scripts/soak-e2e.sh N` for tier 3
# (UI end-to-end), `scripts/soak-e2e.sh N 2` for tier 2 (extension host). Builds once, then every
# run is a fresh code-server with fresh user data, exactly as `npm test` runs the tier.
# Prints one line per run and, last, `N passed, N failed` (runs). Logs: test-results/soak/.
# To soak under load, run something CPU-heavy beside it, e.g.
#   (while :; do npm run -s test:api >/dev/null 2>&1; done) & scripts/soak-e2e.sh 10; kill %1
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
N=${1:-10}
TIER=${2:-3}
OUT=$ROOT/test-results/soak
mkdir -p "$OUT"
echo "soak: building once"
if ! { npm run -s compile && npm run -s package; } > "$OUT/build.log" 2>&1; then
  cat "$OUT/build.log"; echo "soak: build failed"; echo "0 passed, $N failed"; exit 1
fi
ok=0; bad=0
for i in $(seq 1 "$N"); do
  t=$SECONDS
  if SKIP_SETUP=1 SKIP_BUILD=1 TIERS=$TIER bash scripts/test-all.sh > "$OUT/run-$i.log" 2>&1; then
    ok=$((ok + 1)); verdict=passed
  else
    bad=$((bad + 1)); verdict=FAILED
    cp -r test-results/*.png "$OUT/" 2>/dev/null || true
  fi
  echo "soak: tier $TIER run $i/$N $verdict in $((SECONDS - t))s — $(grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUT/run-$i.log" | tail -1)"
  [[ $verdict == FAILED ]] && grep -E 'FAILED|not run' "$OUT/run-$i.log" | head -5 | sed 's/^/    /'
done
echo "soak: tier $TIER, $N runs"
echo "$ok passed, $bad failed"
((bad == 0))
