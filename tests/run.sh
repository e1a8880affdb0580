#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, then runs the gates
# (format, lints) and every test. `.ci/run` calls this script.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

# Node.js + npm run the SARIF 2.1.0 schema validator (tests/sarif).
if ! need node || ! need npm; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
# A C compiler builds the tree-sitter grammars.
if ! need cc; then
  apt-get update -qq && apt-get install -y -qq build-essential
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

npm ci --prefix tests/sarif --no-audit --no-fund --silent

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
