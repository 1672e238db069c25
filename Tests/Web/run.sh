#!/usr/bin/env bash
# Starts the built `sluice` (the embedded demo, in a temporary working folder) on a free
# loopback port, runs the browser and the API-contract checks against it, stops it with
# SIGTERM, and fails if either check failed.  Usage: Tests/Web/run.sh [path/to/sluice]
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${1:-$ROOT/.build/debug/sluice}"
WORK="$(mktemp -d)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"

(cd "$WORK" && exec "$BIN" serve --port "$PORT" --public-dir "$ROOT/Public" --openapi "$ROOT/openapi.yaml" --quiet) &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "$BASE/healthz" && break; sleep 0.1; done
curl -sf -o /dev/null "$BASE/healthz" || { echo "FAIL: the server did not start" >&2; exit 1; }

status=0
bash "$HERE/browser_test.sh" "$BASE" || status=1
bash "$HERE/api_contract_test.sh" "$BASE" || status=1
kill -0 $PID 2>/dev/null || { echo "FAIL: the server died during the checks" >&2; status=1; }
[ $status = 0 ] && echo "web checks: passed" || echo "web checks: FAILED"
exit $status
