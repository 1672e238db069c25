#!/usr/bin/env bash
# The Swift suites under a sanitizer (`make test-sanitizers` runs both):
#   bash Tests/Sanitizers/run.sh thread|address
# Builds the tests with --sanitize=<kind> in .build-tsan or .build-asan (a build folder of its
# own, so the normal build is untouched), then runs each test target's suites, one target at a time
# (all at once, the sanitizer's slowdown makes the socket tests time out), against a
# throwaway PostgreSQL. Fails on any failed test and on any sanitizer report. Tests that
# only time out under ThreadSanitizer are disabled there (SLUICE_SANITIZER=thread) with
# their reason in the test.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
KIND="${1:?thread or address}"
SWIFT="${SWIFT:-swift}"
case "$KIND" in
  thread) SCRATCH="$ROOT/.build-tsan" ;;
  address) SCRATCH="$ROOT/.build-asan" ;;
  *) echo "sanitizers: give thread or address" >&2; exit 2 ;;
esac
cd "$ROOT"

if [ -z "${SLUICE_TEST_POSTGRES:-}" ]; then
  "$SWIFT" build --build-tests --sanitize="$KIND" --scratch-path "$SCRATCH" || exit 1
  exec bash "$ROOT/Tests/Postgres/with_postgres.sh" bash "$HERE/run.sh" "$KIND"
fi

BIN="$("$SWIFT" build --sanitize="$KIND" --scratch-path "$SCRATCH" --show-bin-path)/SluicePackageTests.xctest"
[ -x "$BIN" ] || { echo "sanitizers: $BIN is missing (build first)" >&2; exit 2; }
export SLUICE_SANITIZER="$KIND"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
export ASAN_OPTIONS="detect_leaks=0 halt_on_error=1"   # leaks: Swift's runtime caches read as leaks
LOGS="$(mktemp -d /tmp/sluice-sanitizer.XXXXXX)"
failed=0
for target in SluiceCoreTests SluiceClientTests SluiceConnectorsTests HTTPServerTests SluiceServerTests; do
  began=$(date +%s)
  timeout -k 10 900 "$BIN" --testing-library swift-testing --filter "$target" > "$LOGS/$target.log" 2>&1
  status=$?
  reports=$(grep -c -E "WARNING: ThreadSanitizer|ERROR: AddressSanitizer" "$LOGS/$target.log")
  summary=$(grep -E "Test run with" "$LOGS/$target.log" | tail -1)
  echo "sanitizer $KIND: $target: status $status, $reports report(s), $(( $(date +%s) - began )) s: ${summary:-no summary}"
  if [ $status != 0 ] || [ "$reports" != 0 ]; then
    failed=1
    grep -E -A30 "WARNING: ThreadSanitizer|ERROR: AddressSanitizer" "$LOGS/$target.log" | head -80
    grep -E "✘" "$LOGS/$target.log" | head -20
  fi
done
# The server itself under the sanitizer: 20 s of connections reset mid-request.
timeout -k 10 300 python3 "$HERE/churn.py" --bin "$(dirname "$BIN")/sluice" --seconds 20 || failed=1
[ $failed = 0 ] && echo "sanitizer $KIND: clean" || echo "sanitizer $KIND: FAILED (logs in $LOGS)"
exit $failed
