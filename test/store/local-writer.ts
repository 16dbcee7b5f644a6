// Child process used by the local store's concurrency and crash tests. Real process, real files.
// Usage (argv after the script):
//   puts <dir> <env> <prefix> <count> <sharedName> <sharedEvery>  – waits for "go" on stdin, then
//        puts <prefix>/p<i> (every third one a SecureString) and, every <sharedEvery>-th, overwrites
//        <sharedName>; prints "ok <name>" after each committed put and "done <ms>" at the end.
//   loop <dir> <env> <prefix>   – puts <prefix>/n<i> forever, printing "ok <name>" after each commit.
//   hold <dir> <env>            – takes the store's lock, prints "locked", then hangs.
//   key <dir>                   – waits for "go", creates/reads the key file, prints "kid <id>".
import { openLocalStore } from '../../server/src/store/local';
import { acquireLock } from '../../server/src/store/lock';
import { ensureKey, KEY_FILE_NAME } from '../../server/src/store/crypto';
import * as path from 'node:path';

const [mode, dir, ...rest] = process.argv.slice(2);
const out = (line: string) => process.stdout.write(`${line}\n`);

function waitForGo(): Promise<void> {
  out('ready');
  return new Promise((resolve) => {
    let buf = '';
    process.stdin.on('data', (d) => {
      buf += String(d);
      if (buf.includes('go')) {
        process.stdin.pause();
        resolve();
      }
    });
  });
}

async function main(): Promise<void> {
  if (mode === 'puts') {
    const [env, prefix, countS, shared, everyS] = rest;
    const store = openLocalStore({ dir, env, user: `writer${process.pid}`, lockStaleMs: 2000 });
    const count = Number(countS);
    const every = Number(everyS);
    await waitForGo();
    const t0 = Date.now();
    for (let i = 0; i < count; i++) {
      const name = `${prefix}/p${i}`;
      const r = await store.put({ name, value: `v-${i}`, type: i % 3 === 0 ? 'SecureString' : 'String', overwrite: false });
      if (!r.ok) throw new Error(`put ${name} failed: ${JSON.stringify(r)}`);
      out(`ok ${name}`);
      if (every > 0 && i % every === 0) {
        const s = await store.put({ name: shared, value: `from-${process.pid}-${i}`, type: 'String', overwrite: true });
        if (!s.ok) throw new Error(`shared put failed: ${JSON.stringify(s)}`);
        out('shared');
      }
    }
    out(`done ${Date.now() - t0}`);
  } else if (mode === 'loop') {
    const [env, prefix] = rest;
    const store = openLocalStore({ dir, env, lockStaleMs: 2000 });
    out('ready');
    for (let i = 0; ; i++) {
      const name = `${prefix}/n${i}`;
      const r = await store.put({ name, value: `secret-${i}`, type: i % 2 ? 'SecureString' : 'String', overwrite: false });
      if (!r.ok) throw new Error(`put ${name} failed: ${JSON.stringify(r)}`);
      out(`ok ${name}`);
    }
  } else if (mode === 'hold') {
    const [env] = rest;
    const store = openLocalStore({ dir, env });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const got = await acquireLock(store.file, { staleMs: 2000, timeoutMs: 5000 });
    if (!got.ok) throw new Error(`could not lock: ${got.code}`);
    out('locked');
    // Hang (keeping the lock refreshed) until killed.
    await new Promise<void>(() => setInterval(() => undefined, 1 << 30));
  } else if (mode === 'key') {
    await waitForGo();
    const k = await ensureKey(path.join(dir, KEY_FILE_NAME));
    out(k.state === 'found' ? `kid ${k.kid}` : `key ${k.state}`);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
