// Canary: credentials holding quotes, newlines and backslashes are planted in a repository (in
// .env, YAML, Python, JSON, shell, a URL's userinfo and a private key block); no output path may
// carry one in full or in its JSON, URL or base64 encoding, nor any 6-character piece of it:
// `orchard check` text / JSON / SARIF (stdout and stderr), `--write-baseline` and its file,
// `--staged`, the findings' messages and fix data, code action titles and hovers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanWorkspace } from '../../server/src/model/scan';
import { buildWorkspace } from '../../server/src/model/build';
import { runRules } from '../../server/src/analysis/index';
import { codeActions } from '../../server/src/features/codeActions';
import { hover } from '../../server/src/features/hover';
import { BASE64, synth } from '../../server/src/parse/credentials/synth';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Decoded canaries (what the program using the file would receive). */
const C = {
  dotenv: `Cq7"Zr\\Wn'8Px3Vb2Lm`,
  yaml: `Qz8\nWv7"Rt6\\Yx5Kp'Ja`,
  python: `Hj4'Ty6\\Ui8"Op0Ws\tEd`,
  json: `Gf5"Dh6\\Jk7\nLz9Mx/Nc`,
  url: `Np3"Ox4\\Ry5'Tz6Uq#Vs`,
  shell: `Bv2"Cn3\\Dm4'Ef5Gh`,
  pem: synth(BASE64, 64, 777),
};

/** How each is written in its file (between its quotes). */
const W = {
  dotenv: C.dotenv.replace(/\\/g, '\\\\').replace(/"/g, '\\"'),
  yaml: JSON.stringify(C.yaml).slice(1, -1),
  python: C.python.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\t/g, '\\t'),
  json: JSON.stringify(C.json).slice(1, -1),
  url: encodeURIComponent(C.url).replace(/'/g, '%27'),
  shell: C.shell.replace(/\\/g, '\\\\').replace(/"/g, '\\"'),
  pem: C.pem,
};

const FILES: Record<string, string> = {
  '.env.production': `DB_PASSWORD="${W.dotenv}"\n`,
  '.github/workflows/deploy.yml': `on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      API_TOKEN: "${W.yaml}"\n    steps:\n      - run: ./deploy.sh\n`,
  'app/settings.py': `import os\nPASSWORD = '${W.python}'\n`,
  'appsettings.json': `{\n  "Auth": {\n    "ClientSecret": "${W.json}"\n  }\n}\n`,
  '.env.staging': `DATABASE_URL=postgres://app:${W.url}@db.internal:5432/app\n`,
  'scripts/deploy.sh': `#!/bin/sh\nexport SERVICE_TOKEN="${W.shell}"\n`,
  'chart/values.yaml': `tls:\n  key: |\n    -----BEGIN RSA PRIV${'ATE KEY'}-----\n    ${W.pem}\n    ${synth(BASE64, 64, 778)}\n    -----END RSA PRIV${'ATE KEY'}-----\n`,
};

/** Every form of a secret that must not appear: itself, JSON- and URL-encoded, base64 at each alignment. */
function forms(s: string): string[] {
  const out = [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s), encodeURIComponent(s).replace(/%20/g, '+')];
  for (let k = 0; k < 3; k++) {
    const b = Buffer.from(s.slice(k)).toString('base64');
    // The tail depends on what follows in a longer payload: keep the part fixed by the secret.
    out.push(b.slice(0, Math.floor((b.length - 4) / 4) * 4), b.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_').slice(0, -3));
  }
  return out.filter((x) => x.length >= 6);
}

/** 6-character pieces of the secret as decoded and as written (a preview shows at most 4). */
function pieces(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 6 <= s.length; i++) out.push(s.slice(i, i + 6));
  return out;
}

const NEEDLES = Object.keys(C).flatMap((k) => {
  const c = C[k as keyof typeof C];
  const w = W[k as keyof typeof W];
  return [...new Set([...forms(c), ...forms(w), ...pieces(c), ...pieces(w), ...pieces(JSON.stringify(c).slice(1, -1))])].map((n) => ({ k, n }));
});

function leaks(label: string, out: string): void {
  const found = NEEDLES.filter(({ n }) => out.includes(n));
  assert.deepEqual(found.map(({ k, n }) => `${k}: ${JSON.stringify(n)}`), [], `${label} leaks`);
}

let home: string;
let repo: string;

function orchard(args: string[]): { code: number; all: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ORCHARD_CONFIG: path.join(home, 'config.json'), ORCHARD_STORE_DIR: path.join(home, 'store'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig') },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, all: `${r.stdout}\n${r.stderr}` };
}

before(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'orchard-canary-'));
  writeFileSync(path.join(home, 'config.json'), '{}');
  writeFileSync(path.join(home, 'gitconfig'), '');
  repo = path.join(home, 'repo');
  for (const [f, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
    writeFileSync(path.join(repo, f), text);
  }
});
after(() => rmSync(home, { recursive: true, force: true }));

