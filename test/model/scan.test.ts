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
    mkdirSync(path.join(root, 'big'), { recursive: true });
    writeFileSync(path.join(root, 'svc', 'src', 'config.py'), 'from figgy.figs import *\nclass Figs(FigStore):\n    TWIG = "/app/svc"\n    A = AppFig("a")\n');
    writeFileSync(path.join(root, 'svc', 'figgy', 'figgy.json'), '{"twig": "/app/svc", "app_figs": ["/app/svc/a"]}');
    writeFileSync(path.join(root, 'node_modules', 'x', 'figgy.json'), '{"twig": "/app/vendored"}');
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
