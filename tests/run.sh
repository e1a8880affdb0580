#!/usr/bin/env bash
# The whole test suite on a fresh machine, one visible step after another, each timed: installs
# what a step needs right before it (Debian packages with --no-install-recommends), and stops at the
# first step that fails, naming it. `.ci/run` calls this script.
#
#   1. toolchain     rustfmt, clippy and a C compiler are there (installed when missing, else a clear failure)
#   2. fmt           cargo fmt --check
#   3. clippy        cargo clippy --all-targets -D warnings
#   4. cargo test    every Rust test; needs nothing but the Rust toolchain
#   5. fuzz          every fuzz target (fuzz/, cargo-fuzz on nightly, both installed when missing)
#                    for FUZZ_SECONDS (default 15) each from seeds generated from the fixtures; a
#                    crash fails the step and leaves its input in fuzz/artifacts/
#   6. SARIF schema  check --format sarif on every example app, validated against the SARIF 2.1.0 schema (Node.js)
#   7. zed           the Zed extension (editors/zed) built to WebAssembly (wasm32-wasip2)
#   8. packages      the `dist` binary; the platform .vsix, the npm packages (npm pack, npm install,
#                    npx http-status-ls check) and the pre-commit hook (pre-commit try-repo)
#   9. editors       headless Neovim and VS Code (code-server + Playwright) end to end, with the .vsix of step 8
#
# STEPS="fmt clippy" tests/run.sh runs only the named steps (toolchain always runs).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ALL_STEPS=(toolchain fmt clippy cargo-test fuzz sarif zed packages editors)
read -r -a WANTED <<<"${STEPS:-${ALL_STEPS[*]}}"
wanted() { [ "$1" = toolchain ] || [[ " ${WANTED[*]} " == *" $1 "* ]]; }

have() { command -v "$1" >/dev/null 2>&1; }
apt_updated=0
apt_install() { # Debian packages, without their recommendations
  if [ $apt_updated = 0 ]; then apt-get update -qq; apt_updated=1; fi
  echo "apt-get install --no-install-recommends $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}
node_ready() { # Node.js >= 20 and npm, for the SARIF validator, the packages and the editors
  if ! have node || ! have npm; then apt_install nodejs npm; fi
  node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || {
    echo "Node.js >= 20 is needed (found $(node -v)): install it from Debian or NodeSource" >&2
    return 1
  }
}

# ---- the steps ------------------------------------------------------------------------------------
step_toolchain() {
  have cc || apt_install build-essential
  local component
  for component in rustfmt clippy; do
    local probe=(cargo fmt --version)
    [ $component = clippy ] && probe=(cargo clippy --version)
    if ! "${probe[@]}" >/dev/null 2>&1; then
      echo "rustup component add $component"
      rustup component add "$component" || {
        echo "the Rust component $component is missing and 'rustup component add $component' failed;" \
          "install it for the toolchain in use ($(rustc --version))" >&2
        return 1
      }
      "${probe[@]}" >/dev/null 2>&1 || { echo "${probe[*]} does not run after installing $component" >&2; return 1; }
    fi
  done
  rustc --version; cargo fmt --version; cargo clippy --version; cc --version | head -1
}

step_fmt() { cargo fmt --all -- --check; }

step_clippy() { cargo clippy --all-targets --locked -- -D warnings; }

step_cargo_test() { cargo test --locked; }

step_fuzz() {
  have python3 || apt_install python3
  bash fuzz/run.sh
}

step_sarif() {
  node_ready
  cargo build --locked -q -p http-status-ls --bin http-status-ls
  HTTP_STATUS_LS=$ROOT/target/debug/http-status-ls bash tests/sarif/check.sh
}

step_zed() {
  # zed_extension_api builds for WASI preview 2, the target Zed itself compiles extensions for.
  if ! rustup target list --installed | grep -qx wasm32-wasip2; then
    echo "rustup target add wasm32-wasip2"
    rustup target add wasm32-wasip2 || {
      echo "the Rust target wasm32-wasip2 (needed by zed_extension_api) is missing and" \
        "'rustup target add wasm32-wasip2' failed" >&2
      return 1
    }
  fi
  # its own workspace and lockfile (editors/zed is not a member); outputs under target/zed
  cargo build --locked --release --target wasm32-wasip2 \
    --manifest-path editors/zed/Cargo.toml --target-dir "$ROOT/target/zed"
  local wasm=$ROOT/target/zed/wasm32-wasip2/release/zed_http_status_ls.wasm
  [ -s "$wasm" ] || { echo "no $wasm after the build" >&2; return 1; }
  echo "zed: $wasm ($(stat -c %s "$wasm") bytes)"
}

step_packages() {
  node_ready
  bash tests/packages.sh
}

step_editors() {
  node_ready
  local vsix
  vsix=$(ls "$ROOT"/target/packages/http-status-ls-*.vsix 2>/dev/null | head -1 || true)
  [ -n "$vsix" ] || { echo "no platform .vsix in target/packages/: run the packages step first" >&2; return 1; }
  cargo build --locked -q -p http-status-ls --bin http-status-ls
  HTTP_STATUS_LS=$ROOT/target/debug/http-status-ls PLATFORM_VSIX=$vsix bash tests/editors.sh
}

# ---- the runner -----------------------------------------------------------------------------------
started=$(date +%s)
summary=()
n=0
total=0
for s in "${ALL_STEPS[@]}"; do wanted "$s" && total=$((total + 1)); done
for s in "${ALL_STEPS[@]}"; do
  wanted "$s" || continue
  n=$((n + 1))
  echo
  echo "==> [$n/$total] $s ($(date +%T))"
  t=$(date +%s)
  rc=0
  # a background subshell keeps `set -e` working inside the step; its output streams as it runs
  ( "step_${s//-/_}" ) & wait $! || rc=$?
  took=$(($(date +%s) - t))
  summary+=("$(printf '  %-11s %4d s' "$s" "$took")")
  if [ $rc != 0 ]; then
    echo "<== $s FAILED (exit $rc) after $took s"
    printf '%s\n' "${summary[@]}"
    echo "tests/run.sh: step $s failed"
    exit 1
  fi
  echo "<== $s ok in $took s"
done
echo
printf '%s\n' "${summary[@]}"
echo "tests/run.sh: all $total steps green in $(($(date +%s) - started)) s"
