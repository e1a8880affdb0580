#!/usr/bin/env node
// Packs the npm packages of http-status-ls into tarballs (`npm pack`), ready for `npm publish`:
//   - `http-status-ls`: the launcher (http-status-ls/, committed as it ships);
//   - `@http-status-ls/cli-<platform>-<arch>`: the native binary for one platform, with `os` and
//     `cpu` set so that npm installs it only there. Generated here from the binary given.
//
//   node editors/npm/pack.mjs --binary target/dist/http-status-ls [--platform linux-x64] [--out target/npm]
//
// --platform is `<process.platform>-<process.arch>` of the machine the binary runs on (default:
// this machine's); it must be one of the launcher's optionalDependencies. A release runs this once
// per platform (each on a machine that builds that binary) and publishes every platform package,
// then the launcher. Prints the paths of the tarballs, one a line, on stdout.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function fail(message) {
  console.error(`editors/npm/pack.mjs: ${message}`);
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
  if (arg.startsWith('--') && !['--binary', '--platform', '--out'].includes(arg)) fail(`unknown option ${arg}`);
}
const binary = option('--binary');
if (!binary) fail('--binary PATH is required (the server built with `cargo build --profile dist`)');
const binaryPath = path.resolve(binary);
if (!fs.existsSync(binaryPath) || !fs.statSync(binaryPath).isFile()) fail(`no such file: ${binaryPath}`);
const platform = option('--platform') ?? `${process.platform}-${process.arch}`;
const out = path.resolve(option('--out') ?? path.join(root, 'target', 'npm'));

const launcherDir = path.join(here, 'http-status-ls');
const launcher = JSON.parse(fs.readFileSync(path.join(launcherDir, 'package.json'), 'utf8'));
// One version for the crate and every package.
const crateVersion = /^version\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(path.join(root, 'server', 'Cargo.toml'), 'utf8'))?.[1];
if (launcher.version !== crateVersion) {
  fail(`http-status-ls/package.json has version ${launcher.version}, server/Cargo.toml ${crateVersion}: make them equal`);
}
const name = `@http-status-ls/cli-${platform}`;
const pinned = launcher.optionalDependencies?.[name];
if (!pinned) {
  fail(`${name} is not among the launcher's optionalDependencies (${Object.keys(launcher.optionalDependencies ?? {}).join(', ')})`);
}
if (pinned !== launcher.version) fail(`the launcher pins ${name}@${pinned}, not ${launcher.version}`);
const [os, cpu] = platform.split('-');
const exe = os === 'win32' ? 'http-status-ls.exe' : 'http-status-ls';

// The platform package, staged under OUT/stage/ (never in the repository).
const stage = path.join(out, 'stage', `cli-${platform}`);
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(path.join(stage, 'bin'), { recursive: true });
fs.copyFileSync(binaryPath, path.join(stage, 'bin', exe));
fs.chmodSync(path.join(stage, 'bin', exe), 0o755);
fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify({
  name,
  version: launcher.version,
  description: `The ${platform} binary of http-status-ls (installed by the http-status-ls package)`,
  license: launcher.license,
  repository: { ...launcher.repository, directory: 'editors/npm' },
  os: [os],
  cpu: [cpu],
  files: ['bin/'],
  preferUnplugged: true,
}, null, 2)}\n`);
fs.writeFileSync(path.join(stage, 'README.md'),
  `# ${name}\n\nThe \`http-status-ls\` binary for ${platform}. Install \`http-status-ls\` instead: it ` +
  'depends on this package and runs the binary (`npx http-status-ls check`).\n');
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(stage, 'LICENSE'));

// The launcher, packed from a copy that also holds the LICENSE.
const launcherStage = path.join(out, 'stage', 'http-status-ls');
fs.rmSync(launcherStage, { recursive: true, force: true });
fs.cpSync(launcherDir, launcherStage, { recursive: true });
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(launcherStage, 'LICENSE'));

const pack = (dir) => {
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' });
  return path.join(out, JSON.parse(json)[0].filename);
};
fs.mkdirSync(out, { recursive: true });
console.log(pack(stage));
console.log(pack(launcherStage));
