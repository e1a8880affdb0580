#!/usr/bin/env bash
# SARIF 2.1.0 schema validation of `http-status-ls check --format sarif` (a step of tests/run.sh):
# the output on every example app under tests/apps/, and on a file whose path has brackets and a
# space (percent-encoded URIs), each validated by validate.mjs against the SARIF 2.1.0 JSON schema.
# Needs Node.js >= 20; runs `npm ci` here when node_modules is missing or older than the lockfile.
# Binary: $HTTP_STATUS_LS, else target/debug/http-status-ls. Output: target/sarif/*.sarif.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/sarif
BIN=${HTTP_STATUS_LS:-$ROOT/target/debug/http-status-ls}
OUT=$ROOT/target/sarif
fail() { echo "sarif: $*" >&2; exit 1; }
[ -x "$BIN" ] || fail "$BIN is not built (cargo build)"
command -v node >/dev/null 2>&1 || fail "node is missing: apt-get install --no-install-recommends nodejs npm"

if [ ! -f "$HERE/node_modules/.package-lock.json" ] || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
  echo "sarif: npm ci in tests/sarif"
  npm ci --prefix "$HERE" --no-audit --no-fund --silent || fail "npm ci in tests/sarif failed"
fi

rm -rf "$OUT"; mkdir -p "$OUT"
sarif_of() { # dir name: check --format sarif in dir; exit 1 (findings) is expected, 2 is not
  local rc=0
  (cd "$1" && "$BIN" check --format sarif .) >"$OUT/$2.sarif" 2>"$OUT/$2.stderr" || rc=$?
  [ "$rc" -le 1 ] || { cat "$OUT/$2.stderr"; fail "check --format sarif in $1 exited $rc"; }
}
for app in "$ROOT"/tests/apps/*/; do
  sarif_of "$app" "$(basename "$app")"
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/app/items/[id] x"
echo "app.post('/x', (req, res) => res.redirect('/y'));" >"$scratch/app/items/[id] x/handler.js"
sarif_of "$scratch" bracketed-path
grep -q 'app/items/%5Bid%5D%20x/handler.js' "$OUT/bracketed-path.sarif" ||
  fail "the bracketed path is not percent-encoded in $OUT/bracketed-path.sarif"

node "$HERE/validate.mjs" "$HERE/sample-valid.sarif" "$OUT"/*.sarif
