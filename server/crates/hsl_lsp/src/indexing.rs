//! Indexing the workspace folders in the background: walk, read every file on rayon's pool,
//! report `$/progress` from a counter on a timer, then re-publish the open documents (their
//! handlers may have gained a method from a file just read).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tower_lsp_server::ls_types::{MessageType, NumberOrString};
use tower_lsp_server::{Bounded, NotCancellable, OngoingProgress};

use super::session::Session;

/// How often progress is reported while files are read.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

type Progress = OngoingProgress<Bounded, NotCancellable>;

impl Session {
    /// Indexes the workspace folders in the background, reporting `$/progress`.
    pub async fn index_workspace(self: Arc<Self>) {
        let roots = self.roots();
        if roots.is_empty() {
            return;
        }
        let walker = self.clone();
        let walk = tokio::task::spawn_blocking(move || {
            let files = walker.workspace.walk(&roots);
            let walked: std::collections::HashSet<&Path> =
                files.iter().map(PathBuf::as_path).collect();
            walker.workspace.retain_walked(&walked);
            files
        });
        // The progress token is a round trip with the client: it is asked for while the walk
        // runs, not between the walk and the index.
        let token = self.progress_token().await;
        let Ok(files) = walk.await else {
            return;
        };
        let total = files.len();
        let done = Arc::new(AtomicUsize::new(0));
        let mut indexed = self.read_all(files, done.clone());
        let progress = match token {
            Some(token) => Some(self.begin_progress(token, total).await),
            None => None,
        };
        loop {
            tokio::select! {
                _ = &mut indexed => break,
                () = tokio::time::sleep(PROGRESS_EVERY) => {
                    if let Some(progress) = &progress {
                        report(progress, done.load(Ordering::Relaxed), total).await;
                    }
                }
            }
        }
        self.finish(progress, total).await;
        self.schedule_others(None);
    }

    /// A progress token the client accepted, when it shows progress at all.
    async fn progress_token(&self) -> Option<NumberOrString> {
        if !self.progress_supported.load(Ordering::Acquire) {
            return None;
        }
        let token = NumberOrString::String(self.next_progress_token());
        self.client
            .create_work_done_progress(token.clone())
            .await
            .is_ok()
            .then_some(token)
    }

    /// Reads every file into the index in one parallel job, on rayon's pool rather than the
    /// blocking pool, which stays free for requests (a job per chunk of 256 files made both
    /// cores wait for the slowest file of each chunk). `done` counts the files read; the
    /// receiver completes when all are.
    fn read_all(
        self: &Arc<Self>,
        files: Vec<PathBuf>,
        done: Arc<AtomicUsize>,
    ) -> tokio::sync::oneshot::Receiver<()> {
        let (finished, indexed) = tokio::sync::oneshot::channel::<()>();
        let worker = self.clone();
        rayon::spawn(move || {
            use rayon::prelude::*;
            files.par_iter().for_each(|path| {
                // A panic in one file's extraction costs that file, not the index (nor the
                // process: a panic escaping a rayon job aborts).
                let read = catch_unwind(AssertUnwindSafe(|| worker.workspace.read(path)));
                if let Ok(Some(entry)) = read {
                    worker.workspace.insert_disk(entry);
                }
                done.fetch_add(1, Ordering::Relaxed);
            });
            let _ = finished.send(());
        });
        indexed
    }

    async fn begin_progress(&self, token: NumberOrString, total: usize) -> Progress {
        self.client
            .progress(token, "http-status-ls: indexing")
            .with_message(format!("0/{total} files"))
            .with_percentage(0)
            .begin()
            .await
    }

    /// Ends the progress and logs what the index holds.
    async fn finish(&self, progress: Option<Progress>, total: usize) {
        let with_facts = self.workspace.file_count();
        if let Some(progress) = progress {
            report(&progress, total, total).await;
            progress
                .finish_with_message(format!(
                    "{total} files, {with_facts} with handlers or routes"
                ))
                .await;
        }
        self.client
            .log_message(
                MessageType::INFO,
                format!(
                    "http-status-ls: indexed {total} files ({with_facts} with handlers or routes)"
                ),
            )
            .await;
    }
}

async fn report(progress: &Progress, done: usize, total: usize) {
    let percentage = u32::try_from(done * 100 / total.max(1)).unwrap_or(100);
    progress
        .report_with_message(format!("{done}/{total} files"), percentage)
        .await;
}
