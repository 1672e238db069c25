#!/usr/bin/env bash
# Database connectors: ingest 1,000,000 `range` rows (Benchmarks/bench_data.py, NDJSON)
# over HTTP into the sqlite and postgres sinks (one-shot POST /v1/sinks/NAME), stream them
# back over HTTP (GET /v1/sources/NAME/rows), and do the same with the native tools on an
# equivalent CSV (sqlite3 .import, psql \copy FROM/TO). Prints rows/s side by side.
# PostgreSQL is a throwaway cluster (Tests/Postgres/with_postgres.sh).
# Environment: PORT (18190), ROWS (1000000 at most: the first ROWS rows of the data).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ -z "${SLUICE_TEST_POSTGRES:-}" ]; then exec bash Tests/Postgres/with_postgres.sh bash "$0" "$@"; fi

PORT=${PORT:-18190}
ROWS=${ROWS:-1000000}
WORK=$(mktemp -d /tmp/sluice-dbbench.XXXXXX)
chmod 755 "$WORK"
PG_URL=$SLUICE_TEST_POSTGRES
PSQL=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql
[ -x "$PSQL" ] || PSQL=psql
command -v sqlite3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3; }

swift build -c release --product sluice
BIN=$(swift build -c release --show-bin-path)
python3 "$ROOT/Benchmarks/bench_data.py" "$BIN/sluice" /tmp/sluice-bench >/dev/null
NDJSON=$WORK/rows.ndjson
head -n "$ROWS" /tmp/sluice-bench/rows.ndjson > "$NDJSON"

# The same rows as CSV: tags as JSON text for SQLite, as an array literal for PostgreSQL.
python3 - "$NDJSON" "$WORK" <<'PY'
import csv, json, sys
src, out = sys.argv[1], sys.argv[2]
with open(src) as f, open(out + "/rows_sqlite.csv", "w", newline="") as a, open(out + "/rows_pg.csv", "w", newline="") as b:
    wa, wb = csv.writer(a), csv.writer(b)
    for line in f:
        r = json.loads(line)
        base = [r["id"], r["name"], repr(r["score"]), "true" if r["active"] else "false"]
        wa.writerow(base[:3] + [1 if r["active"] else 0, json.dumps(r["tags"], separators=(",", ":"))])
        wb.writerow(base + ["{" + ",".join(r["tags"]) + "}"])
PY

now() { date +%s.%N; }
report() { printf '%-44s %s\n' "$1" "$(python3 -c "print(f'{int($ROWS/($3-$2)):>10,} rows/s  ({$3-$2:.2f} s)')")"; }

pg_part() { python3 -c "from urllib.parse import urlparse; u=urlparse('$PG_URL'); print({'host':u.hostname,'port':u.port,'user':u.username,'password':u.password,'db':u.path[1:]}['$1'])"; }
cat > "$WORK/pg.yaml" <<YAML
      host: $(pg_part host)
      port: $(pg_part port)
      database: $(pg_part db)
      user: $(pg_part user)
      password: "$(pg_part password)"
      sslmode: disable
YAML

serve() {
  (cd "$WORK" && exec "$BIN/sluice" serve --host 127.0.0.1 --port "$PORT" --config "$1" --quiet) &
  SLUICE_PID=$!
  for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && return; sleep 0.1; done
  echo "the server did not start" >&2; exit 1
}
stop() { kill -TERM "$SLUICE_PID" 2>/dev/null || true; wait "$SLUICE_PID" 2>/dev/null || true; SLUICE_PID=; }
trap 'stop; rm -rf "$WORK"' EXIT

{ echo "connectors:"
  echo "  - {name: sqlite_in, type: sqlite, kind: sink, options: {path: bench.sqlite, table: rows}}"
  echo "  - name: pg_in"; echo "    type: postgres"; echo "    kind: sink"; echo "    options:"; echo "      table: bench_rows"
  cat "$WORK/pg.yaml"; } > "$WORK/sinks.yaml"
{ echo "connectors:"
  echo "  - {name: sqlite_out, type: sqlite, options: {path: bench.sqlite, table: rows, partitions: 2}}"
  echo "  - name: pg_out"; echo "    type: postgres"; echo "    options:"; echo "      table: bench_rows"; echo "      partitions: 2"
  cat "$WORK/pg.yaml"; } > "$WORK/sources.yaml"

"$PSQL" -q "$PG_URL" -c "DROP TABLE IF EXISTS bench_rows, native_rows"
rm -f "$WORK/bench.sqlite" "$WORK/native.sqlite"

echo "== Ingest $ROWS rows"
serve "$WORK/sinks.yaml"
for sink in sqlite_in pg_in; do
  t0=$(now)
  curl -sf --data-binary @"$NDJSON" -H 'Content-Type: application/x-ndjson' "http://127.0.0.1:$PORT/v1/sinks/$sink" -o "$WORK/$sink.json"
  t1=$(now)
  report "Sluice HTTP → $sink" "$t0" "$t1"
done
stop

t0=$(now)
sqlite3 "$WORK/native.sqlite" "CREATE TABLE native_rows (id INTEGER, name TEXT, score REAL, active BOOLEAN, tags JSON)" \
  ".mode csv" ".import $WORK/rows_sqlite.csv native_rows"
t1=$(now); report "sqlite3 .import (CSV)" "$t0" "$t1"
"$PSQL" -q "$PG_URL" -c "CREATE TABLE native_rows (id bigint, name text, score double precision, active boolean, tags text[])"
t0=$(now)
"$PSQL" -q "$PG_URL" -c "\\copy native_rows FROM '$WORK/rows_pg.csv' CSV"
t1=$(now); report "psql \\copy FROM (CSV)" "$t0" "$t1"

echo "== Stream back $ROWS rows"
serve "$WORK/sources.yaml"
for source in sqlite_out pg_out; do
  t0=$(now)
  curl -sf "http://127.0.0.1:$PORT/v1/sources/$source/rows" -o "$WORK/out.ndjson"
  t1=$(now)
  report "Sluice HTTP ← $source ($(wc -l < "$WORK/out.ndjson") rows)" "$t0" "$t1"
done
stop
t0=$(now); sqlite3 -csv "$WORK/native.sqlite" "SELECT * FROM native_rows" > "$WORK/out.csv"; t1=$(now)
report "sqlite3 SELECT → CSV" "$t0" "$t1"
t0=$(now); "$PSQL" -q "$PG_URL" -c "\\copy native_rows TO '$WORK/out.csv' CSV"; t1=$(now)
report "psql \\copy TO (CSV)" "$t0" "$t1"
