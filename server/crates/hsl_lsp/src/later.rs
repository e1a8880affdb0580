//! Freeing a document's previous analysis off the path of the next one.
//!
//! The facts and findings of an 11k-line document are thousands of small allocations; freeing
//! them where they are replaced (in `didChange`, or while the new analysis is stored) puts
//! their cost between a keystroke and its diagnostics. They are handed to a thread that only
//! frees (and so never takes a malloc arena of its own).

use std::sync::OnceLock;
use std::sync::mpsc::{self, Sender};

type Garbage = Box<dyn Send>;

static QUEUE: OnceLock<Option<Sender<Garbage>>> = OnceLock::new();

/// Drops `value` on the freeing thread (here, if that thread cannot be started).
pub fn drop_later(value: impl Send + 'static) {
    let queue = QUEUE.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Garbage>();
        std::thread::Builder::new()
            .name("lsp-free".into())
            .spawn(move || receiver.into_iter().for_each(drop))
            .ok()?;
        Some(sender)
    });
    match queue {
        Some(sender) => {
            // A closed queue hands the value back: dropped here then.
            let _ = sender.send(Box::new(value));
        }
        None => drop(value),
    }
}
