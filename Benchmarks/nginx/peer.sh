#!/usr/bin/env bash
# The nginx peer of `make bench`: `peer.sh start [DATA]` writes nginx.conf from nginx.conf.in
# into /tmp/sluice-bench/nginx and starts Debian's nginx (127.0.0.1:18080, h2c on 18083);
# `peer.sh stop` stops it. DATA defaults to /tmp/sluice-bench (see bench_data.py).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${2:-/tmp/sluice-bench}"
PREFIX=/tmp/sluice-bench/nginx
case "${1:-}" in
  start)
    mkdir -p "$PREFIX"
    sed -e "s|@DATA@|$DATA|g" -e "s|@PREFIX@|$PREFIX|g" "$HERE/nginx.conf.in" > "$PREFIX/nginx.conf"
    nginx -t -q -c "$PREFIX/nginx.conf" -p "$PREFIX/"
    nginx -c "$PREFIX/nginx.conf" -p "$PREFIX/"
    for _ in $(seq 50); do [ -s "$PREFIX/nginx.pid" ] && break; sleep 0.1; done
    ;;
  stop)
    [ -s "$PREFIX/nginx.pid" ] && kill -QUIT "$(cat "$PREFIX/nginx.pid")" 2>/dev/null || true
    for _ in $(seq 50); do [ -s "$PREFIX/nginx.pid" ] || break; sleep 0.1; done
    rm -f "$PREFIX/nginx.pid"
    ;;
  *) echo "usage: $0 start [DATA] | stop" >&2; exit 2 ;;
esac