test('the canaries are planted as intended (each file holds its written form)', () => {
  for (const k of Object.keys(W) as (keyof typeof W)[]) {
    assert.ok(Object.values(FILES).some((t) => t.includes(W[k])), k);
  }
  // The forms checked are not trivially absent: the planted files themselves contain them.
  const all = Object.values(FILES).join('\n');
  for (const k of ['dotenv', 'yaml', 'json', 'shell', 'python'] as const) assert.ok(all.includes(W[k]));
});

test('the leak check itself catches every encoding', () => {
  for (const k of Object.keys(C) as (keyof typeof C)[]) {
    const c = C[k];
    for (const out of [c, JSON.stringify({ m: c }), `x=${encodeURIComponent(c)}&y`, Buffer.from(`prefix:${c}:suffix`).toString('base64'), Buffer.from(`pre${c}`).toString('base64url'), `${c.slice(3, 9)}`]) {
      assert.throws(() => leaks(k, out), /leaks/, `${k}: ${out}`);
    }
    assert.doesNotThrow(() => leaks(k, `(${c.slice(0, 4)}…)`));
  }
});

test('findings: every canary is found; messages, fix data, code action titles and hovers never carry it', async () => {
  const ws = buildWorkspace(await scanWorkspace(repo));
  const findings = runRules({ workspace: ws, envStates: new Map(), settings: { envs: [], severities: {} } }, { parseOnly: true });
  const creds = findings.filter((f) => f.code.startsWith('credential-'));
  const files = new Set(creds.map((f) => path.relative(repo, new URL(f.uri).pathname)));
  assert.deepEqual([...files].sort(), Object.keys(FILES).sort());
  leaks('findings (messages, data, related)', JSON.stringify(findings));
  leaks('scanner output (previews, notices)', JSON.stringify(ws.credentials));
  const ctx = { workspace: ws, envStates: new Map(), envs: [] };
  for (const f of findings) {
    const actions = codeActions(ctx, f.uri, f.range, [f]);
    leaks(`code actions at ${f.code}`, JSON.stringify(actions.map((a) => a.title)));
    const h = hover(ctx, f.uri, f.range.start);
    leaks(`hover at ${f.code}`, JSON.stringify(h ?? null));
  }
});

test('orchard check: text, JSON and SARIF, stdout and stderr', () => {
  for (const format of ['text', 'json', 'sarif']) {
    const r = orchard(['check', '.', '-f', format]);
    assert.equal(r.code, 1, r.all);
    assert.match(r.all, /credential-/);
    leaks(`check -f ${format}`, r.all);
  }
  leaks('check --matrix --severity', orchard(['check', '.', '--matrix', '--severity', 'credential-jwt=warning']).all);
});

test('orchard check --write-baseline: its messages and the baseline file', () => {
  const r = orchard(['check', '.', '--write-baseline']);
  assert.equal(r.code, 0, r.all);
  leaks('write-baseline output', r.all);
  const base = readFileSync(path.join(repo, '.orchard-baseline.json'), 'utf8');
  assert.ok(JSON.parse(base).findings.length >= Object.keys(FILES).length);
  leaks('baseline file', base);
  rmSync(path.join(repo, '.orchard-baseline.json'));
});

test('orchard check --staged: text, JSON and SARIF', () => {
  const git = (args: string[]) => {
    const g = spawnSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig') } });
    assert.equal(g.status, 0, g.stderr);
  };
  git(['init', '-q']);
  git(['add', '.']);
  for (const format of ['text', 'json', 'sarif']) {
    const r = orchard(['check', '--staged', '.', '-f', format]);
    assert.equal(r.code, 1, r.all);
    leaks(`check --staged -f ${format}`, r.all);
  }
});
