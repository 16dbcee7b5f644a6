-- Headless Neovim 0.7 as a second LSP client of the Orchard server (dist/server.js --stdio):
-- diagnostics for the example service's config.py, a hover with a redacted value and a quick fix.
-- usage: nvim --headless --clean -c 'luafile test/nvim/lsp_check.lua' <ws>/src/config.py
-- env: ORCHARD_STORE_DIR (seeded local store dir, read by the server from its environment: the
-- server takes no store or backend from client settings), LSP_CMD (default: node dist/server.js --stdio)
local out = function(s) io.stdout:write(s .. '\n') end
if os.getenv('ORCHARD_NVIM_DEBUG') then vim.lsp.set_log_level('debug') end
local cmd = vim.split(os.getenv('LSP_CMD') or 'node dist/server.js --stdio', ' ', { trimempty = true })
local bufnr = vim.api.nvim_get_current_buf()
local failed = false
local function fail(msg) out('FAIL: ' .. msg); failed = true end
local t0 = vim.loop.hrtime()
local function ms() return math.floor((vim.loop.hrtime() - t0) / 1e6) end

local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h:h')
local settings = { orchard = { environments = { 'dev', 'qa' }, refreshInterval = 0 } }
local client_id = vim.lsp.start_client({
  name = 'orchard',
  cmd = cmd,
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'ws' } },
  -- a terminal editor has no workspace-trust prompt: the user starting the server is the trust decision
  init_options = { workspaceTrusted = true, environments = { 'dev', 'qa' } },
  settings = settings,
  on_exit = function(code) if code ~= 0 then out('server exited ' .. code) end end,
})
vim.lsp.buf_attach_client(bufnr, client_id)
-- Neovim 0.7 neither answers workspace/configuration nor pushes settings by itself; push them
-- once; the server takes pushed settings from clients that do not answer workspace/configuration.
vim.wait(5000, function() local c = vim.lsp.get_client_by_id(client_id); return c and c.initialized end, 20)
local client = vim.lsp.get_client_by_id(client_id)
if client then client.notify('workspace/didChangeConfiguration', { settings = settings }) end

-- 1. diagnostics: third-wheel and secret-admirer are missing in qa only
local function missing(name)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.message:find('/app/demo%-service/' .. name, 1, false) and d.message:find('missing in qa', 1, true) then return d end
  end
end
local got = vim.wait(30000, function() return missing('third%-wheel') ~= nil end, 50)
if not got then fail('no missing-in-env diagnostic for third-wheel within 30s') end
out('DIAG_MS ' .. ms())
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  out(string.format('DIAG %d:%d severity=%d code=%s msg=%s', d.lnum + 1, d.col + 1, d.severity, tostring(d.code), d.message))
end
local tw = missing('third%-wheel')
if tw and not vim.api.nvim_buf_get_lines(bufnr, tw.lnum, tw.lnum + 1, false)[1]:find('THIRD_WHEEL', 1, true) then fail('diagnostic not on the THIRD_WHEEL line') end
if not missing('secret%-admirer') then fail('no diagnostic for secret-admirer') end
if missing('admired%-person') then fail('admired-person reported missing, but qa has it') end

-- 2. hover on the SQL_PASSWORD declaration's name string
local line, col
for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
  local c = l:find('replicated/sql/password', 1, true)
  if c and l:find('SQL_PASSWORD', 1, true) then line, col = i - 1, c + 2 end
end
local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line, character = col } }
local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, 10000)
local hover
for _, r in pairs(res or {}) do
  if r.result and r.result.contents then
    local c = r.result.contents
    hover = type(c) == 'string' and c or c.value
  end
end
if not hover then fail('no hover')
else
  out('HOVER ' .. hover:gsub('\n', ' | '))
  if not hover:find('••••••', 1, true) then fail('hover has no redacted value') end
  if not hover:find('/app/demo-service/replicated/sql/password', 1, true) then fail('hover lacks the full path') end
end

-- 3. quick fix for third-wheel, asked as Neovim 0.7's code_action does: the line's diagnostics,
-- converted back to LSP shape by Neovim (the server sends them without `data`).
if tw then
  local lsp_diags = vim.lsp.diagnostic.get_line_diagnostics(bufnr, tw.lnum)
  local cparams = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = { start = { line = tw.lnum, character = 0 }, ['end'] = { line = tw.lnum, character = 0 } }, context = { diagnostics = lsp_diags } }
  local cres = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', cparams, 10000)
  local titles = {}
  for _, r in pairs(cres or {}) do for _, a in ipairs(r.result or {}) do table.insert(titles, a.title) end end
  out('ACTIONS ' .. table.concat(titles, ' | '))
  local found = false
  for _, t in ipairs(titles) do if t == 'Add /app/demo-service/third-wheel to qa' then found = true end end
  if not found then fail('no quick fix to add third-wheel to qa') end
end
out('TOTAL_MS ' .. ms())

vim.lsp.stop_client(client_id)
vim.wait(3000, function() return vim.lsp.client_is_stopped(client_id) end, 50)
if failed then vim.cmd('cquit 1') else vim.cmd('qall!') end
