#!/usr/bin/env bash
# The ways to install http-status-ls besides `cargo install`, each built and used as a user would
# (a step of tests/run.sh):
#   1. the `dist` binary: cargo build --profile dist (fat LTO; what the packages ship)
#   2. VS Code: the platform .vsix with that binary inside (editors/vscode, npm run package:platform);
#      tests/editors.sh then installs it in code-server with no http-status-ls on PATH
#   3. npm: `npm pack` of the launcher and of this platform's binary package (editors/npm/pack.mjs),
#      `npm install -D` of both tarballs into a scratch project, then `npx http-status-ls check`
#   4. pre-commit: `pre-commit try-repo` of this repository's .pre-commit-hooks.yaml on a scratch
#      git repository, once with findings (the hook fails) and once clean (it passes)
# Output: target/packages/ (the .vsix, npm/*.tgz, logs). Needs Node.js >= 20, npm and Python 3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=$ROOT/target/packages
rm -rf "$OUT"
mkdir -p "$OUT"
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
now() { date +%s%N; }
ms() { echo $((($(now) - $1) / 1000000)); }
fail() { echo "packages: $*" >&2; exit 1; }
# PATH without any http-status-ls on it (the packages must bring their own)
CLEAN_PATH=
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] && [ ! -e "$d/http-status-ls" ] && CLEAN_PATH=${CLEAN_PATH:+$CLEAN_PATH:}$d
done

# ---- 1. the dist binary ---------------------------------------------------------------------------
t=$(now)
cargo build --locked --profile dist -p http-status-ls --bin http-status-ls
DIST=$ROOT/target/dist/http-status-ls
[ -x "$DIST" ] || fail "no $DIST after cargo build --profile dist"
echo "packages: dist binary in $(ms "$t") ms ($(stat -c %s "$DIST") bytes, $("$DIST" --version))"

# ---- 2. the platform .vsix ------------------------------------------------------------------------
t=$(now)
VSC=$ROOT/editors/vscode
if [ ! -f "$VSC/node_modules/.package-lock.json" ] || [ "$VSC/package-lock.json" -nt "$VSC/node_modules/.package-lock.json" ]; then
  echo "packages: npm ci in editors/vscode"
  (cd "$VSC" && npm ci --no-audit --no-fund) || fail "npm ci in editors/vscode failed"
fi
TARGET=$(node -p 'process.platform + "-" + process.arch')
VSIX=$OUT/http-status-ls-$TARGET.vsix
(cd "$VSC" && npm run -s package:platform -- --binary "$DIST" --out "$VSIX") || fail "npm run package:platform failed"
# the server is inside, executable, and is the dist binary
python3 - "$VSIX" "$DIST" <<'PY' || fail "the .vsix does not carry the dist binary as extension/server/http-status-ls"
import sys, zipfile
vsix, dist = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(vsix) as z:
    info = z.getinfo("extension/server/http-status-ls")
    mode = info.external_attr >> 16
    assert mode & 0o111, f"not executable: mode {oct(mode)}"
    assert z.read(info) == open(dist, "rb").read(), "not the dist binary"
    manifest = z.read("extension.vsixmanifest").decode()
    assert 'TargetPlatform="' in manifest, "no TargetPlatform in extension.vsixmanifest"
print(f"packages: {vsix}: extension/server/http-status-ls, mode {oct(mode)}")
PY
echo "packages: .vsix for $TARGET in $(ms "$t") ms ($(stat -c %s "$VSIX") bytes)"

