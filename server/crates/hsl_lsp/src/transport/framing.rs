//! Reading the client's frames so that one bad frame costs that frame, never the session.
//!
//! A frame is a header block (`Content-Length: N`, maybe `Content-Type: …`, an empty line) and
//! a body of N bytes. Clients get N wrong (counting characters instead of bytes), leave it out,
//! or announce more than we buffer; trusting N blindly then reads every later frame from the
//! wrong place. Two facts make recovery safe: a header line (`Content-Length:`, digits, a raw
//! line end) cannot occur inside valid JSON, whose strings hold no raw line ends; and a body is
//! one JSON value. So a header found inside a declared body ends it early, a body that is cut
//! short continues up to the next header, and bytes outside any frame are skipped up to the
//! next header. A body recovered this way is kept if it is valid JSON.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt};

use super::headers::{Block, HeaderLine, MAX_HEADER_LINE, find_header, header_block, header_line};

/// Frames larger than this are refused and skipped unread rather than buffered.
pub const MAX_FRAME: usize = 64 * 1024 * 1024;
/// Bytes asked of the input per read.
const CHUNK: usize = 64 * 1024;

/// What the reader made of the next stretch of input.
#[derive(Debug)]
pub enum Read {
    /// A JSON body, with a note when it was recovered or repaired (for the log).
    Message {
        body: Vec<u8>,
        value: Value,
        repaired: Option<Repair>,
    },
    /// Bytes that could not be read as a message, and why.
    Broken { bytes: Vec<u8>, reason: String },
    /// A frame announced as larger than [`MAX_FRAME`], skipped without being kept.
    Oversized(usize),
}

/// How a message had to be repaired before it could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repair {
    /// Its `Content-Length` was wrong or missing: the body was found around it.
    Length,
    /// It held text that is not Unicode (lone UTF-16 surrogates, bytes that are not UTF-8),
    /// read as U+FFFD.
    Unicode,
}

/// What came of waiting for input.
enum Fill {
    Data,
    /// Nothing arrived for the reader's patience.
    Idle,
    End,
}

/// The client's side of the connection, read frame by frame.
pub struct FrameReader<R> {
    input: R,
    buffer: Vec<u8>,
    /// Bytes before this offset are consumed.
    start: usize,
    at_end: bool,
    /// An oversized body follows: it is skipped before the next frame is looked for.
    skipping: bool,
    /// How long a frame that is not complete is waited for before what arrived is judged.
    patience: Duration,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    /// A reader that waits `patience` for the rest of a broken frame before judging it.
    pub fn new(input: R, patience: Duration) -> FrameReader<R> {
        FrameReader {
            input,
            buffer: Vec::new(),
            start: 0,
            at_end: false,
            skipping: false,
            patience,
        }
    }

    /// The next message, broken stretch or refused frame; `None` at the end of input.
    pub async fn next(&mut self) -> Option<Read> {
        if self.skipping {
            self.skipping = false;
            self.skip_unread().await;
        }
        loop {
            self.skip_blank();
            match header_line(self.pending()) {
                HeaderLine::Line => {
                    if let Some(read) = self.frame().await {
                        return Some(read);
                    }
                }
                HeaderLine::NeedMore => {
                    if !self.wait_for_more().await {
                        return None;
                    }
                }
                HeaderLine::Not => {
                    if let Some(read) = self.skip_to_header().await {
                        return Some(read);
                    }
                }
            }
        }
    }

    fn pending(&self) -> &[u8] {
        self.buffer.get(self.start..).unwrap_or(&[])
    }

    fn consume(&mut self, count: usize) -> Vec<u8> {
        let end = self.start.saturating_add(count).min(self.buffer.len());
        let bytes = self.buffer.get(self.start..end).unwrap_or(&[]).to_vec();
        self.start = end;
        bytes
    }

    /// Line ends and blanks between frames are not worth a reply.
    fn skip_blank(&mut self) {
        let blank = self
            .pending()
            .iter()
            .take_while(|byte| byte.is_ascii_whitespace())
            .count();
        self.start += blank;
    }

    /// Waits for input (however long); false at the end of input.
    async fn wait_for_more(&mut self) -> bool {
        !matches!(self.fill(None).await, Fill::End)
    }

