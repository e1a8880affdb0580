//! A small LSP client over the real binary's stdio, shared by `tests/lsp.rs` and
//! `server/benches/lsp.rs`: Content-Length framing, a reader thread that answers server requests
//! with `null`, and a timeout on every wait.
#![allow(dead_code)] // Each user takes what it needs.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Lsp {
    pub child: Child,
    /// Shared with the reader thread (it answers server requests); `None` once closed.
    pub stdin: Arc<Mutex<Option<ChildStdin>>>,
    /// Each message with the moment the reader thread had it parsed.
    pub rx: Receiver<(Instant, Value)>,
    /// Messages read but not yet consumed by a wait, with when they were read.
    pub pending: VecDeque<(Instant, Value)>,
    /// When the message the last wait returned was read and parsed: latency figures end here,
    /// not after this client's own bookkeeping (copies into `log`, `pending`).
    pub received_at: Option<Instant>,
    /// Every server-to-client message ever read, for assertions about what was sent.
    pub log: Vec<Value>,
    pub next_id: i64,
    pub utf8: bool,
}

pub fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

pub fn write_raw(stdin: &Arc<Mutex<Option<ChildStdin>>>, bytes: &[u8]) {
    let mut guard = stdin.lock().expect("stdin lock");
    let stdin = guard.as_mut().expect("stdin open");
    stdin.write_all(bytes).expect("write to server");
    stdin.flush().expect("flush");
}

pub struct Options {
    pub utf8: bool,
    pub root: Option<PathBuf>,
    pub progress: bool,
    /// `initializationOptions.diagnosticsDelayMs`.
    pub delay_ms: u64,
    /// Offer pull diagnostics (`textDocument/diagnostic`).
    pub pull: bool,
    /// With `pull`, also accept `workspace/diagnostic/refresh` (Neovim 0.11 pulls without).
    pub refresh: bool,
    /// With `pull`, take reports of related documents with a pull (`relatedDocumentSupport`;
    /// VS Code's client does not).
    pub related: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            utf8: false,
            root: None,
            progress: true,
            delay_ms: 20,
            pull: false,
            refresh: true,
            related: false,
        }
    }
}

impl Lsp {
    pub fn start() -> Lsp {
        Lsp::start_with(Options::default())
    }

    pub fn spawn() -> Lsp {
        Lsp::spawn_with_args(&[])
    }

