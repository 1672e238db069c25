#!/usr/bin/env bash
# End-to-end tests of the terminal client (`sluice read`, `sluice write`, `sluice connectors`,
# `sluice types`) against a live server started from the same binary, with real SIGKILLs of
# the server and of the client, and the progress display checked in a tmux pane.
#   bash Tests/Client/run.sh [path/to/sluice]      (default .build/debug/sluice)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${1:-$ROOT/.build/debug/sluice}"
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
[ -x "$BIN" ] || { echo "client test: $BIN is not an executable (build first: swift build)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "client test: tmux is not installed (make setup-test installs it)" >&2; exit 2; }
WORK="$(mktemp -d /tmp/sluice-client.XXXXXX)"
trap 'if [ "${CLIENT_KEEP_WORK:-0}" = 1 ]; then echo "client test: work folder kept in $WORK" >&2; else rm -rf "$WORK"; fi' EXIT
cp "$BIN" "$WORK/sluice"
PYTHONDONTWRITEBYTECODE=1 timeout -k 10 600 python3 "$HERE/client_test.py" --bin "$WORK/sluice" --work "$WORK"