    async fn fill(&mut self, patience: Option<Duration>) -> Fill {
        if self.at_end {
            return Fill::End;
        }
        if self.start > 0 && self.start * 2 >= self.buffer.len() {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.reserve(CHUNK);
        let read = match patience {
            Some(patience) => {
                match tokio::time::timeout(patience, self.input.read_buf(&mut self.buffer)).await {
                    Ok(read) => read,
                    Err(_) => return Fill::Idle,
                }
            }
            None => self.input.read_buf(&mut self.buffer).await,
        };
        match read {
            Ok(0) | Err(_) => {
                self.at_end = true;
                Fill::End
            }
            Ok(_) => Fill::Data,
        }
    }

    /// Reads the frame whose header starts the input; `None` when the input ended inside its
    /// header block.
    async fn frame(&mut self) -> Option<Read> {
        let (header_len, length) = loop {
            match header_block(self.pending()) {
                Block::Complete { len, length } => break (len, length),
                Block::NeedMore => {
                    if !self.wait_for_more().await {
                        self.start = self.buffer.len();
                        return None;
                    }
                }
            }
        };
        self.start += header_len;
        Some(match length {
            Some(length) if length > MAX_FRAME => {
                // Refused at once; the body is skipped when the next frame is asked for.
                self.skipping = true;
                Read::Oversized(length)
            }
            Some(length) => self.declared_body(length).await,
            None => self.recovered_body(0, Repair::Length).await,
        })
    }

    /// A body of the declared length, unless a header inside it or a stall before its end
    /// shows the length was wrong.
    async fn declared_body(&mut self, length: usize) -> Read {
        let mut scanned = 0;
        loop {
            let pending = self.pending();
            // A header that starts inside the body may end just after it.
            let window_len = pending.len().min(length.saturating_add(MAX_HEADER_LINE));
            let window = pending.get(..window_len).unwrap_or(&[]);
            let unresolved = match find_header(window, scanned) {
                Ok(header) if header < length => {
                    return self.recovered_body(header, Repair::Length).await;
                }
                Ok(_) => false,
                Err(rescan) => {
                    scanned = rescan;
                    rescan < length && rescan < window_len
                }
            };
            let have_all = pending.len() >= length;
            if have_all && !unresolved {
                return self.complete_body(length).await;
            }
            match self.fill(Some(self.patience)).await {
                Fill::Data => {}
                Fill::Idle | Fill::End if have_all => return self.complete_body(length).await,
                Fill::Idle => {
                    // The client stopped short of its length: a complete value is the message.
                    if let Some(read) = self.stalled_body() {
                        return read;
                    }
                }
                Fill::End => return self.broken(usize::MAX, "the input ended inside a frame"),
            }
        }
    }

    /// The declared bytes are all here: a value, a value cut short (the length was too small:
    /// the rest follows), or not JSON.
    async fn complete_body(&mut self, length: usize) -> Read {
        let body = self.pending().get(..length).unwrap_or(&[]);
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => {
                let body = self.consume(length);
                Read::Message {
                    body,
                    value,
                    repaired: None,
                }
            }
            Err(error) if error.is_eof() => self.recovered_body(length, Repair::Length).await,
            Err(_) => {
                let body = self.consume(length);
                read_repaired(body, None)
            }
        }
    }

    /// What arrived of a body whose end never came, if it is a whole value.
    fn stalled_body(&mut self) -> Option<Read> {
        let pending = self.pending();
        let last = pending
            .iter()
            .rev()
            .find(|byte| !byte.is_ascii_whitespace());
        if !matches!(last, Some(b'}' | b']')) {
            return None;
        }
        let value = serde_json::from_slice::<Value>(pending).ok()?;
        let body = self.consume(pending.len());
        Some(Read::Message {
            body,
            value,
            repaired: Some(Repair::Length),
        })
    }

    /// A body that runs from the front of the input up to the next header (or to what arrived
    /// when the input stalls or ends); the first `known` bytes are already here and hold none.
    async fn recovered_body(&mut self, known: usize, repair: Repair) -> Read {
        let mut scanned = known;
        let end = loop {
            match find_header(self.pending(), scanned) {
                Ok(header) => break header,
                Err(rescan) => scanned = rescan,
            }
            if !matches!(self.fill(Some(self.patience)).await, Fill::Data) {
                break self.pending().len();
            }
        };
        let body = self.consume(end);
        read_repaired(body, Some(repair))
    }

    fn broken(&mut self, count: usize, reason: &str) -> Read {
        let bytes = self.consume(count);
        Read::Broken {
            bytes,
            reason: reason.to_string(),
        }
    }

    /// Bytes outside any frame: skipped up to the next header.
    async fn skip_to_header(&mut self) -> Option<Read> {
        let mut scanned = 1;
        loop {
            match find_header(self.pending(), scanned) {
                Ok(header) => return Some(self.broken(header, "bytes outside a frame")),
                Err(rescan) => scanned = rescan,
            }
            if !self.wait_for_more().await {
                let rest = self.pending().len();
                let only_blank = self.pending().iter().all(u8::is_ascii_whitespace);
                return (!only_blank).then(|| self.broken(rest, "bytes outside a frame"));
            }
        }
    }

    /// Discards input up to the next header without keeping it (an oversized body).
    async fn skip_unread(&mut self) {
        let mut scanned = 0;
        loop {
            match find_header(self.pending(), scanned) {
                Ok(header) => {
                    self.start += header;
                    return;
                }
                Err(rescan) => {
                    // Everything before the possible start of a header can go.
                    self.start += rescan;
                    scanned = 0;
                }
            }
            if !self.wait_for_more().await {
                self.start = self.buffer.len();
                return;
            }
        }
    }
}

/// Reads a body as JSON, repairing text that is not Unicode if that is what stops it; a body
/// that still is not JSON is broken.
fn read_repaired(body: Vec<u8>, repaired: Option<Repair>) -> Read {
    match serde_json::from_slice::<Value>(&body) {
        Ok(value) => Read::Message {
            body,
            value,
            repaired,
        },
        Err(error) => match super::judge::repair_unicode(&body) {
            Some(fixed) => match serde_json::from_slice::<Value>(&fixed) {
                Ok(value) => Read::Message {
                    body: fixed,
                    value,
                    repaired: Some(Repair::Unicode),
                },
                Err(error) => Read::Broken {
                    bytes: body,
                    reason: error.to_string(),
                },
            },
            None => Read::Broken {
                bytes: body,
                reason: error.to_string(),
            },
        },
    }
}

#[cfg(test)]
mod tests;