    pub fn spawn_with_args(args: &[&str]) -> Lsp {
        let mut child = Command::new(env!("CARGO_BIN_EXE_http-status-ls"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn http-status-ls");
        let stdin = Arc::new(Mutex::new(child.stdin.take()));
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        let answer = stdin.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(message) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                // Server-to-client requests (progress tokens, registrations) get a null result.
                if message.get("method").is_some()
                    && let Some(id) = message.get("id")
                {
                    let reply = json!({"jsonrpc": "2.0", "id": id, "result": null}).to_string();
                    let mut guard = answer.lock().expect("stdin lock");
                    if let Some(stdin) = guard.as_mut() {
                        let _ = stdin.write_all(&frame(&reply));
                        let _ = stdin.flush();
                    }
                }
                if tx.send((Instant::now(), message)).is_err() {
                    return;
                }
            }
        });
        Lsp {
            child,
            stdin,
            rx,
            pending: VecDeque::new(),
            received_at: None,
            log: Vec::new(),
            next_id: 1,
            utf8: false,
        }
    }

    pub fn start_with(options: Options) -> Lsp {
        let mut lsp = Lsp::spawn();
        let result = lsp.initialize(&options);
        lsp.utf8 = result["capabilities"]["positionEncoding"] == "utf-8";
        lsp.notify("initialized", json!({}));
        lsp
    }

    pub fn initialize(&mut self, options: &Options) -> Value {
        let encodings = if options.utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let folders = options
            .root
            .as_ref()
            .map(|root| json!([{"uri": uri_of(root), "name": "root"}]));
        let mut text_document =
            json!({"publishDiagnostics": {"relatedInformation": true, "versionSupport": true}});
        if options.pull {
            text_document["diagnostic"] = json!({"relatedDocumentSupport": options.related});
        }
        self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": options.root.as_ref().map(|r| uri_of(r)),
                "workspaceFolders": folders,
                "initializationOptions": {"diagnosticsDelayMs": options.delay_ms},
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "window": {"workDoneProgress": options.progress},
                    "workspace": {
                        "didChangeWatchedFiles": {"dynamicRegistration": true},
                        "diagnostics": {"refreshSupport": options.pull && options.refresh}
                    },
                    "textDocument": text_document
                }
            }),
        )
    }

    pub fn send(&mut self, message: Value) {
        write_raw(&self.stdin, &frame(&message.to_string()));
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its whole response message.
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("response to {method}"), |m| {
            m.get("id") == Some(&json!(id)) && m.get("method").is_none()
        })
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    pub fn next_message(&mut self, deadline: Instant) -> Option<Value> {
        self.next_timed(deadline).map(|(_, message)| message)
    }

    fn next_timed(&mut self, deadline: Instant) -> Option<(Instant, Value)> {
        let left = deadline.checked_duration_since(Instant::now())?;
        match self.rx.recv_timeout(left) {
            Ok((at, message)) => {
                self.log.push(message.clone());
                Some((at, message))
            }
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// The first message (pending or new) matching `pred`; panics after the timeout.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(|(_, m)| pred(m)) {
            let (received, message) = self.pending.remove(at).expect("pending");
            self.received_at = Some(received);
            return message;
        }
        let deadline = Instant::now() + TIMEOUT;
        while let Some((received, message)) = self.next_timed(deadline) {
            if pred(&message) {
                self.received_at = Some(received);
                return message;
            }
            self.pending.push_back((received, message));
        }
        panic!("timed out waiting for {what}; pending: {:?}", self.pending);
    }

    /// The diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics of {uri} v{version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    pub fn change_full(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    pub fn shutdown_and_exit(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    pub fn exit_code(mut self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// A position (line, character in the negotiated encoding) of a byte offset in `text`.
    pub fn position(&self, text: &str, offset: usize) -> Value {
        let before = text.get(..offset).expect("an offset in the text");
        let line = before.matches('\n').count();
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let in_line = before.get(start..).unwrap_or_default();
        let character = if self.utf8 {
            in_line.len()
        } else {
            in_line.encode_utf16().count()
        };
        json!({"line": line, "character": character})
    }

    /// The byte offset of a position in `text` (inverse of `position`).
    pub fn offset(&self, text: &str, position: &Value) -> usize {
        let line = position["line"].as_u64().expect("line") as usize;
        let character = position["character"].as_u64().expect("character") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let rest = text.get(start..).expect("a line of the text");
        let mut units = 0;
        for (i, ch) in rest.char_indices() {
            if units >= character || ch == '\n' {
                return start + i;
            }
            units += if self.utf8 {
                ch.len_utf8()
            } else {
                ch.len_utf16()
            };
        }
        text.len()
    }

    /// Applies a `WorkspaceEdit`'s edits for `uri` to `text`.
    pub fn apply(&self, text: &str, edit: &Value, uri: &str) -> String {
        let edits = edit["changes"][uri].as_array().expect("edits for uri");
        let mut ranged: Vec<(usize, usize, String)> = edits
            .iter()
            .map(|e| {
                (
                    self.offset(text, &e["range"]["start"]),
                    self.offset(text, &e["range"]["end"]),
                    e["newText"].as_str().expect("newText").to_string(),
                )
            })
            .collect();
        ranged.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
        let mut out = text.to_string();
        for (start, end, new_text) in ranged {
            out.replace_range(start..end, &new_text);
        }
        out
    }
}

impl Drop for Lsp {
    /// A failed test must not leave a server behind.
    fn drop(&mut self) {
        if let Ok(mut stdin) = self.stdin.lock() {
            stdin.take();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("http-status-ls-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
