#!/usr/bin/env bash
# `make bench`: Sluice side by side with the peers of ../shared/bench, in one run.
#  1. codec throughput (NDJSON/CSV encode and decode-with-validation, one core)
#  2. the cost of durable write sessions (Benchmarks/durability_bench.py: W3 and small batches,
#     store on against off)
#  3. the cost of access tokens (Benchmarks/auth_bench.py: W1 and W2, auth on against off)
#  4. W1 small JSON, W2 stream 1M rows, W3 ingest 81 MB, W4 1,000 idle connections (and H2C
#     when the server speaks it), through ../shared/bench/compare.py against nginx (and the
#     Hummingbird peer with HB=1; its first build takes minutes).
# Environment: SHARED_BENCH (default ../shared/bench), ROUNDS (3), PORT (18090), HB (0).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18190}
HB=${HB:-0}

need=""
for p in nginx wrk nghttp2-client python3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need
fi

swift build -c release --product sluice
swift build -c release --product sluice-bench
BIN=$(swift build -c release --show-bin-path)

python3 "$SHARED_BENCH/gen_rows.py" -l 10 >/dev/null
echo "== Codecs (one core, 1,000,000 rows of the range benchmark columns)"
"$BIN/sluice-bench" /tmp/bench/rows.ndjson

echo "== Durable write sessions: store on (--state DIR) against off (--state memory), ${ROUNDS} interleaved rounds"
python3 "$ROOT/Benchmarks/durability_bench.py" "$BIN/sluice" --rounds "$ROUNDS"

echo "== Access tokens: W1 and W2 with auth on against off, ${ROUNDS} interleaved rounds"
python3 "$ROOT/Benchmarks/auth_bench.py" "$BIN/sluice" --rounds "$ROUNDS"

echo "== HTTP workloads against the peers (${ROUNDS} interleaved rounds)"
cleanup() {
  [ -n "${SLUICE_PID:-}" ] && kill -TERM "$SLUICE_PID" 2>/dev/null || true
  "$SHARED_BENCH/nginx/stop.sh" >/dev/null 2>&1 || true
  [ "$HB" = 1 ] && "$SHARED_BENCH/hb/stop.sh" >/dev/null 2>&1 || true
}
trap cleanup EXIT
"$SHARED_BENCH/nginx/stop.sh" >/dev/null 2>&1 || true
"$SHARED_BENCH/nginx/start.sh" >/dev/null
[ "$HB" = 1 ] && "$SHARED_BENCH/hb/start.sh" >/dev/null
OUT=$(mktemp -d)
(cd "$OUT" && exec "$BIN/sluice" serve --host 127.0.0.1 --port "$PORT" --public-dir "$ROOT/Public" --quiet) &
SLUICE_PID=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
args=(--sluice "http://127.0.0.1:$PORT" --source numbers --sink discard --rounds "$ROUNDS")
[ "$HB" = 1 ] && args+=(--hb)
curl -sf -o /dev/null --http2-prior-knowledge "http://127.0.0.1:$PORT/healthz" 2>/dev/null && args+=(--h2c)
python3 "$SHARED_BENCH/compare.py" "${args[@]}"
