#!/usr/bin/env bash
# Starts the built `sluice` twice (the embedded demo, each in a temporary working folder, on
# free loopback ports): once without access tokens, for the browser checks, and once with a
# tokens file (one `admin` token for schemathesis, one scoped `web` token for the page), for
# the page's token handling and the API-contract checks. Stops both with SIGTERM, fails if a
# check failed, and fails if a token appears in the second server's log (access log on).
# Usage: Tests/Web/run.sh [path/to/sluice]
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${1:-$ROOT/.build/debug/sluice}"
WORK="$(mktemp -d)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"

AUTH_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
AUTH_BASE="http://127.0.0.1:$AUTH_PORT"
mkdir -p "$WORK/open" "$WORK/auth"
# Tokens: the first line of `sluice token create` is the token, the rest the entry for the file.
"$BIN" token create --name admin --scopes admin > "$WORK/admin.token"
"$BIN" token create --name web --scopes 'read:alice,write:discard' > "$WORK/web.token"
ADMIN_TOKEN=$(head -n 1 "$WORK/admin.token")
WEB_TOKEN=$(head -n 1 "$WORK/web.token")
{ echo "tokens:"; tail -n +3 "$WORK/admin.token" | sed 's/^/  /'; tail -n +3 "$WORK/web.token" | sed 's/^/  /'; } > "$WORK/tokens.yaml"

(cd "$WORK/open" && exec "$BIN" serve --port "$PORT" --quiet) &
PID=$!
(cd "$WORK/auth" && exec "$BIN" serve --port "$AUTH_PORT" \
  --tokens-file "$WORK/tokens.yaml" 2> "$WORK/auth-server.log") &
AUTH_PID=$!
trap 'kill -TERM $PID $AUTH_PID 2>/dev/null; wait $PID $AUTH_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for base in "$BASE" "$AUTH_BASE"; do
  for _ in $(seq 100); do curl -sf -o /dev/null "$base/healthz" && break; sleep 0.1; done
  curl -sf -o /dev/null "$base/healthz" || { echo "FAIL: the server at $base did not start" >&2; exit 1; }
done

status=0
bash "$HERE/browser_test.sh" "$BASE" || status=1
(cd "$HERE" && python3 "$HERE/browser_auth_test.py" "$AUTH_BASE" "$WEB_TOKEN") || status=1
SLUICE_TOKEN="$ADMIN_TOKEN" bash "$HERE/api_contract_test.sh" "$AUTH_BASE" || status=1
kill -0 $PID 2>/dev/null || { echo "FAIL: the server died during the checks" >&2; status=1; }
kill -0 $AUTH_PID 2>/dev/null || { echo "FAIL: the server with tokens died during the checks" >&2; status=1; }
kill -TERM $AUTH_PID 2>/dev/null; wait $AUTH_PID 2>/dev/null
if grep -q -F -e "$ADMIN_TOKEN" -e "$WEB_TOKEN" "$WORK/auth-server.log"; then
  echo "FAIL: a token appears in the server's log" >&2; status=1
elif ! grep -q "client=admin" "$WORK/auth-server.log"; then
  echo "FAIL: the access log does not name the token (client=admin)" >&2; status=1
else
  echo "ok: $(wc -l < "$WORK/auth-server.log") log lines name tokens by name, none holds a token"
fi
[ $status = 0 ] && echo "web checks: passed" || echo "web checks: FAILED"
exit $status
