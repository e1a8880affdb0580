#!/usr/bin/env bash
# Runs every fuzz target briefly (CI), or one target for long (a campaign), with cargo-fuzz on the
# nightly toolchain; installs both when missing, and fails clearly when it cannot.
#
#   fuzz/run.sh                     every target for FUZZ_SECONDS each (default 15)
#   fuzz/run.sh incremental_edits 3600    one target for an hour (more libFuzzer flags may follow)
#
# The seed corpora are generated first (fuzz/seeds.py, from tests/fixtures and tests/apps) into
# fuzz/corpus/<target>/, which libFuzzer grows; crashes land in fuzz/artifacts/<target>/ and fail
# the run. See fuzz/README.md for turning a crash into a regression test.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

TARGETS=(analysis_javascript analysis_typescript analysis_rust fix_validity incremental_edits lsp_session config)

have_nightly() { rustup toolchain list | grep -q '^nightly'; }
if ! have_nightly; then
  echo "rustup toolchain install nightly --profile minimal"
  rustup toolchain install nightly --profile minimal || {
    echo "fuzz: the nightly Rust toolchain is missing and 'rustup toolchain install nightly' failed;" \
      "cargo-fuzz needs it (-Z sanitizer flags)" >&2
    exit 1
  }
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo install cargo-fuzz --locked"
  cargo install cargo-fuzz --locked || {
    echo "fuzz: cargo-fuzz is missing and 'cargo install cargo-fuzz' failed" >&2
    exit 1
  }
fi
command -v python3 >/dev/null || { echo "fuzz: python3 is needed to write the seed corpora (fuzz/seeds.py)" >&2; exit 1; }
cargo +nightly fuzz --version
python3 fuzz/seeds.py

# No sanitizer: the code under test is safe Rust (and tree-sitter's C, which cargo-fuzz would not
# instrument anyway); panics, aborts, stack overflows and hangs are what the targets look for.
# Debug assertions stay on (-a).
FLAGS=(--sanitizer none --debug-assertions)
# Inputs up to 16 KiB (a handler file), a hang after 30 s, a crash past 4 GiB.
LIBFUZZER=(-max_len=16384 -timeout=30 -rss_limit_mb=4096 -print_final_stats=1)

run() { # target seconds [libFuzzer flags...]
  local target=$1 seconds=$2
  shift 2
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  echo "==> fuzz $target for ${seconds}s"
  cargo +nightly fuzz run "${FLAGS[@]}" "$target" "fuzz/corpus/$target" -- \
    "${LIBFUZZER[@]}" -max_total_time="$seconds" -artifact_prefix="fuzz/artifacts/$target/" "$@"
}

if [ $# -gt 0 ]; then
  target=$1
  seconds=${2:-600}
  shift $(($# < 2 ? $# : 2))
  run "$target" "$seconds" "$@"
  exit
fi

cargo +nightly fuzz build "${FLAGS[@]}"
for target in "${TARGETS[@]}"; do
  run "$target" "${FUZZ_SECONDS:-15}"
done
echo "fuzz: ${#TARGETS[@]} targets ran ${FUZZ_SECONDS:-15}s each without a crash"
