#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: installs Debian's postgresql when
# missing, creates a cluster with initdb in a temporary folder (as the postgres user when
# run as root, since initdb refuses root), starts it with pg_ctl on a free loopback port
# (25432 and up) with its unix socket in that folder, creates a database, exports
# SLUICE_TEST_POSTGRES=postgres://user:password@127.0.0.1:port/database, runs the command,
# then stops the cluster and removes the folder.
#
#   bash Tests/Postgres/with_postgres.sh swift test --skip-build
#
# When SLUICE_TEST_POSTGRES is already set, the command runs against that server instead.
set -euo pipefail

if [ -n "${SLUICE_TEST_POSTGRES:-}" ]; then exec "$@"; fi

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ]; then
  echo "with_postgres: installing postgresql" >&2
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(pg_bin)

DIR=$(mktemp -d /tmp/sluice-pg.XXXXXX)
AS=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$DIR"
  AS=(runuser -u postgres --)
fi

PORT=""
for candidate in $(seq 25432 25531); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then PORT=$candidate; break; fi
done
[ -n "$PORT" ] || { echo "with_postgres: no free port in 25432-25531" >&2; exit 1; }

USER_NAME=sluice
PASSWORD="sluice-test-$RANDOM$RANDOM"
DATABASE=sluice_test

cleanup() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

printf '%s\n' "$PASSWORD" > "$DIR/pwfile"
[ "$(id -u)" = 0 ] && chown postgres "$DIR/pwfile"
"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U "$USER_NAME" --pwfile="$DIR/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
  start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
"${AS[@]}" "$BIN/createdb" -h "$DIR" -p "$PORT" -U "$USER_NAME" "$DATABASE"

export SLUICE_TEST_POSTGRES="postgres://$USER_NAME:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
echo "with_postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
"$@"
