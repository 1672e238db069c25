#!/usr/bin/env bash
# Checks openapi.yaml and a running Sluice server (embedded demo) against each other.
#
#   Tests/Web/api_contract_test.sh http://127.0.0.1:18090
#
# 1. openapi-spec-validator: the document is valid OpenAPI 3.1.
# 2. The server serves that same document at /openapi.yaml.
# 3. schemathesis with every check: no 5xx, every status, content type, header and body
#    matches the document, invalid input is rejected, valid input accepted. Bounded to a few
#    minutes: a handful of examples per operation (MAX_EXAMPLES, default 20) and the
#    expectations in schemathesis.toml next to this script (why each is there is said there).
# Both tools come from PyPI and are installed with pip if missing.
set -euo pipefail

BASE="${1:?usage: $0 BASE_URL (e.g. http://127.0.0.1:18090)}"
BASE="${BASE%/}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SPEC="$ROOT/openapi.yaml"
MAX_EXAMPLES="${MAX_EXAMPLES:-20}"
SEED="${SEED:-20261125}"

ensure_tool() {
  local command="$1" package="$2"
  command -v "$command" >/dev/null 2>&1 && return
  echo "installing $package from PyPI"
  python3 -m pip install --quiet "$package"
  command -v "$command" >/dev/null 2>&1 || { echo "FAIL: $command is not on PATH after installing $package" >&2; exit 1; }
}

ensure_tool openapi-spec-validator openapi-spec-validator
ensure_tool schemathesis schemathesis

echo "== openapi-spec-validator"
openapi-spec-validator "$SPEC"

echo "== GET /openapi.yaml serves this document"
served="$(mktemp)"
trap 'rm -f "$served"' EXIT
curl -fsS "$BASE/openapi.yaml" -o "$served"
if ! cmp -s "$served" "$SPEC"; then
  echo "FAIL: $BASE/openapi.yaml differs from $SPEC" >&2
  diff <(head -c 2000 "$SPEC") <(head -c 2000 "$served") | head -20 >&2 || true
  exit 1
fi
echo "ok"

echo "== schemathesis (all checks, $MAX_EXAMPLES examples per operation, seed $SEED)"
# All phases run: examples, coverage (boundary and invalid values, unsupported methods),
# fuzzing and stateful (write-session links). Connector names are drawn from the examples
# (alice, discard) or at random, so the million-row `numbers` source is never streamed.
cd "$HERE"
# With SLUICE_TOKEN (a server with access tokens), every request carries it; schemathesis's
# ignored_auth check then also sends requests without it and expects 401.
AUTH=()
[ -n "${SLUICE_TOKEN:-}" ] && AUTH=(--header "Authorization: Bearer $SLUICE_TOKEN")
SCHEMATHESIS_HOOKS="$HERE/schemathesis_hooks.py" \
schemathesis --config-file "$HERE/schemathesis.toml" run "$SPEC" \
  --url "$BASE" \
  "${AUTH[@]}" \
  --checks all \
  --exclude-checks use_after_free \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --workers 1 \
  --generation-database none \
  --no-color
