#!/usr/bin/env bash
# `make bench`: everything from this repository (no files outside it), in one run.
#  1. the benchmark data, made by Sluice itself (bench_data.py: 1,000,000 `range` rows, the
#     W1 document) in /tmp/sluice-bench
#  2. codec throughput (NDJSON/CSV encode and decode-with-validation, one core)
#  3. the cost of durable write sessions (durability_bench.py: W3 and small batches, store on
#     against off)
#  4. the cost of access tokens (auth_bench.py: W1 and W2, auth on against off)
#  5. W1 small JSON, W2 stream 1M rows, W3 ingest 81 MB, H1 -m10 (pipelined), H2C, W4 1,000 idle
#     connections, against Debian's nginx (nginx/peer.sh) through compare.py; then W5 (64 slow
#     readers: RSS per reader) and W6 (a reset-upload flood: peak RSS, worst /healthz latency)
#     through many_clients.py
#  6. the terminal client against curl (client_bench.py: `sluice write` of the 81 MB file, `sluice
#     read --parallel 4` of the 1M-row source)
#  7. with DAFT=1: Daft in-process on the two examples of Daft's custom-connector guide
#     (daft_bench.py; Daft is installed from PyPI into /tmp/sluice-bench/daft-venv)
# Environment: ROUNDS (3), DAFT (0).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${ROUNDS:-3}
DATA=/tmp/sluice-bench

need=""
for p in nginx wrk nghttp2-client python3 python3-venv curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
fi

swift build -c release --product sluice
swift build -c release --product sluice-bench
BIN=$(swift build -c release --show-bin-path)

python3 "$ROOT/Benchmarks/bench_data.py" "$BIN/sluice" "$DATA"
echo "== Codecs (one core, 1,000,000 rows of the range benchmark columns)"
"$BIN/sluice-bench" "$DATA/rows.ndjson"

echo "== Durable write sessions: store on (--state DIR) against off (--state memory), ${ROUNDS} interleaved rounds"
python3 "$ROOT/Benchmarks/durability_bench.py" "$BIN/sluice" --rounds "$ROUNDS"

echo "== Access tokens: W1 and W2 with auth on against off, ${ROUNDS} interleaved rounds"
python3 "$ROOT/Benchmarks/auth_bench.py" "$BIN/sluice" --rounds "$ROUNDS"

echo "== HTTP workloads against nginx (${ROUNDS} interleaved rounds)"
trap '"$ROOT/Benchmarks/nginx/peer.sh" stop' EXIT
"$ROOT/Benchmarks/nginx/peer.sh" stop
"$ROOT/Benchmarks/nginx/peer.sh" start "$DATA"
python3 "$ROOT/Benchmarks/compare.py" "$BIN/sluice" --rounds "$ROUNDS" --data "$DATA"

echo "== Many clients at once: W5 (64 slow readers) and W6 (a flood of reset uploads)"
python3 "$ROOT/Benchmarks/many_clients.py" "$BIN/sluice"

echo "== The terminal client against curl (${ROUNDS} interleaved rounds)"
python3 "$ROOT/Benchmarks/client_bench.py" "$BIN/sluice" --rounds "$ROUNDS" --data "$DATA/rows.ndjson"

if [ "${DAFT:-0}" = 1 ]; then
  echo "== Daft in-process on the guide's two examples (${ROUNDS} interleaved rounds)"
  VENV="$DATA/daft-venv"
  [ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q daft; }
  "$VENV/bin/python" "$ROOT/Benchmarks/daft_bench.py" "$BIN/sluice" --rounds "$ROUNDS" --data "$DATA/rows.ndjson"
fi
