-- Headless Neovim test of http-status-ls through editors/nvim/lsp/http_status_ls.lua.
--   HTTP_STATUS_LS=/abs/http-status-ls EDITORS_RTP=/abs/editors/nvim LSP_FILE=login.js LSP_OUT=out.json \
--     nvim --headless --clean -c 'luafile tests/editors/nvim/driver.lua'
-- Opens LSP_FILE (an Express POST handler with `res.redirect('/x')`), waits for the
-- redirect-changes-method diagnostic, requests hover ("302 Found"), applies the preferred quick fix
-- and checks the line reads `res.redirect(303, '/x');`, then that the diagnostic goes away.
-- Writes every observation to LSP_OUT (JSON). Exit: 0 pass, 1 a check failed, 2 error/timeout.
local out_path = os.getenv('LSP_OUT') or 'nvim-result.json'
local NAME = 'http_status_ls'
local res = { nvim = tostring(vim.version()), checks = {}, ms = {} }
local t0 = vim.uv.hrtime()
local function ms() return math.floor((vim.uv.hrtime() - t0) / 1e6) end

local function finish(code)
  res.total_ms = ms()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.json.encode(res)); f:close()
  vim.cmd('cquit ' .. code) -- `:cquit N` exits with N (also 0), even with modified buffers
end
-- hard stop in case something hangs (vim.wait runs the event loop, so this timer fires)
vim.defer_fn(function() res.error = 'global timeout (60 s)'; finish(2) end, 60000)

local function check(name, ok, detail)
  res.checks[name] = ok and true or false
  if not ok and detail then res[name .. '_detail'] = detail end
end

local ok, err = pcall(function()
  -- the shipped config, exactly as a user gets it: lsp/http_status_ls.lua on the runtimepath
  vim.opt.runtimepath:prepend(assert(os.getenv('EDITORS_RTP'), 'EDITORS_RTP not set'))
  -- only the binary differs from the shipped config (merged over lsp/http_status_ls.lua)
  vim.lsp.config(NAME, { cmd = { assert(os.getenv('HTTP_STATUS_LS'), 'HTTP_STATUS_LS not set'), '--stdio' } })
  vim.lsp.enable(NAME)
  vim.cmd.edit(vim.fn.fnameescape((assert(os.getenv('LSP_FILE'), 'LSP_FILE not set'))))
  local buf = vim.api.nvim_get_current_buf()
  res.filetype = vim.bo[buf].filetype

  local client
  res.attached = vim.wait(10000, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = NAME })[1]
    return client ~= nil and client.initialized
  end, 20)
  if not res.attached then error('the client did not attach within 10 s (did the server exit? see lsp.log in ' .. vim.fn.stdpath('state') .. ')') end
  res.ms.attach = ms()
  res.root_dir = client.config.root_dir
  res.config_root_markers = client.config.root_markers
  local enc = client.offset_encoding

  -- the redirect call: cursor on `redirect`
  local row, col
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = line:find('res.redirect(', 1, true)
    if s then row, col = i, s + 4; break end -- col: 0-based cursor column inside `redirect`
  end
  assert(row, 'no res.redirect( in ' .. os.getenv('LSP_FILE'))
  vim.api.nvim_win_set_cursor(0, { row, col })

  -- 1. the diagnostic, pushed by the server
  vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  res.ms.diagnostic = ms()
  res.diagnostics = vim.tbl_map(function(d)
    return { lnum = d.lnum, col = d.col, end_col = d.end_col, code = d.code, message = d.message,
      severity = d.severity, source = d.source }
  end, vim.diagnostic.get(buf))
  local diag = vim.iter(vim.diagnostic.get(buf)):find(function(d) return d.code == 'redirect-changes-method' end)
  check('diagnostic', diag ~= nil and diag.lnum == row - 1, 'no redirect-changes-method diagnostic on line ' .. row)

  -- 2. hover
  local hr = client:request_sync('textDocument/hover', vim.lsp.util.make_position_params(0, enc), 5000, buf)
  local h = hr and hr.result
  local text = ''
  if h then
    local c = h.contents
    if type(c) == 'string' then text = c
    elseif c.value then text = c.value
    else text = table.concat(vim.tbl_map(function(x) return type(x) == 'string' and x or x.value end, c), '\n') end
  end
  res.hover = text
  res.ms.hover = ms()
  check('hover', text:find('302 Found', 1, true) ~= nil, 'hover does not contain "302 Found"')

  -- 3. quick fixes for that diagnostic; apply the preferred one
  local params = vim.lsp.util.make_range_params(0, enc)
  params.context = {
    only = { 'quickfix' },
    diagnostics = vim.tbl_map(function(d) return d.user_data.lsp end, vim.diagnostic.get(buf, { lnum = row - 1 })),
  }
  local car = client:request_sync('textDocument/codeAction', params, 5000, buf)
  local actions = (car and car.result) or {}
  res.code_actions = vim.tbl_map(function(a) return { title = a.title, isPreferred = a.isPreferred } end, actions)
  local preferred = vim.iter(actions):find(function(a) return a.isPreferred end)
  check('preferred_quick_fix', preferred ~= nil, 'no code action with isPreferred = true')
  if preferred then
    if not preferred.edit and not preferred.command and client:supports_method('codeAction/resolve') then
      preferred = client:request_sync('codeAction/resolve', preferred, 5000, buf).result
    end
    if preferred.edit then vim.lsp.util.apply_workspace_edit(preferred.edit, enc) end
    if preferred.command then
      client:exec_cmd(type(preferred.command) == 'table' and preferred.command or preferred, { bufnr = buf })
    end
    res.line_after_fix = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
    check('quick_fix', vim.trim(res.line_after_fix) == "res.redirect(303, '/x');",
      "line after the fix is not `res.redirect(303, '/x');`")
    res.ms.quick_fix = ms()
    -- the edit reaches the server as didChange: its diagnostic must go away
    vim.wait(5000, function()
      return vim.iter(vim.diagnostic.get(buf)):find(function(d) return d.code == 'redirect-changes-method' end) == nil
    end, 20)
    res.diagnostics_after_fix = #vim.diagnostic.get(buf)
    check('diagnostic_cleared', res.diagnostics_after_fix == 0, 'diagnostics remain after the fix')
    res.ms.cleared = ms()
  end
end)

if not ok then res.error = tostring(err); finish(2) end
local pass = true
for _, v in pairs(res.checks) do pass = pass and v end
res.pass = pass
finish(pass and 0 or 1)
