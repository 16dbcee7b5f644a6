// Reading a folder tree from disk: what is parsed, what is skipped, what is too large.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findConfigFiles, scanWorkspace, MAX_FILE_BYTES } from '../../server/src/model/scan';

test('scan: finds config files, skips vendored folders, reports a too-large file once and reads nothing of it', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-scan-'));
  try {
    mkdirSync(path.join(root, 'svc', 'src'), { recursive: true });
    mkdirSync(path.join(root, 'svc', 'figgy'), { recursive: true });
    mkdirSync(path.join(root, 'node_modules', 'x'), { recursive: true });
    mkdirSync(path.join(root, '.yarn', 'releases'), { recursive: true });
    mkdirSync(path.join(root, 'big'), { recursive: true });
    writeFileSync(path.join(root, 'svc', 'src', 'config.py'), 'from figgy.figs import *\nclass Figs(FigStore):\n    TWIG = "/app/svc"\n    A = AppFig("a")\n');
    writeFileSync(path.join(root, 'svc', 'figgy', 'figgy.json'), '{"twig": "/app/svc", "app_figs": ["/app/svc/a"]}');
    writeFileSync(path.join(root, 'node_modules', 'x', 'figgy.json'), '{"twig": "/app/vendored"}');
    // Yarn's own folder (a vendored release of yarn, its plugins and cache) is tool code.
    writeFileSync(path.join(root, '.yarn', 'releases', 'figgy.json'), '{"twig": "/app/vendored"}');
    writeFileSync(path.join(root, 'big', 'figgy.json'), ' '.repeat(MAX_FILE_BYTES + 1));
    writeFileSync(path.join(root, 'svc', 'src', 'util.py'), 'print("no figs here")\n');

    const files = (await findConfigFiles(root)).map((f) => path.relative(root, f));
    assert.deepEqual(files, ['big/figgy.json', 'svc/figgy/figgy.json', 'svc/src/config.py', 'svc/src/util.py']);

    const scanned = await scanWorkspace(root);
    assert.equal(scanned.python.length, 1, 'a Python file without figgy is not kept');
    assert.equal(scanned.python[0].classes[0].twig?.value, '/app/svc');
    const big = scanned.figgyJson.find((m) => m.uri.includes('/big/'))!;
    assert.deepEqual(big.errors.map((e) => e.code), ['file-too-large']);
    assert.equal(scanned.figgyJson.filter((m) => m.twig?.value === '/app/svc').length, 1);
    assert.ok(!scanned.figgyJson.some((m) => m.twig?.value === '/app/vendored'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('scan: JSON files of any name are Figgy files by their content; orchard.figgyJsonFiles narrows that', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-scan-'));
  try {
    mkdirSync(path.join(root, 'svc', 'figgy', 'figgy'), { recursive: true });
    writeFileSync(path.join(root, 'svc', 'ci-config.json'), '{"twig": "/app/ci", "app_figs": ["token"]}');
    writeFileSync(path.join(root, 'svc', 'figgy-dba.json'), '{"replicate_figs": {"/dba/u": "/app/ci/replicated/u"}}');
    writeFileSync(path.join(root, 'svc', 'old.json'), '{"namespace": "/app/old/", "app_parameters": ["/app/old/a"]}');
    writeFileSync(path.join(root, 'svc', 'package.json'), '{"name": "not-figgy", "version": "1.0.0"}');
    writeFileSync(path.join(root, 'svc', 'broken.json'), '{"twig": ');
    // An imported file (figgy-cli reads it from the folder named after the importing file) is part of it.
    writeFileSync(path.join(root, 'svc', 'figgy', 'figgy.json'), '{"twig": "/app/main", "import": ["extra.json"]}');
    writeFileSync(path.join(root, 'svc', 'figgy', 'figgy', 'extra.json'), '{"app_figs": ["b"]}');

    const all = await scanWorkspace(root);
    const names = (ms: { uri: string }[]) => ms.map((m) => path.basename(new URL(m.uri).pathname)).sort();
    // A half-typed file with a Figgy key is a Figgy file with a syntax error; package.json is nothing.
    assert.deepEqual(names(all.figgyJson), ['broken.json', 'ci-config.json', 'figgy.json', 'old.json']);
    assert.ok(all.figgyJson.find((m) => m.uri.endsWith('broken.json'))!.errors.some((e) => e.code === 'json-syntax'));
    assert.deepEqual(names(all.secrets), ['figgy-dba.json']);
    const main = all.figgyJson.find((m) => m.twig?.value === '/app/main')!;
    assert.deepEqual(main.appFigs.map((a) => a.value), ['b'], 'the import was read from figgy/figgy/extra.json');

    const narrowed = await scanWorkspace(root, { jsonFiles: ['**/ci-config.json'] });
    assert.deepEqual(names(narrowed.figgyJson), ['ci-config.json', 'figgy.json']);
    assert.deepEqual(names(narrowed.secrets), []);
    const none = await scanWorkspace(root, { jsonFiles: [] });
    assert.deepEqual(names(none.figgyJson), ['figgy.json']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('scan: an import next to the file instead of in the folder figgy-cli reads is an error that says where it looks', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-scan-'));
  try {
    mkdirSync(path.join(root, 'figgy'), { recursive: true });
    writeFileSync(path.join(root, 'figgy', 'figgy.json'), '{"twig": "/app/x", "app_figs": ["a"], "import": ["extra.json"]}');
    writeFileSync(path.join(root, 'figgy', 'extra.json'), '{"app_figs": ["b"]}');
    const s = await scanWorkspace(root, { jsonFiles: [] });
    const m = s.figgyJson[0];
    const e = m.errors.find((x) => x.code === 'json-import-unreadable')!;
    assert.equal(e.severity, 'error');
    assert.match(e.message, /figgy-cli reads extra\.json from figgy\/ \(the folder named after figgy\.json without \.json\), not from next to figgy\.json/);
    assert.match(e.message, /move it to figgy\/extra\.json/);
    assert.deepEqual(m.appFigs.map((a) => a.value), ['a']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('scan: with an import in both places, figgy-cli reads the one in the folder named after the file (info on the entry)', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-scan-'));
  try {
    mkdirSync(path.join(root, 'figgy', 'figgy'), { recursive: true });
    writeFileSync(path.join(root, 'figgy', 'figgy.json'), '{"twig": "/app/x", "app_figs": ["a"], "import": ["extra.json"]}');
    writeFileSync(path.join(root, 'figgy', 'extra.json'), '{"app_figs": ["beside"]}');
    writeFileSync(path.join(root, 'figgy', 'figgy', 'extra.json'), '{"app_figs": ["read"]}');
    const m = (await scanWorkspace(root, { jsonFiles: [] })).figgyJson[0];
    assert.deepEqual(m.appFigs.map((a) => a.value), ['a', 'read']);
    assert.deepEqual(m.errors.map((e) => [e.code, e.severity]), [['json-import-beside', 'info']]);
    assert.match(m.errors[0].message, /figgy-cli reads extra\.json from figgy\/extra\.json; the extra\.json next to figgy\.json is not read/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('walk: a folder an enclosing repository ignores is walked whole when it is the one opened; from the repository it is skipped', async () => {
  const { spawnSync } = await import('node:child_process');
  const { walkWorkspace } = await import('../../server/src/model/walk');
  const { classifyFile } = await import('../../server/src/model/scan');
  const repo = mkdtempSync(path.join(os.tmpdir(), 'orchard-walk-'));
  try {
    if (spawnSync('git', ['init', '-q', repo]).status !== 0) return; // no git here: nothing to test
    writeFileSync(path.join(repo, '.gitignore'), '.cache/\n');
    const app = path.join(repo, '.cache', 'run', 'ws-apps');
    mkdirSync(path.join(app, 'charm'), { recursive: true });
    mkdirSync(path.join(app, '.github', 'workflows'), { recursive: true });
    writeFileSync(path.join(app, 'charm', 'charmcraft.yaml'), 'name: x\nextensions: [flask-framework]\n');
    writeFileSync(path.join(app, '.github', 'workflows', 'deploy.yml'), 'on: push\n');
    writeFileSync(path.join(app, '.gitignore'), 'local/\n');
    mkdirSync(path.join(app, 'local', 'charm'), { recursive: true });
    writeFileSync(path.join(app, 'local', 'charm', 'charmcraft.yaml'), 'name: y\n');
    const wanted = (p: string) => classifyFile(p) !== undefined;
    const opened = (await walkWorkspace(app, { wanted })).files.map((f) => path.relative(app, f));
    assert.ok(opened.includes(path.join('charm', 'charmcraft.yaml')), opened.join(', '));
    assert.ok(opened.includes(path.join('.github', 'workflows', 'deploy.yml')), opened.join(', '));
    assert.ok(!opened.includes(path.join('local', 'charm', 'charmcraft.yaml')), 'its own .gitignore still applies');
    const fromRepo = (await walkWorkspace(repo, { wanted })).files;
    assert.deepEqual(fromRepo.filter((f) => f.includes('ws-apps')), [], 'the repository does not enter its ignored folder');
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

test('walk: listing synchronously (the CLI) and asynchronously (the language server) find the same files, ignored ones the same', async () => {
  const { walkWorkspace } = await import('../../server/src/model/walk');
  const { classifyFile } = await import('../../server/src/model/scan');
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-walk-'));
  try {
    const put = (rel: string, text = '') => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    for (let i = 0; i < 12; i++) {
      put(`svc-${i}/src/config.py`, 'from figgy.figs import *\n');
      put(`svc-${i}/figgy/figgy.json`, '{}');
      put(`svc-${i}/.env`, 'A=1\n');
      put(`svc-${i}/deep/a/b/c/settings.py`, 'import os\n');
      if (i % 3 === 0) put(`svc-${i}/.gitignore`, 'deep/a/\n.env\n');
      if (i % 4 === 1) put(`svc-${i}/node_modules/x/figgy.json`, '{}');
      if (i % 5 === 2) put(`svc-${i}/deep/.gitignore`, '*.py\n!keep.py\n');
      put(`svc-${i}/deep/keep.py`, 'import os\n');
    }
    put('.gitignore', 'svc-1*/\n');
    const wanted = (p: string) => classifyFile(p) !== undefined;
    for (const exclude of [[], ['svc-2/figgy/'], ['**/settings.py']]) {
      const a = await walkWorkspace(root, { wanted, exclude, syncIo: true });
      const b = await walkWorkspace(root, { wanted, exclude });
      assert.deepEqual(a.files, b.files, JSON.stringify(exclude));
      assert.deepEqual([...a.ignored].sort(), [...b.ignored].sort(), JSON.stringify(exclude));
      assert.ok(a.files.length > 20);
      assert.ok(!a.files.some((f) => f.includes(`${path.sep}svc-10${path.sep}`)), 'the root .gitignore applies');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('walk: both listings stop at the same depth; a folder that cannot be listed, or a path no call accepts, is an empty result', async () => {
  const { walkWorkspace } = await import('../../server/src/model/walk');
  const { classifyFile } = await import('../../server/src/model/scan');
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-walk-deep-'));
  try {
    const wanted = (p: string) => classifyFile(p) !== undefined;
    // config.py at every depth from 1 to 30 folders below the root.
    let dir = root;
    for (let d = 1; d <= 30; d++) {
      dir = path.join(dir, `d${d}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'config.py'), 'from figgy.figs import *\n');
    }
    const a = await walkWorkspace(root, { wanted, syncIo: true });
    const b = await walkWorkspace(root, { wanted });
    assert.deepEqual(b.files, a.files);
    assert.ok(a.files.length >= 20 && a.files.length < 30, `a depth limit applies (${a.files.length} files)`);
    for (const syncIo of [true, false]) {
      const nul = await walkWorkspace(path.join(root, 'a\0b'), { wanted, syncIo });
      assert.deepEqual(nul.files, []);
      const missing = await walkWorkspace(path.join(root, 'nowhere'), { wanted, syncIo });
      assert.deepEqual(missing.files, []);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('scan: a large tree on one thread (no parse workers) still gives the event loop turns, and finds the same', async () => {
  // The CLI reads synchronously: without the pool's time slices nothing else would run until the scan
  // ends, and V8 could not finish the garbage collections it started (a higher peak). With them a
  // timer fires during the scan.
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-scan-turns-'));
  const saved = process.env.ORCHARD_PARSE_WORKERS;
  try {
    for (let i = 0; i < 300; i++) {
      mkdirSync(path.join(root, `svc-${i}`, 'src'), { recursive: true });
      writeFileSync(path.join(root, `svc-${i}`, 'src', 'config.py'), `from figgy.figs import *\nclass Figs(FigStore):\n    TWIG = "/app/svc-${i}"\n${Array.from({ length: 30 }, (_, k) => `    A${k} = AppFig("a-${k}")\n`).join('')}`);
    }
    process.env.ORCHARD_PARSE_WORKERS = '0';
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const t0 = performance.now();
    const scanned = await scanWorkspace(root, { syncIo: true });
    const ms = performance.now() - t0;
    clearInterval(timer);
    assert.equal(scanned.python.length, 300);
    assert.equal(scanned.python.reduce((n, m) => n + m.classes[0].figs.length, 0), 300 * 30);
    // A turn per 10 ms slice: at least one per 50 ms here (without the slices: only the few awaits
    // before the files are read, 4 in a 485 ms scan).
    assert.ok(ticks >= Math.floor(ms / 50), `${ticks} timer ticks during a ${ms.toFixed(0)} ms scan`);
    const pooled = await scanWorkspace(root, { syncIo: true, pool: false });
    assert.deepEqual(JSON.stringify(pooled.python), JSON.stringify(scanned.python));
  } finally {
    if (saved === undefined) delete process.env.ORCHARD_PARSE_WORKERS;
    else process.env.ORCHARD_PARSE_WORKERS = saved;
    rmSync(root, { recursive: true, force: true });
  }
});
