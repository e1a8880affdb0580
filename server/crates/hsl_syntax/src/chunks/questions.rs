//! The questions a reader asks about the rest of the file while it reads one statement ("is
//! `app` declared as an Express app?"), with their answers: a statement's facts stand only while
//! every answer does, so the chunked extraction asks them again of the next version of the text.
//! A reader that looks elsewhere without a question to record says so ([`Questions::look_outside`]),
//! and the statement is never reused.

use std::collections::HashMap;

/// The record of questions about the rest of the file, kept by each reader and read by the
/// chunked extraction around every statement it reads.
#[derive(Debug, Default)]
pub(crate) struct Questions {
    /// Every answer learned for this text, asked by any statement.
    answers: HashMap<String, bool>,
    /// The questions the statement being read asked, with their answers.
    asked: Vec<(String, bool)>,
    /// Questions are answered from `answers` only: the text read is one statement parsed on
    /// its own, and the rest of the file is out of reach.
    known_only: bool,
    /// A question could not be answered that way.
    unanswerable: bool,
    /// The reader looked outside the statement without recording a question.
    looked_outside: bool,
}

impl Questions {
    /// The answer to `question` if it is known, else `None`: the reader works it out and
    /// [`Self::learn`]s it. With the rest of the file out of reach an unknown answer is `false`,
    /// and the statement being read is not used.
    pub fn known(&mut self, question: &str) -> Option<bool> {
        if let Some(known) = self.answers.get(question) {
            return Some(*known);
        }
        if self.known_only {
            self.unanswerable = true;
            return Some(false);
        }
        None
    }

    /// Remembers the answer the reader worked out.
    pub fn learn(&mut self, question: &str, answer: bool) {
        self.answers.insert(question.to_string(), answer);
    }

    /// Records that the statement being read depends on the answer to `question`.
    pub fn depend_on(&mut self, question: &str, answer: bool) {
        if !self.asked.iter().any(|(asked, _)| asked == question) {
            self.asked.push((question.to_string(), answer));
        }
    }

    /// Records that reading the statement looked into another statement in a way no question
    /// records (a handler found in an inline module, code outside any function).
    pub fn look_outside(&mut self) {
        self.looked_outside = true;
    }

    /// Every answer learned so far.
    pub(super) fn answers(&self) -> &HashMap<String, bool> {
        &self.answers
    }

    /// Answers from `known` only (the answers of the previous version of the text): the text
    /// read is one statement parsed on its own.
    pub(super) fn answer_only_from(&mut self, known: &HashMap<String, bool>) {
        self.answers = known.clone();
        self.known_only = true;
    }

    /// Starts reading a statement.
    pub(super) fn start_statement(&mut self) {
        self.asked.clear();
        self.unanswerable = false;
        self.looked_outside = false;
    }

    /// Ends reading a statement: the questions it depends on, and whether its facts may never
    /// be reused (it looked outside, or a question had no answer).
    pub(super) fn finish_statement(&mut self) -> (Vec<(String, bool)>, bool) {
        let foreign = self.looked_outside || self.unanswerable;
        (std::mem::take(&mut self.asked), foreign)
    }
}