# ---- 3. npm ---------------------------------------------------------------------------------------
t=$(now)
mapfile -t tarballs < <(node editors/npm/pack.mjs --binary "$DIST" --out "$OUT/npm")
[ ${#tarballs[@]} = 2 ] || fail "editors/npm/pack.mjs made ${#tarballs[@]} tarballs, not 2"
echo "packages: npm pack: ${tarballs[*]#"$ROOT"/} in $(ms "$t") ms"
t=$(now)
project=$SCRATCH/npm-project
mkdir -p "$project"
cp -r tests/apps/express-shop/src "$project/"
echo '{ "name": "scratch", "version": "1.0.0", "private": true }' >"$project/package.json"
# the registry is asked only for the other platforms' packages (not published: skipped, optional)
(cd "$project" && PATH=$CLEAN_PATH npm install -D --no-audit --no-fund "${tarballs[@]}") >"$OUT/npm-install.log" 2>&1 ||
  { cat "$OUT/npm-install.log"; fail "npm install -D of the tarballs failed"; }
echo "packages: npm install -D in $(ms "$t") ms"
rc=0
(cd "$project" && PATH=$CLEAN_PATH npx --no-install http-status-ls check) >"$OUT/npx-check.txt" 2>&1 || rc=$?
cat "$OUT/npx-check.txt"
[ $rc = 1 ] || fail "npx http-status-ls check exited $rc, not 1 (findings)"
grep -q 'handlers/cart.js:13:7: warning\[redirect-changes-method\]' "$OUT/npx-check.txt" ||
  fail "npx http-status-ls check did not report the cross-file redirect-changes-method in handlers/cart.js"
grep -q 'declared here at src/routes/cart.js' "$OUT/npx-check.txt" ||
  fail "npx http-status-ls check did not learn the method from src/routes/cart.js"
version=$(cd "$project" && PATH=$CLEAN_PATH npx --no-install http-status-ls --version)
[ "$version" = "$("$DIST" --version)" ] || fail "npx http-status-ls --version says '$version'"
# a missing platform binary is a clear error, exit 2
rc=0
(cd "$project" && HTTP_STATUS_LS_BINARY=$SCRATCH/none PATH=$CLEAN_PATH npx --no-install http-status-ls check) \
  >"$OUT/npx-missing.txt" 2>&1 || rc=$?
[ $rc = 2 ] && grep -q 'could not run' "$OUT/npx-missing.txt" ||
  { cat "$OUT/npx-missing.txt"; fail "a missing binary did not fail with exit 2 and a message"; }
echo "packages: npx http-status-ls check: exit 1 with the cross-file finding; $version"

# ---- 4. pre-commit --------------------------------------------------------------------------------
t=$(now)
PRE_COMMIT_VERSION=4.7.0
if ! python3 -m pre_commit --version 2>/dev/null | grep -q "$PRE_COMMIT_VERSION"; then
  echo "packages: pip install pre-commit==$PRE_COMMIT_VERSION"
  python3 -m pip install -q --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION" >"$OUT/pip.log" 2>&1 ||
    { tail -20 "$OUT/pip.log"; fail "pip install pre-commit==$PRE_COMMIT_VERSION failed"; }
fi
mkdir -p "$SCRATCH/bin"
ln -s "$DIST" "$SCRATCH/bin/http-status-ls" # language: system runs the http-status-ls on PATH
try_repo() { # dir expected-exit: pre-commit try-repo ROOT http-status-ls --all-files in dir
  local rc=0
  (cd "$1" && git init -q && git add -A &&
    PRE_COMMIT_HOME=$SCRATCH/pre-commit-home PATH=$SCRATCH/bin:$CLEAN_PATH \
      python3 -m pre_commit try-repo "$ROOT" http-status-ls --all-files --color never) >"$OUT/pre-commit-$(basename "$1").txt" 2>&1 || rc=$?
  [ $rc = "$2" ] || { cat "$OUT/pre-commit-$(basename "$1").txt"; fail "pre-commit try-repo in $(basename "$1") exited $rc, not $2"; }
}
mkdir -p "$SCRATCH/findings" "$SCRATCH/clean"
cp -r tests/apps/express-shop/src "$SCRATCH/findings/"
try_repo "$SCRATCH/findings" 1
grep -q 'http-status-ls.*Failed' "$OUT/pre-commit-findings.txt" &&
  grep -q 'redirect-changes-method' "$OUT/pre-commit-findings.txt" ||
  { cat "$OUT/pre-commit-findings.txt"; fail "the hook did not fail with redirect-changes-method"; }
echo "app.post('/login', (req, res) => res.redirect(303, '/home'));" >"$SCRATCH/clean/app.js"
try_repo "$SCRATCH/clean" 0
grep -q 'http-status-ls.*Passed' "$OUT/pre-commit-clean.txt" ||
  { cat "$OUT/pre-commit-clean.txt"; fail "the hook did not pass on clean code"; }
echo "packages: pre-commit try-repo: fails with the finding, passes on clean code, in $(ms "$t") ms"
