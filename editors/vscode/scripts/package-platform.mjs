#!/usr/bin/env node
// Builds a platform-specific .vsix that carries the server: copies the binary to
// `server/http-status-ls` (`.exe` on Windows), runs `vsce package --target <target>`, then removes
// the copy. The extension starts that binary unless `http-status-ls.path` is set.
//
//   npm run package:platform -- --binary ../../target/dist/http-status-ls [--target linux-x64] [--out file.vsix]
//
// The binary is the repository's `dist` build (`cargo build --profile dist`); --target defaults to
// this machine's (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64,
// alpine-x64, alpine-arm64: VS Code's names). Output: http-status-ls-<target>.vsix in this folder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const TARGETS = ['linux-x64', 'linux-arm64', 'linux-armhf', 'alpine-x64', 'alpine-arm64',
  'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];

function fail(message) {
  console.error(`package-platform: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  if (i + 1 >= args.length) fail(`${name} needs a value`);
  return args[i + 1];
};
for (const arg of args) {
  if (arg.startsWith('--') && !['--binary', '--target', '--out'].includes(arg)) fail(`unknown option ${arg}`);
}
const binary = option('--binary');
if (!binary) fail('--binary PATH is required (the server built with `cargo build --profile dist`)');
const binaryPath = path.resolve(binary);
if (!fs.existsSync(binaryPath) || !fs.statSync(binaryPath).isFile()) fail(`no such file: ${binaryPath}`);
const target = option('--target') ?? `${process.platform}-${process.arch}`;
if (!TARGETS.includes(target)) fail(`unknown target ${target}; one of ${TARGETS.join(', ')}`);
const out = path.resolve(option('--out') ?? path.join(here, `http-status-ls-${target}.vsix`));

const serverDir = path.join(here, 'server');
const exe = target.startsWith('win32') ? 'http-status-ls.exe' : 'http-status-ls';
fs.rmSync(serverDir, { recursive: true, force: true });
fs.mkdirSync(serverDir);
try {
  fs.copyFileSync(binaryPath, path.join(serverDir, exe));
  fs.chmodSync(path.join(serverDir, exe), 0o755);
  const vsce = path.join(here, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  if (!fs.existsSync(vsce)) fail(`${vsce} is missing: run \`npm ci\` in ${here}`);
  execFileSync(vsce, ['package', '--skip-license', '--target', target, '-o', out], { cwd: here, stdio: 'inherit' });
} finally {
  fs.rmSync(serverDir, { recursive: true, force: true });
}
console.log(`package-platform: ${path.relative(process.cwd(), out) || out} (${target}, server from ${binaryPath})`);
