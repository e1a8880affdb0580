// The http-status-ls VS Code extension: starts `http-status-ls` (LSP on stdio) for Rust,
// TypeScript and JavaScript files with vscode-languageclient, forwards the `http-status-ls.*`
// settings, and shows the server's state in the status bar.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

const SECTION = 'http-status-ls';
const LANGUAGES = ['rust', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'];
// Plain text: notifications do not render `code` spans.
const INSTALL_HINT =
  'Install the platform .vsix of this extension (it carries the server), or install the server ' +
  'from a checkout of the repository with "cargo install --path server", ' +
  'or set "http-status-ls.path" to the binary.';
const EXE = process.platform === 'win32' ? 'http-status-ls.exe' : 'http-status-ls';

type Level = 'error' | 'warning' | 'info' | 'hint' | 'off';

let client: LanguageClient | undefined;
/** Where a platform .vsix keeps its server: `server/http-status-ls` inside the extension. */
let bundledServer: string | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
/** The diagnostics as the server sent them, so a change of `http-status-ls.rules` can re-apply. */
const received = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  bundledServer = path.join(context.extensionPath, 'server', EXE);
  // vscode-languageclient 10+ calls .error()/.info() on its channel: it must be a log channel.
  output = vscode.window.createOutputChannel('http-status-ls', { log: true });
  status = vscode.window.createStatusBarItem('http-status-ls.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'http-status-ls';
  status.command = 'http-status-ls.showOutput';
  context.subscriptions.push(output, status);
  showStatus('starting');
  status.show();

  context.subscriptions.push(
    vscode.commands.registerCommand('http-status-ls.restart', async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand('http-status-ls.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(`${SECTION}.path`)) {
        output.info('http-status-ls.path changed: restarting the server');
        await stop();
        await start();
        return;
      }
      if (event.affectsConfiguration(`${SECTION}.trace.server`)) {
        traceLevelChanged.fire(traceLevel());
      }
      if (event.affectsConfiguration(`${SECTION}.rules`)) {
        output.info(`http-status-ls.rules changed: ${JSON.stringify(settings().rules)}`);
        reapplyRules();
      }
      if (event.affectsConfiguration(`${SECTION}.inlayHints.enable`)) {
        inlayHintsChanged.fire();
      }
      // The server itself hears about every change through workspace/didChangeConfiguration
      // (the client's `synchronize.configurationSection`).
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

function settings() {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    path: config.get<string>('path', ''),
    rules: config.get<Record<string, Level>>('rules', {}),
    // Sent only when the user set it, so that `inlay-hints` in http-status-ls.toml applies otherwise.
    inlayHints: explicitInlayHints(config),
  };
}

function explicitInlayHints(config: vscode.WorkspaceConfiguration): { enable: boolean } | undefined {
  const set = config.inspect<boolean>('inlayHints.enable');
  const enable = set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue;
  return enable === undefined ? undefined : { enable };
}

/**
 * The server to start: `http-status-ls.path` when set; else the binary a platform .vsix carries
 * (`server/http-status-ls`); else the first `http-status-ls` on PATH, then `~/.cargo/bin`.
 */
function findServer(): { command: string; source: string } | undefined {
  const configured = settings().path.trim();
  if (configured) {
    const resolved = configured.startsWith('~')
      ? path.join(process.env.HOME ?? '', configured.slice(1))
      : configured;
    return isExecutable(resolved) ? { command: resolved, source: 'http-status-ls.path' } : undefined;
  }
  if (bundledServer && isExecutable(bundledServer)) {
    return { command: bundledServer, source: 'bundled with the extension' };
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, EXE);
    if (dir && isExecutable(candidate)) return { command: candidate, source: 'PATH' };
  }
  const cargoBin = path.join(process.env.CARGO_HOME ?? path.join(process.env.HOME ?? '', '.cargo'), 'bin', EXE);
  return isExecutable(cargoBin) ? { command: cargoBin, source: '~/.cargo/bin' } : undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

const inlayHintsChanged = new vscode.EventEmitter<void>();
const traceLevelChanged = new vscode.EventEmitter<vscode.LogLevel>();

function traceLevel(): vscode.LogLevel {
  const value = vscode.workspace.getConfiguration(SECTION).get<string>('trace.server', 'off');
  return value === 'off' ? vscode.LogLevel.Info : vscode.LogLevel.Trace;
}

let traceOutput: vscode.OutputChannel | undefined;
/**
 * The client traces the protocol only when its trace channel's log level is Trace; this channel's
 * level follows `http-status-ls.trace.server` instead, so the setting alone turns tracing on and off.
 */
function traceChannel(): vscode.LogOutputChannel {
  traceOutput ??= vscode.window.createOutputChannel('http-status-ls (trace)');
  const channel = traceOutput;
  const line = (message: string) => channel.appendLine(`[${new Date().toISOString()}] ${message}`);
  return {
    name: channel.name,
    get logLevel() {
      return traceLevel();
    },
    onDidChangeLogLevel: traceLevelChanged.event,
    trace: line,
    debug: line,
    info: line,
    warn: line,
    error: (error: string | Error) => line(String(error)),
    append: (value: string) => channel.append(value),
    appendLine: (value: string) => channel.appendLine(value),
    replace: (value: string) => channel.replace(value),
    clear: () => channel.clear(),
    show: (preserveFocus?: boolean) => channel.show(preserveFocus),
    hide: () => channel.hide(),
    dispose: () => undefined, // the channel outlives a restart of the client
  } as vscode.LogOutputChannel;
}

async function start(): Promise<void> {
  const found = findServer();
  if (!found) {
    const configured = settings().path.trim();
    const what = configured
      ? `http-status-ls: the server binary ${configured} (setting http-status-ls.path) does not exist or is not executable.`
      : 'http-status-ls: this extension carries no server binary and "http-status-ls" was not found on PATH.';
    output.error(`${what} ${INSTALL_HINT}`);
    showStatus('missing');
    void vscode.window.showErrorMessage(`${what} ${INSTALL_HINT}`, 'Open Settings').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.path`);
      }
    });
    return;
  }
  const { command, source } = found;
  output.info(`starting ${command} (${source})`);
  // TransportKind.stdio makes the client append `--stdio` to the arguments itself.
  const serverOptions: ServerOptions = {
    run: { command, transport: TransportKind.stdio },
    debug: { command, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannel: output,
    traceOutputChannel: traceChannel(),
    initializationOptions: settings(),
    // Sends workspace/didChangeConfiguration with the whole `http-status-ls` section on change.
    synchronize: { configurationSection: SECTION },
    middleware: {
      handleDiagnostics(uri, diagnostics, next) {
        received.set(uri.toString(), { uri, diagnostics });
        next(uri, applyRules(diagnostics));
      },
      provideInlayHints(document, range, token, next) {
        return settings().inlayHints?.enable === false ? [] : next(document, range, token);
      },
    },
  };
  // The id `http-status-ls` makes the client read `http-status-ls.trace.server` itself.
  client = new LanguageClient(SECTION, 'http-status-ls', serverOptions, clientOptions);
  client.onDidChangeState((event) => {
    if (event.newState === State.Running) showStatus('running');
    else if (event.newState === State.Starting) showStatus('starting');
    else showStatus('stopped');
  });
  try {
    await client.start();
    showStatus('running');
    registerInlayHintRefresh();
  } catch (error) {
    output.error(`the server failed to start: ${String(error)}`);
    showStatus('stopped');
    void vscode.window.showErrorMessage(`http-status-ls: the server failed to start (${String(error)}). ${INSTALL_HINT}`);
  }
}

let refreshRegistration: vscode.Disposable | undefined;
function registerInlayHintRefresh(): void {
  // Ask VS Code to re-query inlay hints when `http-status-ls.inlayHints.enable` flips.
  refreshRegistration?.dispose();
  refreshRegistration = vscode.languages.registerInlayHintsProvider(
    LANGUAGES.map((language) => ({ language })),
    { onDidChangeInlayHints: inlayHintsChanged.event, provideInlayHints: () => [] },
  );
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  received.clear();
  refreshRegistration?.dispose();
  refreshRegistration = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output.warn(`stopping the server: ${String(error)}`);
    }
  }
  showStatus('stopped');
}

/** Applies `http-status-ls.rules` to the server's diagnostics (the server applies it too; both agree). */
function applyRules(diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  const rules = settings().rules;
  const result: vscode.Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    const level = code === undefined ? undefined : rules[String(code)];
    if (level === 'off') continue;
    if (level) {
      const copy = new vscode.Diagnostic(diagnostic.range, diagnostic.message, toSeverity(level));
      Object.assign(copy, diagnostic, { severity: toSeverity(level) });
      result.push(copy);
    } else {
      result.push(diagnostic);
    }
  }
  return result;
}

function reapplyRules(): void {
  const collection = client?.diagnostics;
  if (!collection) return;
  for (const { uri, diagnostics } of received.values()) {
    collection.set(uri, applyRules(diagnostics));
  }
}

function toSeverity(level: Exclude<Level, 'off'>): vscode.DiagnosticSeverity {
  switch (level) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
  }
}

function showStatus(state: 'starting' | 'running' | 'stopped' | 'missing'): void {
  const labels = {
    starting: ['$(sync~spin) http-status-ls', 'http-status-ls: starting'],
    running: ['$(check) http-status-ls', 'http-status-ls: running (click for the log)'],
    stopped: ['$(debug-stop) http-status-ls', 'http-status-ls: stopped (run "http-status-ls: Restart server")'],
    missing: ['$(error) http-status-ls', `http-status-ls: server binary not found. ${INSTALL_HINT}`],
  } as const;
  status.text = labels[state][0];
  status.tooltip = labels[state][1];
  status.backgroundColor =
    state === 'missing' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
}
