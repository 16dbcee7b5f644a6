// Snapshot test of the merge-reference injection grammar, tokenised by vscode-textmate (the engine
// VS Code uses) with the Oniguruma wasm. Host grammars: small stand-ins written for this test, and
// additionally VS Code's real Python and JSON grammars when the editor cache has them
// (scripts/real-editor/setup.sh). Update the snapshot with ORCHARD_UPDATE_SNAPSHOTS=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = join(__dirname, '..', '..');
const INJECTION = 'orchard.merge-reference.injection';
const injectionPath = join(root, 'syntaxes', 'merge-reference.injection.tmLanguage.json');
const snapshotPath = join(__dirname, 'fixtures', 'grammar.snap.json');
const realExt = join(process.env.EDITOR_CACHE ?? join(root, '.cache', 'editor'), 'cs', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions');

// Minimal hosts: just enough structure (strings, comments) to show where the injection applies.
const stubPython = {
  scopeName: 'source.python',
  patterns: [
    { match: '#.*$', name: 'comment.line.number-sign.python' },
    { begin: '(?i)f"', end: '"', name: 'meta.fstring.python' },
    { begin: '"', end: '"', name: 'string.quoted.double.python' },
    { begin: "'", end: "'", name: 'string.quoted.single.python' },
  ],
};
const stubJson = { scopeName: 'source.json', patterns: [{ begin: '"', end: '"', name: 'string.quoted.double.json' }] };

let onigLoaded: Promise<void> | undefined;
function onig(): vsctm.IOnigLib {
  return {
    createOnigScanner: (p) => new oniguruma.OnigScanner(p),
    createOnigString: (s) => new oniguruma.OnigString(s),
  };
}
async function registry(hosts: Record<string, () => unknown>): Promise<vsctm.Registry> {
  onigLoaded ??= oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer as ArrayBuffer);
  await onigLoaded;
  return new vsctm.Registry({
    onigLib: Promise.resolve(onig()),
    loadGrammar: async (scope) => {
      if (scope === INJECTION) return vsctm.parseRawGrammar(readFileSync(injectionPath, 'utf8'), injectionPath);
      const h = hosts[scope];
      return h ? vsctm.parseRawGrammar(JSON.stringify(h()), `${scope}.json`) : null;
    },
    getInjections: (scope) => (scope === 'source.python' || scope === 'source.json' ? [INJECTION] : undefined),
  });
}

/** Tokens of one line as `text => innermost orchard scope`, only for tokens the injection scoped. */
async function tokens(reg: vsctm.Registry, scope: string, line: string): Promise<string[]> {
  const g = await reg.loadGrammar(scope);
  assert.ok(g, `grammar ${scope} loads`);
  const r = g.tokenizeLine(line, vsctm.INITIAL);
  return r.tokens
    .map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scope: [...t.scopes].reverse().find((s) => s.endsWith('.orchard')) }))
    .filter((t) => t.scope)
    .map((t) => `${t.text} => ${t.scope}`);
}

const SAMPLES: [string, string][] = [
  ['source.python', '    pattern=["mysql://", "${/app/demo/sql/user:uri}", "@", "${/app/demo/sql/host}"],'],
  ['source.python', "X = '${/shared/db/port}'  # ${/not/in/comment}"],
  ['source.python', 'Y = f"${/app/x}" + plain_${/not/a/string}'],
  ['source.python', 'Z = "${not-a-path}" "${/app/ok}x${/app/two:uri}"'],
  ['source.json', '"mysql://", "${/app/demo-service/replicated/sql/user:uri}", ":",'],
  ['source.json', '"/dba/secrets/mysql/${SERVICE_NAME}/user": "/app/${SERVICE_NAME}/replicated/sql/user"'],
  ['source.json', '"${/app/a:url}" "${/app/b}"'],
];

async function snapshotFor(reg: vsctm.Registry): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [scope, line] of SAMPLES) out[`${scope} | ${line}`] = await tokens(reg, scope, line);
  return out;
}

test('grammar: merge references and template variables are scoped inside strings only (stub hosts, snapshot)', async () => {
  const reg = await registry({ 'source.python': () => stubPython, 'source.json': () => stubJson });
  const got = await snapshotFor(reg);
  if (process.env.ORCHARD_UPDATE_SNAPSHOTS || !existsSync(snapshotPath)) writeFileSync(snapshotPath, `${JSON.stringify(got, null, 2)}\n`);
  assert.deepEqual(got, JSON.parse(readFileSync(snapshotPath, 'utf8')));
  // the properties the snapshot encodes, stated directly
  const py = got[`source.python | ${SAMPLES[0][1]}`];
  assert.ok(py.includes('/app/demo/sql/user => variable.other.constant.parameter-path.orchard'));
  assert.ok(py.includes('uri => keyword.other.uri-encode.orchard'));
  const comment = got[`source.python | ${SAMPLES[1][1]}`];
  assert.ok(!comment.some((t) => t.startsWith('/not/in/comment')), 'not inside comments');
  assert.ok(!got[`source.python | ${SAMPLES[2][1]}`].some((t) => t.includes('/not/a/string') || t.includes('/app/x')), 'not in f-strings or code');
  assert.ok(got[`source.json | ${SAMPLES[5][1]}`].includes('SERVICE_NAME => variable.other.template.orchard'));
  assert.ok(!got[`source.json | ${SAMPLES[6][1]}`].some((t) => t.startsWith('url')), ':url is not a modifier');
});

test('grammar: works inside VS Code\'s own Python and JSON grammars', async (t) => {
  const py = join(realExt, 'python', 'syntaxes', 'MagicPython.tmLanguage.json');
  const json = join(realExt, 'json', 'syntaxes', 'JSON.tmLanguage.json');
  if (!existsSync(py) || !existsSync(json)) {
    t.skip('VS Code grammars not installed (run scripts/real-editor/setup.sh)');
    return;
  }
  const reg = await registry({ 'source.python': () => JSON.parse(readFileSync(py, 'utf8')), 'source.json': () => JSON.parse(readFileSync(json, 'utf8')) });
  const stub = JSON.parse(readFileSync(snapshotPath, 'utf8')) as Record<string, string[]>;
  const real = await snapshotFor(reg);
  // Same highlighting as with the stand-in hosts, line by line.
  for (const key of Object.keys(stub)) assert.deepEqual(real[key], stub[key], key);
});
