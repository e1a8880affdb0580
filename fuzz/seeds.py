#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora into fuzz/corpus/<target>/ from the project's own test
files (tests/fixtures, tests/apps) and the hand-written seeds in fuzz/seeds/.

The corpora are generated, never committed: run this before `cargo fuzz run` (fuzz/run.sh does).
Each seed is named after a hash of its bytes, as libFuzzer names the inputs it adds, so running
the script again adds nothing twice.

    python3 fuzz/seeds.py [--max-bytes N]
"""

import argparse
import hashlib
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "fuzz"
EXTENSIONS = {".js": 0, ".mjs": 0, ".cjs": 0, ".jsx": 0, ".ts": 1, ".mts": 1, ".cts": 1, ".tsx": 2, ".rs": 3}
# The selector byte the targets read: language_from(selector) in fuzz/src/lib.rs.
PIECES = 30  # len(PIECES) in fuzz/src/edits.rs; a kind byte below 128 picks one of them


def sources():
    for folder in ("tests/fixtures", "tests/apps"):
        for path in sorted((ROOT / folder).rglob("*")):
            if "node_modules" in path.parts or "target" in path.parts:
                continue
            if path.is_file() and path.suffix in EXTENSIONS:
                yield path


def write(target, data):
    folder = FUZZ / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    (folder / name).write_bytes(data)


def edits(text, rng, count):
    """Edit records of fuzz/src/edits.rs: offset (u16 LE), remove, kind [, text]."""
    out = bytearray()
    for _ in range(count):
        at = rng.randrange(len(text) + 1) if text else 0
        out += (at % 65536).to_bytes(2, "little")
        out.append(rng.randrange(4))
        if rng.random() < 0.8:
            out.append(rng.randrange(PIECES))
        else:
            word = rng.choice([b"res.status(302)", b"}", b"{", b"\"", b"/*", b"if x {", b"return;"])
            out.append(128 + len(word))
            out += word
    return bytes(out)


def lsp_session(uri, language_id, text, rng):
    """A client's whole output: initialize, open, a few edits and questions, shutdown, exit."""
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"capabilities": {"general": {"positionEncodings": ["utf-16"]}}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri, "languageId": language_id, "version": 1, "text": text}}},
    ]
    lines = text.split("\n")
    doc = {"uri": uri}
    next_id = 2
    for version in range(2, 5):
        line = rng.randrange(len(lines))
        character = rng.randrange(len(lines[line]) + 1)
        at = {"line": line, "character": character}
        messages.append({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": at, "end": at}, "text": rng.choice(["{", "\"", "1", "\n", "/*"])}]}})
        for method, params in [
            ("textDocument/hover", {"textDocument": doc, "position": at}),
            ("textDocument/completion", {"textDocument": doc, "position": at}),
            ("textDocument/inlayHint", {"textDocument": doc, "range": {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}}),
            ("textDocument/codeAction", {"textDocument": doc, "range": {"start": at, "end": at}, "context": {"diagnostics": []}}),
        ]:
            messages.append({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params})
            next_id += 1
    messages += [
        {"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": doc}},
        {"jsonrpc": "2.0", "id": next_id, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    out = bytearray()
    for message in messages:
        body = json.dumps(message).encode()
        out += b"Content-Length: %d\r\n\r\n" % len(body) + body
    return bytes(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-bytes", type=int, default=16384,
                        help="skip source files larger than this (the long runs use -max_len)")
    args = parser.parse_args()
    rng = random.Random(7)
    count = 0
    for path in sources():
        data = path.read_bytes()
        if len(data) > args.max_bytes or b"\0" in data:
            continue
        selector = EXTENSIONS[path.suffix]
        text = data.decode("utf-8", errors="replace")
        if selector == 3:
            write("analysis_rust", data)
        elif selector == 0:
            write("analysis_javascript", data)
        else:
            write("analysis_typescript", bytes([selector - 1]) + data)
        write("fix_validity", bytes([selector]) + data)
        write("incremental_edits", bytes([selector]) + data + b"\0" + edits(text, rng, 6))
        uri = "file:///fuzz/" + path.name
        language_id = {0: "javascript", 1: "typescript", 2: "typescriptreact", 3: "rust"}[selector]
        if len(data) < 4096:
            write("lsp_session", lsp_session(uri, language_id, text, rng))
        count += 1
    for config in sorted(ROOT.rglob("http-status-ls.toml")):
        if "target" not in config.parts and "node_modules" not in config.parts:
            write("config", config.read_bytes())
    hand = FUZZ / "seeds"
    if hand.is_dir():
        for folder in sorted(p for p in hand.iterdir() if p.is_dir()):
            for seed in sorted(folder.iterdir()):
                write(folder.name, seed.read_bytes())
    print(f"seeds: {count} source files into {FUZZ / 'corpus'}")


if __name__ == "__main__":
    main()
