#!/usr/bin/env node
// The `http-status-ls` command of the npm package: finds the native binary that the package for
// this platform (`@http-status-ls/cli-<platform>-<arch>`, an optional dependency that npm installs
// only where its `os` and `cpu` match) carries, and runs it with the same arguments, stdio and
// exit code. HTTP_STATUS_LS_BINARY=/path/to/http-status-ls overrides the lookup.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const exe = process.platform === 'win32' ? 'http-status-ls.exe' : 'http-status-ls';
const pkg = `@http-status-ls/cli-${process.platform}-${process.arch}`;
const optional = Object.keys(require('../package.json').optionalDependencies || {});

function binary() {
  const override = process.env.HTTP_STATUS_LS_BINARY;
  if (override) return override;
  if (!optional.includes(pkg)) {
    fail(`no prebuilt binary for ${process.platform}-${process.arch} (packages exist for: ` +
      `${optional.map((name) => name.replace('@http-status-ls/cli-', '')).join(', ')}).\n` +
      'Build it with `cargo install --path server` from a checkout of the repository and set ' +
      'HTTP_STATUS_LS_BINARY to it, or put it on PATH and run `http-status-ls` directly.');
  }
  try {
    // Resolved from this package, so it works with hoisted, nested and pnpm layouts.
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', exe);
  } catch {
    fail(`the package ${pkg} is not installed. npm installs it with http-status-ls unless ` +
      'optional dependencies were skipped (--omit=optional, --no-optional) or the lockfile was ' +
      'made on another platform: reinstall with `npm install`, or `npm install -D ' + pkg + '`.');
  }
}

function fail(message) {
  process.stderr.write(`http-status-ls (npm): ${message}\n`);
  process.exit(2); // the CLI's own code for "could not run"
}

const command = binary();
const result = spawnSync(command, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
if (result.error) fail(`could not run ${command}: ${result.error.message}`);
if (result.signal) {
  process.kill(process.pid, result.signal); // die the same way the binary did
  process.exit(1);
} else {
  process.exit(result.status ?? 2);
}
