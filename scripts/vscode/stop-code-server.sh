#!/usr/bin/env bash
# Stop code-server instances this harness started (by their recorded process group).
# Usage: stop-code-server.sh <run-dir>...   (each holds a cs.pgid written by start-code-server.sh)
# Only a process group whose leader is a code-server/node process of this harness is killed.
for RUN in "$@"; do
  f=$RUN/cs.pgid
  [[ -f $f ]] || continue
  pgid=$(cat "$f")
  if [[ $pgid =~ ^[0-9]+$ ]] && kill -0 "$pgid" 2>/dev/null && grep -qa 'code-server' "/proc/$pgid/cmdline" 2>/dev/null; then
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in $(seq 1 25); do kill -0 "$pgid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
  rm -f "$f"
done
exit 0
