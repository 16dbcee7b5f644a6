// The language server with a parse cache (model/parseCache.ts): the first start writes it after its
// first push, from models the build and rules have used all that time (so they must not have
// changed them: the cache then holds exactly what a fresh parse gives); a second start on the same
// files takes every file from it and publishes the same diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startHarness, type Harness } from './harness';
import { ParseCache } from '../../server/src/model/parseCache';
import { scanWorkspace } from '../../server/src/model/scan';

const FILES: Record<string, string> = {
  'svc/config.py': 'from figgy.figs import *\nfrom figgy.fig_store import FigStore\n\nclass Figs(FigStore):\n    TWIG = "/app/svc"\n    DB_USER = AppFig("db-user")\n    DB_HOST = ReplicatedFig("host", source="/shared/db/host")\n    API = SharedFig("shared/api-key")\n',
  'svc/figgy.json': '{\n  "twig": "/app/svc",\n  "app_figs": ["/app/svc/db-user", "/app/svc/gone"],\n  "replicate_figs": {"/shared/db/host": "/app/svc/host"},\n  "shared_figs": ["/app/svc/shared/api-key"]\n}\n',
  'web/settings.py': 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "insecure-default")\nDATABASE_URL = os.environ["DATABASE_URL"]\n',
  'web/.env': 'SECRET_KEY=from-dotenv\nUNUSED=1\n',
  '.travis.yml': 'env:\n  global:\n    - AWS_SECRET_ACCESS_KEY=3kQf9xLr7TzPq2Wv8YhN5mB1cJ6sD4gA0eRtUiOp\n',
};

const BUILD = 'test-build';

/** Every file's diagnostics once the start-up push is done (config.py has some). */
async function settle(h: Harness): Promise<Map<string, unknown>> {
  await h.waitForDiagnostics(h.uri('svc/config.py'), (d) => d.length > 0);
  await h.server.idle();
  return new Map([...h.diagnostics].sort(([a], [b]) => (a < b ? -1 : 1)));
}

test('a second start takes every file from the parse cache the first one wrote, and publishes the same diagnostics', async () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'orchard-lsp-cache-'));
  const cacheDir = path.join(base, 'cache');
  const parseCache = (root: string) => ParseCache.open({ dir: cacheDir, root, build: BUILD });
  const rels = ['svc/config.py', 'svc/figgy.json', 'web/settings.py', 'web/.env', '.travis.yml'];
  try {
    const first = await startHarness({ files: FILES, base, parseCache });
    let before: Map<string, unknown>;
    try {
      before = await settle(first);
      assert.ok(before.size >= 3, [...before.keys()].join(' '));
      assert.ok(first.logs.some((l) => /0 unchanged since the last scan \(parse cache\)/.test(l)), first.logs.join('\n'));
      // Written after the first push, by the server on its own.
      const dir = path.join(cacheDir, 'parse');
      const deadline = Date.now() + 10_000;
      while (!(existsSync(dir) && readdirSync(dir).some((n) => n.endsWith('.cache'))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.ok(readdirSync(dir).some((n) => n.endsWith('.cache')), 'the server wrote no parse cache');
    } finally {
      await first.close();
    }
    // What the cache holds is what parsing the files gives now: nothing the server did changed it.
    const root = path.join(base, 'ws');
    const check = ParseCache.open({ dir: cacheDir, root, build: BUILD });
    const cached = await scanWorkspace(root, { cache: check, pool: false, syncIo: true });
    assert.equal(check.stats.hits, rels.length);
    assert.equal(JSON.stringify(cached), JSON.stringify(await scanWorkspace(root, { pool: false, syncIo: true })));

    const second = await startHarness({ files: {}, base, parseCache });
    try {
      const after = await settle(second);
      assert.deepEqual(after, before);
      assert.ok(second.logs.some((l) => new RegExp(`${rels.length} unchanged since the last scan \\(parse cache\\)`).test(l)), second.logs.join('\n'));
    } finally {
      await second.close();
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
