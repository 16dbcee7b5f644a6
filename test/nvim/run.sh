#!/usr/bin/env bash
# Neovim headless as a second client: seeds a local store (canary secrets), copies the example
# service, runs lsp_check.lua against the built stdio server, then checks that no canary reached
# Neovim's output or its LSP log. usage: npm run test:nvim   (needs nvim; scripts/real-editor/setup.sh installs it)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
command -v nvim >/dev/null || { echo "nvim not installed: run scripts/real-editor/setup.sh" >&2; exit 1; }
[ -f dist/server.js ] || npm run -s build || exit 1
RUN=$ROOT/.cache/editor/nvim-run
rm -rf "$RUN"; mkdir -p "$RUN/home"
CANARY=CANARY$(node -p "require('crypto').randomBytes(6).toString('hex')")
PLAIN=PLAINCANARY$(node -p "require('crypto').randomBytes(6).toString('hex')")
cp -r examples/flask-service "$RUN/ws"
ORCHARD_CANARY=$CANARY ORCHARD_PLAIN_CANARY=$PLAIN node --import tsx scripts/real-editor/seed-store.ts "$RUN/store" >/dev/null || exit 1
t0=$(date +%s%N)
XDG_CONFIG_HOME=$RUN/home/config XDG_DATA_HOME=$RUN/home/data XDG_CACHE_HOME=$RUN/home/cache XDG_STATE_HOME=$RUN/home/state \
ORCHARD_STORE_DIR=$RUN/store LSP_CMD="node $ROOT/dist/server.js --stdio" \
  timeout 90 nvim --headless --clean -c "luafile test/nvim/lsp_check.lua" "$RUN/ws/src/config.py" >"$RUN/nvim.out" 2>&1
rc=$?
cat "$RUN/nvim.out"
echo "nvim test: $(( ($(date +%s%N) - t0) / 1000000 )) ms, exit $rc"
if grep -rlaF -e "$CANARY" -e "$PLAIN" "$RUN" --exclude-dir=store; then echo "CANARY LEAK (files above)"; rc=1; fi
grep -qaF "$PLAIN" "$RUN/store"/*.json || { echo "canary search broken: seeded plain value not found in the store"; rc=1; }
exit $rc
