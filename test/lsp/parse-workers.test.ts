// The BUILT server (dist/server.js, with dist/parseWorker.js beside it) on a workspace large enough
// for worker threads: the Problems panel shows the same findings with ORCHARD_PARSE_WORKERS=2 as with
// none, the workers did parse files, and no secret reaches the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { seedStore, writeTree } from './harness';
import { CANARY, exampleFiles, exampleSeed } from './fixture';
import { BUNDLE, startBuilt } from './built';
import { WORKER_MIN_BYTES } from '../../server/src/model/parsePool';
const SERVICES = 150;
const ENV_CANARY = 'CANARY-worker-"q"-\\\\-7c1d';

type Report = { uri: string; kind: string; items?: Diagnostic[] };

/** A Python module of more than WORKER_MIN_BYTES reading the environment (workers start for such files only). */
function largeModule(i: number): string {
  const lines = ['import os', ''];
  for (let k = 0; lines.join('\n').length < WORKER_MIN_BYTES + 512; k++) lines.push(`def setting_${k}():`, `    return os.environ.get("SVC_${i}_SETTING_${k}", "default-${k}")`, '');
  return lines.join('\n');
}

/** The example service 150 times over (its twig renamed), each with a `.env` holding a credential, every third with a large module. */
function workspace(): Record<string, string> {
  const ex = exampleFiles();
  const files: Record<string, string> = {};
  for (let i = 0; i < SERVICES; i++) {
    for (const [rel, text] of Object.entries(ex)) files[`svc-${i}/${rel}`] = i % 3 ? text.replaceAll('demo-service', `svc-${i}`) : text;
    files[`svc-${i}/.env`] = `AWS_SECRET_ACCESS_KEY="${ENV_CANARY}${i}aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z"\nDEBUG=1\n`;
    if (i % 3 === 0) files[`svc-${i}/src/settings_big.py`] = largeModule(i);
  }
  return files;
}

async function problems(root: string, storeDir: string, base: string, workers: string): Promise<{ reports: Report[]; logs: string[] }> {
  const s = await startBuilt({ base, root, storeDir, env: { ORCHARD_PARSE_WORKERS: workers }, pull: true });
  try {
    // A pull without a partial-result token is answered once start-up is complete.
    const r = (await s.conn.sendRequest('workspace/diagnostic', { previousResultIds: [] })) as { items: Report[] };
    const reports = r.items.map((x) => ({ uri: x.uri, kind: x.kind, items: (x.items ?? []).map((d) => ({ ...d, data: undefined })) })).sort((a, b) => a.uri.localeCompare(b.uri));
    return { reports, logs: s.logs };
  } finally {
    await s.close();
    s.logs.push(s.stderr());
  }
}

test('built server: a workspace parsed on worker threads shows the same problems as one parsed on one thread', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(BUNDLE) && existsSync(path.join(path.dirname(BUNDLE), 'parseWorker.js')), 'dist/ missing: run `npm run build` first');
  const base = mkdtempSync(path.join(tmpdir(), 'orchard-workers-'));
  try {
    const root = path.join(base, 'ws');
    const storeDir = path.join(base, 'store');
    mkdirSync(storeDir, { recursive: true });
    writeTree(root, workspace());
    await seedStore(storeDir, exampleSeed());
    const pooled = await problems(root, storeDir, base, '2');
    const single = await problems(root, storeDir, base, '0');
    const scanned = pooled.logs.find((l) => l.startsWith('scanned'));
    const m = /\((\d+) parsed on (\d+) worker thread\(s\)\)/.exec(scanned ?? '');
    assert.ok(m && Number(m[1]) > 0 && Number(m[2]) === 2, `the workers parsed files: ${scanned}`);
    assert.ok(!single.logs.some((l) => /worker thread/.test(l)), 'ORCHARD_PARSE_WORKERS=0: no worker');
    const withFindings = pooled.reports.filter((x) => x.items?.length);
    assert.ok(withFindings.length >= SERVICES * 2, `${withFindings.length} files with problems`);
    assert.ok(pooled.reports.some((x) => x.items?.some((d) => String(d.code).startsWith('credential'))), 'the .env credentials are found');
    assert.deepStrictEqual(pooled.reports, single.reports);
    for (const l of [...pooled.logs, ...single.logs]) assert.ok(!l.includes(CANARY) && !l.includes(ENV_CANARY), 'no secret in the log');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
