#!/usr/bin/env bash
# Starts code-server on 127.0.0.1:<free port> in its own process group, with its own user-data,
# extensions dir and config file (nothing in $HOME), installs the VSIX first, waits for /healthz.
# Prints "PORT PID" (PID leads the process group: stop with kill -TERM -- -PID).
# env: RUN (state dir), VSIX, SETTINGS_JSON (user settings file to use), CS_EXTRA_ARGS,
#      CS_TRUST=1 keeps workspace trust on (default: --disable-workspace-trust)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
use_node24
: "${RUN:?}" "${VSIX:?}"
mkdir -p "$RUN/ud/User" "$RUN/ud/Machine" "$RUN/exts"
# code-server is a remote host: machine-scoped settings (orchard.backends, orchard.localStoreDir...)
# belong in the Machine (remote) settings; the rest in User settings. The same file serves both.
if [ -n "${SETTINGS_JSON:-}" ]; then cp "$SETTINGS_JSON" "$RUN/ud/User/settings.json"; cp "$SETTINGS_JSON" "$RUN/ud/Machine/settings.json"; fi
# own config file: otherwise code-server writes ~/.config/code-server/config.yaml with a password
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$RUN/config.yaml"
CS=(node "$CS_DIR/node_modules/code-server/out/node/entry.js" --config "$RUN/config.yaml" --user-data-dir "$RUN/ud" --extensions-dir "$RUN/exts")
"${CS[@]}" --install-extension "$VSIX" --force >"$RUN/install-ext.log" 2>&1
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# shellcheck disable=SC2086
setsid "${CS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  $([ "${CS_TRUST:-}" = 1 ] || echo --disable-workspace-trust) --disable-getting-started-override --ignore-last-opened ${CS_EXTRA_ARGS:-} \
  >"$RUN/cs.log" 2>&1 < /dev/null &
PID=$!
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 $PID 2>/dev/null || { echo "code-server died" >&2; tail -20 "$RUN/cs.log" >&2; exit 1; }
  sleep 0.1
done
echo "$PORT $PID"
