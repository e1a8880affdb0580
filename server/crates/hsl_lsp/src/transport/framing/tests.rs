//! The framing against the ways clients get frames wrong: every case ends with a good frame
//! that must be read whole.

use std::time::Duration;

use serde_json::json;
use tokio::io::AsyncWriteExt;

use super::{FrameReader, MAX_FRAME, Read, Repair};

const GOOD: &str = r#"{"jsonrpc":"2.0","id":9,"method":"shutdown"}"#;

fn framed(length: usize, body: &str) -> String {
    format!("Content-Length: {length}\r\n\r\n{body}")
}

fn good() -> String {
    framed(GOOD.len(), GOOD)
}

/// Every read of `input`, which arrives at once and then ends.
async fn reads(input: &str) -> Vec<Read> {
    let mut reader = FrameReader::new(input.as_bytes(), Duration::from_millis(50));
    let mut reads = Vec::new();
    while let Some(read) = reader.next().await {
        reads.push(read);
    }
    reads
}

/// The id of a message read, and whether it needed a repair.
fn message(read: &Read) -> (serde_json::Value, Option<Repair>) {
    match read {
        Read::Message {
            value, repaired, ..
        } => (value["id"].clone(), *repaired),
        other => panic!("not a message: {other:?}"),
    }
}

fn ends_with_good(reads: &[Read]) {
    let last = reads.last().expect("a read");
    assert_eq!(message(last), (json!(9), None), "{reads:?}");
}

#[tokio::test]
async fn good_frames_are_read_as_sent() {
    let reads = reads(&format!("{}{}", good(), good())).await;
    assert_eq!(reads.len(), 2);
    ends_with_good(&reads);
    assert_eq!(message(&reads[0]), (json!(9), None));
}

#[tokio::test]
async fn a_length_too_short_is_read_up_to_the_next_header() {
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"x","params":{"text":"é"}}"#;
    // A client counting characters: one short for the `é`.
    let input = format!("{}{}", framed(body.chars().count(), body), good());
    let reads = reads(&input).await;
    assert_eq!(reads.len(), 2, "{reads:?}");
    assert_eq!(message(&reads[0]), (json!(1), Some(Repair::Length)));
    ends_with_good(&reads);
}

#[tokio::test]
async fn a_length_too_long_ends_at_the_next_header() {
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"x"}"#;
    for extra in [1, 5, 20, 400] {
        let input = format!("{}{}", framed(body.len() + extra, body), good());
        let reads = reads(&input).await;
        assert_eq!(reads.len(), 2, "+{extra}: {reads:?}");
        assert_eq!(message(&reads[0]), (json!(1), Some(Repair::Length)));
        ends_with_good(&reads);
    }
}

#[tokio::test]
async fn a_missing_length_is_found_from_the_body() {
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"x"}"#;
    let input = format!(
        "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{body}{}",
        good()
    );
    let reads = reads(&input).await;
    assert_eq!(reads.len(), 2, "{reads:?}");
    assert_eq!(message(&reads[0]), (json!(1), Some(Repair::Length)));
    ends_with_good(&reads);
}

#[tokio::test]
async fn an_oversized_frame_is_refused_unread() {
    let input = format!(
        "Content-Length: {}\r\n\r\n{{\"jsonrpc\":\"2.0\"}}{}",
        MAX_FRAME + 1,
        good()
    );
    let reads = reads(&input).await;
    assert!(
        matches!(reads[0], Read::Oversized(n) if n == MAX_FRAME + 1),
        "{reads:?}"
    );
    assert_eq!(reads.len(), 2);
    ends_with_good(&reads);
}

#[tokio::test]
async fn bytes_outside_frames_are_skipped() {
    let reads = reads(&format!("garbage {{\"a\": 1}}\n{}\r\n", good())).await;
    assert!(matches!(reads[0], Read::Broken { .. }), "{reads:?}");
    assert_eq!(reads.len(), 2);
    ends_with_good(&reads);
}

#[tokio::test]
async fn a_body_that_is_not_json_costs_only_itself() {
    let cut = r#"{"jsonrpc":"2.0","id":3,"method":"#;
    for body in ["{not json", cut] {
        let reads = reads(&format!("{}{}", framed(body.len(), body), good())).await;
        assert!(matches!(reads[0], Read::Broken { .. }), "{reads:?}");
        assert_eq!(reads.len(), 2);
        ends_with_good(&reads);
    }
}

#[tokio::test]
async fn header_words_inside_strings_are_text() {
    let body = r#"{"jsonrpc":"2.0","id":9,"method":"shutdown","params":{"t":"Content-Length: 5\r\n\r\nContent-Type: x"}}"#;
    let reads = reads(&framed(body.len(), body)).await;
    assert_eq!(reads.len(), 1);
    ends_with_good(&reads);
}

#[tokio::test]
async fn lone_surrogates_are_repaired() {
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"x","params":{"t":"a\ud800"}}"#;
    let reads = reads(&format!("{}{}", framed(body.len(), body), good())).await;
    assert_eq!(message(&reads[0]), (json!(1), Some(Repair::Unicode)));
    ends_with_good(&reads);
}

/// A client that sends a broken frame and then waits for the answer: what arrived is judged
/// after the reader's patience, without waiting for more.
#[tokio::test]
async fn a_stalled_client_is_answered() {
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"x","params":{"text":"é"}}"#;
    for length in [body.len() - 1, body.len() + 30] {
        let (mut client, server) = tokio::io::duplex(1 << 16);
        let mut reader = FrameReader::new(server, Duration::from_millis(20));
        client
            .write_all(framed(length, body).as_bytes())
            .await
            .expect("write");
        let read = reader.next().await.expect("a read");
        assert_eq!(message(&read), (json!(1), Some(Repair::Length)), "{length}");
        client.write_all(good().as_bytes()).await.expect("write");
        let read = reader.next().await.expect("a read");
        assert_eq!(message(&read), (json!(9), None));
    }
}

/// Found by the `lsp_session` fuzz target: a header line with two lengths run together
/// (`Content-Length: 12Content-Length: 127`) once made the reader add past `usize::MAX` when it
/// skipped the frame (a panic, with overflow checks on). The input is read to its end.
#[tokio::test]
async fn lengths_run_together_are_read_to_the_end() {
    let input = "Con-ent-Length: 12Content-Length: 127\r\n\r\n{\"jsonrp7\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"inc\": \"2.0\", \"id\": 1, \"method";
    let read = tokio::spawn(async move { reads(input).await.len() });
    assert!(read.await.is_ok(), "the reader panicked");
}
