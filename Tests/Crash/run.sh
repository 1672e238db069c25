#!/usr/bin/env bash
# Crash test of durable write sessions and exactly-once batches (Tests/Crash/crash_test.py):
# 8 clients upload numbered rows into local-files, sqlite and postgres sinks while the server
# is SIGKILLed and restarted on the same --state folder; afterwards every row must be in its
# sink exactly once and no staging may be left.
#
#   bash Tests/Crash/run.sh [path/to/sluice] [crash_test.py options, e.g. --seed 1234]
#
# The binary defaults to .build/debug/sluice. Without SLUICE_TEST_POSTGRES the script runs
# itself through Tests/Postgres/with_postgres.sh (a throwaway cluster). It makes a temporary
# work folder with config.yaml and a copy of the binary, runs the test (about 80 s: 60 s of
# uploads and kills, then the checks; at most 170 s), and removes the folder
# (CRASH_KEEP_WORK=1 keeps it and prints where it is). Exit status: the test's (0 = passed).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

BIN="$ROOT/.build/debug/sluice"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then BIN="$1"; shift; fi
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
[ -x "$BIN" ] || { echo "crash test: $BIN is not an executable (build first: swift build)" >&2; exit 2; }

if [ -z "${SLUICE_TEST_POSTGRES:-}" ]; then
  exec bash "$ROOT/Tests/Postgres/with_postgres.sh" bash "$HERE/run.sh" "$BIN" "$@"
fi
command -v psql >/dev/null || { echo "crash test: psql is not installed" >&2; exit 2; }

# postgres://user:password@host:port/database
re='^postgres(ql)?://([^:@/]+)(:([^@]*))?@([^:/?]+)(:([0-9]+))?/([^?]+)'
[[ "$SLUICE_TEST_POSTGRES" =~ $re ]] || { echo "crash test: cannot read SLUICE_TEST_POSTGRES as postgres://user:password@host:port/database" >&2; exit 2; }
PG_USER="${BASH_REMATCH[2]}" PG_PASSWORD="${BASH_REMATCH[4]}" PG_HOST="${BASH_REMATCH[5]}"
PG_PORT="${BASH_REMATCH[7]:-5432}" PG_DATABASE="${BASH_REMATCH[8]}"
yaml() { local s="${1//\\/\\\\}"; printf '"%s"' "${s//\"/\\\"}"; }   # a double-quoted YAML scalar

WORK="$(mktemp -d /tmp/sluice-crash.XXXXXX)"
cleanup() {
  if [ "${CRASH_KEEP_WORK:-0}" = 1 ]; then echo "crash test: work folder kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

cat > "$WORK/config.yaml" <<EOF
connectors:
  - name: files
    type: local-files
    options: {output_dir: out, filename_prefix: rows, max_rows_per_file: 1000}
  - name: db
    type: sqlite
    kind: sink
    options: {path: target.sqlite, table: numbers}
  - name: pg
    type: postgres
    kind: sink
    options: {host: $(yaml "$PG_HOST"), port: $PG_PORT, database: $(yaml "$PG_DATABASE"), user: $(yaml "$PG_USER"), password: $(yaml "$PG_PASSWORD"), sslmode: disable, table: crash_numbers}
EOF

# A copy of the binary, so that a rebuild while the test runs cannot change (or cut short)
# the executable between two restarts.
cp "$BIN" "$WORK/sluice" || { echo "crash test: cannot copy $BIN" >&2; exit 2; }

# The test has its own deadline (--deadline, 170 s); this one only catches a hung interpreter.
PYTHONDONTWRITEBYTECODE=1 timeout -k 10 330 python3 "$HERE/crash_test.py" --bin "$WORK/sluice" --work "$WORK" "$@"
status=$?
[ $status = 124 ] && echo "crash test: killed by the outer timeout (330 s)" >&2
exit $status
