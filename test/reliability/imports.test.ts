// figgy.json imports against hostile workspaces: a self-import bomb, duplicate and huge import
// lists, and imports that leave the workspace (`..`, absolute paths, symbolic links, /proc). Each is
// one clear finding, within a time and memory budget; nothing outside the workspace is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MAX_IMPORTS, scanWorkspace } from '../../server/src/model/scan';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function tempTree(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const base = mkdtempSync(path.join(tmpdir(), 'orchard-imports-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    writeFileSync(path.join(base, rel), text);
  }
  return base;
}

const codes = (errs: { code: string }[]) => errs.map((e) => e.code);

test('self-import bomb: 4,000 self-imports in a 56 KB figgy.json is one bounded cycle report', async (t) => {
  // figgy-cli reads svc/figgy.json's imports from svc/figgy/: "../figgy.json" is the file itself.
  const imports = Array.from({ length: 4000 }, () => '"../figgy.json"');
  const appFigs = Array.from({ length: 300 }, (_, i) => `"p${i}"`);
  const text = `{"twig": "/app/bomb", "app_figs": [${appFigs.join(',')}], "import": [${imports.join(',')}]}`;
  assert.ok(text.length > 50_000, `${text.length} bytes`);
  const base = tempTree(t, { 'svc/figgy.json': text });
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const r = await scanWorkspace(base);
  const ms = performance.now() - t0;
  const rssMb = (process.memoryUsage().rss - rss0) / 1024 / 1024;
  const m = r.figgyJson[0];
  assert.equal(m.appFigs.length, 300, 'the file is not merged into itself');
  assert.equal(codes(m.errors).filter((c) => c === 'json-import-cycle').length, 20, 'first 20 reported one by one');
  assert.ok(m.errors.some((e) => /3980 more import problem/.test(e.message)), 'the rest counted in one summary');
  assert.ok(m.errors.length <= 25);
  assert.ok(ms < 5000, `${ms} ms`);
  t.diagnostic(`import bomb (${(text.length / 1024).toFixed(0)} KB, 4000 self-imports): scan ${ms.toFixed(0)} ms, rss ${rssMb >= 0 ? '+' : ''}${rssMb.toFixed(1)} MB, ${m.errors.length} errors`);
});

test('the same bomb through the built CLI (256 MB heap) finishes with exit 1, not out of memory', async (t) => {
  const imports = Array.from({ length: 4000 }, () => '"../figgy.json"');
  const base = tempTree(t, { 'figgy.json': `{"twig": "/app/bomb", "app_figs": ["a"], "import": [${imports.join(',')}]}` });
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, 'check', base, '--parse-only', '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
  const ms = Date.now() - t0;
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(r.stdout) as { code: string }[];
  assert.ok(findings.some((f) => f.code === 'json-import-cycle'));
  assert.ok(findings.length < 30, `${findings.length} findings`);
  t.diagnostic(`import bomb via the CLI (256 MB heap cap): ${ms} ms, ${findings.length} findings`);
});

test('distinct imports: each file once, at most MAX_IMPORTS, repeats reported', async (t) => {
  const files: Record<string, string> = {};
  // Imported files live where figgy-cli reads them: svc/figgy.json's imports in svc/figgy/.
  for (let i = 0; i < MAX_IMPORTS + 10; i++) files[`svc/figgy/parts/p${i}.json`] = `{"app_figs": ["part${i}"]}`;
  const list = Object.keys(files).map((f) => `"${path.relative('svc/figgy', f)}"`);
  files['svc/figgy.json'] = `{"twig": "/app/many", "import": [${list.join(',')}, "parts/p0.json"]}`;
  const base = tempTree(t, files);
  const m = (await scanWorkspace(base)).figgyJson[0];
  assert.equal(m.appFigs.length, MAX_IMPORTS);
  assert.ok(codes(m.errors).includes('json-import-repeated'));
  const limit = m.errors.find((e) => e.code === 'json-import-limit');
  assert.match(limit?.message ?? '', /10 more import\(s\) not read/);
});

test('imports stay inside the workspace: .., symbolic links and /proc are refused unread', async (t) => {
  // figgy-cli reads ws/svc/figgy.json's imports from ws/svc/figgy/ (even an absolute entry is joined
  // under it), so the ways out are `..` and symbolic links.
  const base = tempTree(t, {
    'ws/svc/figgy.json': '',
    'ws/shared/base.json': '{"app_figs": ["from-inside"]}',
    'outside/secret.json': '{"app_figs": ["LEAKED-KEY-NAME"]}',
  });
  mkdirSync(path.join(base, 'ws', 'svc', 'figgy'));
  symlinkSync(path.join(base, 'outside', 'secret.json'), path.join(base, 'ws', 'svc', 'figgy', 'link.json'));
  const up = '../'.repeat(base.split('/').length + 4);
  const fig = {
    twig: '/app/contained',
    import: ['../../shared/base.json', '../../../outside/secret.json', 'link.json', `${up}proc/self/environ`, `${up}etc/passwd`],
  };
  const figPath = path.join(base, 'ws', 'svc', 'figgy.json');
  writeFileSync(figPath, JSON.stringify(fig));
  const ws = path.join(base, 'ws');
  const mine = (ms: { uri: string }[]) => ms.find((m) => m.uri.endsWith('/svc/figgy.json')) as Awaited<ReturnType<typeof scanWorkspace>>['figgyJson'][number];
  const m = mine((await scanWorkspace(ws)).figgyJson);
  assert.deepEqual(m.appFigs.map((a) => a.value), ['from-inside'], '.. inside the workspace is fine');
  const outside = m.errors.filter((e) => e.code === 'json-import-outside');
  assert.equal(outside.length, 4, JSON.stringify(m.errors));
  assert.ok(outside.some((e) => /through a symbolic link/.test(e.message)));
  assert.ok(!JSON.stringify(m).includes('LEAKED-KEY-NAME'), 'nothing of an outside file reaches the model');
  // The user may allow a folder explicitly.
  const allowed = mine((await scanWorkspace(ws, { allowImportsFrom: [path.join(base, 'outside')] })).figgyJson);
  assert.ok(allowed.appFigs.some((a) => a.value === 'LEAKED-KEY-NAME'));
  // The CLI flag does the same; without it the key name never appears in the output.
  const plain = spawnSync(process.execPath, [CLI, 'check', ws, '--parse-only'], { encoding: 'utf8', timeout: 60_000 });
  assert.ok(!plain.stdout.includes('LEAKED-KEY-NAME'));
  assert.match(plain.stdout, /json-import-outside/);
  const flag = spawnSync(process.execPath, [CLI, 'check', ws, '--parse-only', '--format', 'json', '--allow-imports-from', path.join(base, 'outside')], { encoding: 'utf8', timeout: 60_000 });
  // Allowed: the two routes to the outside file are read once (one repeat); /proc and /etc stay refused.
  const flagged = (JSON.parse(flag.stdout) as { code: string; file?: string }[]).map((f) => f.code);
  assert.equal(flagged.filter((c) => c === 'json-import-outside').length, 2, flag.stdout);
  assert.equal(flagged.filter((c) => c === 'json-import-repeated').length, 1, flag.stdout);
});
