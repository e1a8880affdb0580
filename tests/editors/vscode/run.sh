#!/usr/bin/env bash
# One VS Code end-to-end run: install the packaged extension into a throwaway code-server profile,
# start code-server on loopback, drive it with Playwright (drive.mjs), stop it by PID.
# Usage: run.sh SERVER_BINARY VSIX WORKSPACE_DIR FILE OUT_DIR   (tests/editors.sh installs everything first)
# SERVER_BINARY `bundled`: no `http-status-ls.path` setting and no http-status-ls on code-server's
# PATH, so the extension can only start the server that the platform VSIX carries.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SERVER=$1; VSIX=$2; SRC=$(cd "$3" && pwd); FILE=$4
rm -rf "$5"; OUT=$(mkdir -p "$5" && cd "$5" && pwd)
CS="$HERE/node_modules/.bin/code-server"
PORT=${PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
TMP=$(mktemp -d); UD=$TMP/user-data; EXT=$TMP/extensions
mkdir -p "$UD/User" "$UD/Machine"
# a copy of the workspace: VS Code saves the files a code action changes
WS=$TMP/ws; cp -r "$SRC" "$WS"
# the binary under test, through the extension's own setting; `http-status-ls.path` is
# machine-scoped, so in code-server it belongs to the machine (remote) settings
CS_PATH=$PATH
if [ "$SERVER" = bundled ]; then
  CS_PATH=
  IFS=: read -r -a dirs <<<"$PATH"
  for d in "${dirs[@]}"; do
    [ -n "$d" ] && [ ! -e "$d/http-status-ls" ] && CS_PATH=${CS_PATH:+$CS_PATH:}$d
  done
  echo '{}' > "$UD/Machine/settings.json"
else
  cat > "$UD/Machine/settings.json" <<JSON
{ "http-status-ls.path": "$SERVER" }
JSON
fi
# a quiet, deterministic workbench
cat > "$UD/User/settings.json" <<JSON
{
  "http-status-ls.trace.server": "verbose",
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "workbench.enableExperiments": false,
  "workbench.tips.enabled": false,
  "git.enabled": false,
  "editor.hover.delay": 150,
  "editor.minimap.enabled": false,
  "typescript.validate.enable": false,
  "javascript.validate.enable": false
}
JSON
t=$(date +%s%N)
"$CS" --user-data-dir "$UD" --extensions-dir "$EXT" --install-extension "$VSIX" >"$OUT/install.log" 2>&1 || {
  echo "code-server --install-extension $VSIX failed:"; cat "$OUT/install.log"; exit 1; }
echo "vscode: extension installed from the .vsix in $(( ($(date +%s%N)-t)/1000000 )) ms"
t=$(date +%s%N)
PATH=$CS_PATH "$CS" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$UD" --extensions-dir "$EXT" "$WS" >"$OUT/code-server.log" 2>&1 &
CS_PID=$!
# on exit: stop code-server (by PID), keep its logs (extension host, the client's output channel)
trap 'kill $CS_PID 2>/dev/null; wait $CS_PID 2>/dev/null; rm -rf "$OUT/vscode-logs"; cp -r "$UD/logs" "$OUT/vscode-logs" 2>/dev/null; rm -rf "$TMP"' EXIT
up=0
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then up=1; break; fi
  kill -0 $CS_PID 2>/dev/null || break
  sleep 0.5
done
if [ $up = 0 ]; then echo "code-server did not start:"; tail -30 "$OUT/code-server.log"; exit 1; fi
echo "vscode: code-server up in $(( ($(date +%s%N)-t)/1000000 )) ms (port $PORT)"
rc=0
EXPECT_SOURCE=
[ "$SERVER" = bundled ] && EXPECT_SOURCE='bundled with the extension'
MODE=${MODE:-} EXPECT_SOURCE=$EXPECT_SOURCE CS_URL="http://127.0.0.1:$PORT" WS="$WS" LSP_FILE="$FILE" OUT="$OUT" SETTINGS="$UD/User/settings.json" LOGS="$UD/logs" \
  node "$HERE/drive.mjs" >"$OUT/drive.log" 2>&1 || rc=$?
exit $rc
