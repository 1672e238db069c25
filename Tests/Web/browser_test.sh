#!/usr/bin/env bash
# Checks the browser page against a running Sluice server that serves the embedded demo.
#
#   Tests/Web/browser_test.sh http://127.0.0.1:18090
#
# 1. Without JavaScript (the raw HTML from curl): the server-rendered connector list is there,
#    each demo connector linking to its JSON, and the page links to /v1/connectors.
# 2. In headless Chromium (Debian `chromium`, installed if missing): the rendered page lists
#    every demo connector, and #/sources/alice shows a preview row of the Alice text.
# 3. browser_upload_test.py drives the upload form and the preview controls (pip
#    `websocket-client`, installed if missing). Uploads go to the demo's `discard` and
#    `users` sinks (the latter writes files into the server's ./sluice-output).
# Exits non-zero on the first failed assertion, printing what it saw.
set -euo pipefail

BASE="${1:?usage: $0 BASE_URL (e.g. http://127.0.0.1:18090)}"
BASE="${BASE%/}"
DEMO_CONNECTORS=(alice numbers events cities users discard)
ALICE_ROW="Alice was beginning to get very tired"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return
  echo "installing Debian chromium"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

# Renders URL in headless Chromium and prints the DOM after scripts ran.
# A private profile keeps runs independent; virtual time lets the page's fetches finish.
render() {
  local url="$1" profile
  profile="$(mktemp -d "$WORK/profile.XXXX")"
  timeout 60 chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --no-default-browser-check --user-data-dir="$profile" \
    --virtual-time-budget=5000 --dump-dom "$url" 2>"$WORK/chromium.log"
}

# ---------------------------------------------------------------- without JavaScript

html="$(curl -fsS "$BASE/")" || { echo "FAIL: GET $BASE/ did not answer 200" >&2; exit 1; }
printf '%s' "$html" > "$WORK/raw.html"
if grep -q '<!--SLUICE:CONNECTORS-->' "$WORK/raw.html"; then
  fail "raw HTML still has the <!--SLUICE:CONNECTORS--> marker (the server did not render the list)"
fi
for name in "${DEMO_CONNECTORS[@]}"; do
  if grep -q "href=\"/v1/connectors/$name\"" "$WORK/raw.html"; then
    pass "raw HTML links connector $name to /v1/connectors/$name"
  else
    fail "raw HTML has no server-rendered link to /v1/connectors/$name"
  fi
done
grep -q '<noscript>' "$WORK/raw.html" && grep -q 'href="/v1/connectors"' "$WORK/raw.html" \
  && pass "raw HTML has a <noscript> hint linking /v1/connectors" \
  || fail "raw HTML lacks the <noscript> link to /v1/connectors"
for asset in /app.js /style.css; do
  code="$(curl -s -o /dev/null -w '%{http_code}' "$BASE$asset")"
  [ "$code" = 200 ] && pass "GET $asset is 200" || fail "GET $asset answered $code"
done

# ---------------------------------------------------------------- with JavaScript

ensure_chromium

render "$BASE/" > "$WORK/home.html" || fail "chromium could not render $BASE/ (see below)"
# The enhanced list (built from /v1/connectors) marks cards with class "card".
if grep -q 'class="connector-cards"' "$WORK/home.html"; then
  pass "the script replaced the list with the enhanced cards"
else
  fail "the rendered page has no enhanced connector list (did /v1/connectors or app.js fail?)"
fi
for name in "${DEMO_CONNECTORS[@]}"; do
  if grep -q "<span class=\"card-name\">$name</span>" "$WORK/home.html"; then
    pass "rendered page lists $name"
  else
    fail "rendered page does not list $name"
  fi
done

# --dump-dom takes the DOM when the virtual time budget is spent; a streamed body may still be
# arriving then, so a missing row is retried (up to five renders) before it counts as a failure.
for attempt in 1 2 3 4 5; do
  render "$BASE/#/sources/alice" > "$WORK/alice.html" || fail "chromium could not render #/sources/alice"
  grep -q "<td>$ALICE_ROW" "$WORK/alice.html" && break
  echo "note: attempt $attempt rendered no preview row yet"
done
if grep -q "<td>$ALICE_ROW" "$WORK/alice.html"; then
  pass "#/sources/alice shows the preview row \"$ALICE_ROW...\""
else
  fail "#/sources/alice shows no preview row with \"$ALICE_ROW\""
fi

render "$BASE/#/sources/alice?where=line%20%3D" > "$WORK/bad-where.html" || fail "chromium could not render a bad where"
if grep -q 'class="problem"' "$WORK/bad-where.html" && grep -q 'class="caret"' "$WORK/bad-where.html"; then
  pass "a bad where= shows the problem with a caret"
else
  fail "a bad where= shows no problem box with a caret"
fi

render "$BASE/#/sinks/users" > "$WORK/users.html" || fail "chromium could not render #/sinks/users"
grep -q 'class="upload-form"' "$WORK/users.html" \
  && pass "#/sinks/users shows the upload form" || fail "#/sinks/users shows no upload form"

# The upload form and the preview's controls, driven over the DevTools protocol.
python3 -c 'import websocket' 2>/dev/null || python3 -m pip install --quiet websocket-client
if timeout 180 python3 "$(dirname "${BASH_SOURCE[0]}")/browser_upload_test.py" "$BASE"; then
  pass "upload form and preview controls"
else
  fail "upload form or preview controls (see above)"
fi

if [ "$failures" -gt 0 ]; then
  echo "--- chromium log (last lines)" >&2
  tail -n 20 "$WORK/chromium.log" >&2 || true
  echo "$failures browser check(s) failed" >&2
  exit 1
fi
echo "all browser checks passed"
