#!/usr/bin/env bash
# Many clients at once against a live server (`make test`): 64 slow readers within a memory
# bound, a flood of reset uploads after which the server serves and gives back its
# descriptors, and --max-connections answering the connection past it with a 503.
#   bash Tests/ManyClients/run.sh [path/to/sluice]      (default .build/debug/sluice)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${1:-$ROOT/.build/debug/sluice}"
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
[ -x "$BIN" ] || { echo "many-clients test: $BIN is not an executable (build first: swift build)" >&2; exit 2; }
PYTHONDONTWRITEBYTECODE=1 timeout -k 10 600 python3 "$HERE/many_clients_test.py" --bin "$BIN"
