// Child process for the kill-loop test: puts <prefix>/n<i> forever with the store's default lock
// settings and prints one line per put: "ok <name> <ms>" once acknowledged, "fail <name> <kind>"
// when the store refused it. Never throws, so every failure is counted, not hidden in a crash.
import { openLocalStore } from '../../server/src/store/local';

const [dir, env, prefix] = process.argv.slice(2);
const store = openLocalStore({ dir, env });
const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  out('ready');
  for (let i = 0; ; i++) {
    const name = `${prefix}/n${i}`;
    const t0 = performance.now();
    const r = await store.put({ name, value: `v-${i}`, type: i % 2 ? 'SecureString' : 'String', overwrite: false });
    const ms = (performance.now() - t0).toFixed(1);
    out(r.ok ? `ok ${name} ${ms}` : `fail ${name} ${r.reason === 'failed' ? r.failure.kind : r.reason}`);
  }
}
void main();
