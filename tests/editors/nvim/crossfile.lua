-- One fresh open of a handler whose method is declared in another file, in headless Neovim with
-- editors/nvim/lsp/http_status_ls.lua: does the cross-file warning show?
--   HTTP_STATUS_LS=/abs/http-status-ls EDITORS_RTP=/abs/editors/nvim LSP_FILE=/ws/handlers/cart.js \
--     LSP_OUT=out.json nvim --headless --clean -c 'luafile tests/editors/nvim/crossfile.lua'
-- LSP_FILE has `res.redirect("/cart")` in a handler that routes/cart.js registers with
-- `router.post(...)`; the server learns that from its background index of the workspace, so the
-- warning can only come after the index has read routes/cart.js. The driver waits for a
-- `redirect-changes-method` diagnostic on that line (pushed or pulled, whichever the server uses)
-- for up to WAIT_MS (default 8000) after the client attached.
-- Writes LSP_OUT (JSON). Exit: 0 the warning showed, 1 it did not, 2 error.
local out_path = os.getenv('LSP_OUT') or 'nvim-crossfile.json'
local wait_ms = tonumber(os.getenv('WAIT_MS') or '8000')
local NAME = 'http_status_ls'
local res = { nvim = tostring(vim.version()), ms = {} }
local t0 = vim.uv.hrtime()
local function ms() return math.floor((vim.uv.hrtime() - t0) / 1e6) end

local function finish(code)
  res.total_ms = ms()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.json.encode(res)); f:close()
  vim.cmd('cquit ' .. code)
end
vim.defer_fn(function() res.error = 'global timeout (40 s)'; finish(2) end, 40000)

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(assert(os.getenv('EDITORS_RTP'), 'EDITORS_RTP not set'))
  vim.lsp.config(NAME, { cmd = { assert(os.getenv('HTTP_STATUS_LS'), 'HTTP_STATUS_LS not set'), '--stdio' } })
  vim.lsp.enable(NAME)
  vim.cmd.edit(vim.fn.fnameescape((assert(os.getenv('LSP_FILE'), 'LSP_FILE not set'))))
  local buf = vim.api.nvim_get_current_buf()

  local client
  res.attached = vim.wait(10000, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = NAME })[1]
    return client ~= nil and client.initialized
  end, 10)
  if not res.attached then error('the client did not attach within 10 s') end
  res.ms.attach = ms()
  res.root_dir = client.config.root_dir
  res.pull = client.server_capabilities.diagnosticProvider ~= nil

  local row
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if line:find('res.redirect(', 1, true) then row = i - 1; break end
  end
  assert(row, 'no res.redirect( in ' .. os.getenv('LSP_FILE'))

  local function warning()
    return vim.iter(vim.diagnostic.get(buf)):find(function(d)
      return d.code == 'redirect-changes-method' and d.lnum == row
    end)
  end
  res.found = vim.wait(wait_ms, function() return warning() ~= nil end, 10)
  res.ms.warning = res.found and ms() or vim.NIL
  res.diagnostics = vim.tbl_map(function(d)
    return { lnum = d.lnum, code = d.code, message = d.message }
  end, vim.diagnostic.get(buf))
end)

if not ok then res.error = tostring(err); finish(2) end
finish(res.found and 0 or 1)
