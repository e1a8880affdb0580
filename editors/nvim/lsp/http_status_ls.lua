-- http-status-ls for Neovim 0.11+ (and nvim-lspconfig): put the folder holding this `lsp/`
-- directory on 'runtimepath', then `vim.lsp.enable('http_status_ls')`.
-- Override any field with `vim.lsp.config('http_status_ls', { ... })` (it is merged over this table).
---@type vim.lsp.Config
return {
  -- `http-status-ls` must be on PATH: `cargo install --path server` from a checkout of the repository.
  cmd = { 'http-status-ls', '--stdio' },
  filetypes = { 'rust', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact' },
  root_markers = { 'http-status-ls.toml', 'Cargo.toml', 'package.json', '.git' },
  -- Sent with workspace/didChangeConfiguration and answered to workspace/configuration,
  -- under the same section name as the VS Code settings.
  settings = {
    ['http-status-ls'] = {
      -- rule id -> "error" | "warning" | "info" | "hint" | "off"
      rules = {},
      inlayHints = { enable = true },
    },
  },
}
