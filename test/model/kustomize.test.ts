// Kustomize generators (parse/k8sManifest.ts kustomization, model/kustomize.ts): a ConfigMap or
// Secret a `configMapGenerator` / `secretGenerator` makes is what an `envFrom` of a manifest in the
// folders the kustomization builds on takes in — literals, files, `envs` files; an overlay's
// generator reaches its `../../base`; a keystroke in a generator's `.env` builds the apps again.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPython, parsePython } from '../../server/src/parse/python';
import { parseYamlFile } from '../../server/src/parse/yaml';
import { parseK8sManifests } from '../../server/src/parse/k8sManifest';
import { buildWorkspace, type BuildInput } from '../../server/src/model/build';
import { patchWorkspace } from '../../server/src/model/patch';
import { sourcesKnown } from '../../server/src/model/sourcesKnown';
import { buildInput, built, type EnvFileSpec } from './buildInput.helpers';

before(async () => {
  await initPython();
});

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1\n          envFrom:\n            - configMapRef:\n                name: web-config\n            - secretRef:\n                name: web-secrets\n';
const BASE = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\nconfigMapGenerator:\n  - name: web-config\n    literals:\n      - LOG_LEVEL=info\n      - "WORKERS=4"\n    files:\n      - settings.json\n';
const PROD = 'resources:\n  - ../../base\n  - https://github.com/acme/shared//base?ref=v1\nsecretGenerator:\n  - name: web-secrets\n    envs:\n      - secrets.env\n';

test('a kustomization: its generators with the keys of their literals and files, their envs files, and what it builds on', () => {
  const text = BASE;
  const m = parseK8sManifests(parseYamlFile(text), 'file:///ws/k8s/base/kustomization.yaml')!;
  assert.deepEqual(m.kustomize, { resources: ['deployment.yaml'] });
  assert.deepEqual(m.data.map((d) => [d.from, d.name, d.keys.map((k) => k.key), d.envFiles]), [['config-map', 'web-config', ['LOG_LEVEL', 'WORKERS', 'settings.json'], undefined]]);
  // A key's range is the key's, inside the quotes of a quoted literal.
  const lines = text.split('\n');
  for (const k of m.data[0].keys.slice(0, 2)) assert.equal(lines[k.range.start.line].slice(k.range.start.character, k.range.end.character), k.key);
  const prod = parseK8sManifests(parseYamlFile(PROD), 'file:///ws/k8s/overlays/prod/kustomization.yaml')!;
  assert.deepEqual(prod.data.map((d) => [d.from, d.name, d.envFiles]), [['secret', 'web-secrets', ['secrets.env']]]);
  // The same text under another name is no kustomization.
  assert.equal(parseK8sManifests(parseYamlFile(PROD), 'file:///ws/k8s/overlays/prod/other.yaml'), undefined);
});

function workspace(files: Record<string, string>): BuildInput {
  const envFiles: EnvFileSpec[] = Object.entries(files).map(([p, text]) => [p.endsWith('.env') ? 'dotenv' : 'source', `file:///ws/${p}`, text]);
  return { ...buildInput({ envFiles }), python: [parsePython('import os\nDB = os.environ["DATABASE_URL"]\nW = os.environ["WORKERS"]\nT = os.environ["API_TOKEN"]\n', 'file:///ws/app.py')] };
}
const FILES = { 'k8s/base/deployment.yaml': DEPLOYMENT, 'k8s/base/kustomization.yaml': BASE, 'k8s/overlays/prod/kustomization.yaml': PROD, 'k8s/overlays/prod/secrets.env': 'DATABASE_URL=postgres://db/app\n' };
const k8s = (inp: BuildInput) => buildWorkspace(inp).apps![0].sources.find((s) => s.kind === 'kubernetes')!;

test("an envFrom takes in what the base's generator and an overlay's make: literals, an envs file's keys (their places in that file); the container's environment is then known", () => {
  const inp = workspace(FILES);
  const s = k8s(inp);
  assert.equal(s.incompleteReason, undefined);
  assert.deepEqual(s.provides.map((p) => [p.name, p.uri.replace('file:///ws/', ''), p.range.start.line]).sort(), [
    ['DATABASE_URL', 'k8s/overlays/prod/secrets.env', 0],
    ['LOG_LEVEL', 'k8s/base/kustomization.yaml', 7],
    ['WORKERS', 'k8s/base/kustomization.yaml', 8],
    ['settings.json', 'k8s/base/kustomization.yaml', 10],
  ]);
  assert.ok(s.provides.find((p) => p.name === 'DATABASE_URL')!.sensitive);
  assert.ok(sourcesKnown(buildWorkspace(inp).apps![0].sources));
});

test("a ConfigMap manifest an overlay lists beside its kustomization reaches the base's deployment", () => {
  const overlay = 'resources:\n  - ../../base\n  - config.yaml\n';
  const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  WORKERS: "8"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: web-secrets\nstringData:\n  DATABASE_URL: postgres://db/app\n';
  const s = k8s(workspace({ 'k8s/base/deployment.yaml': DEPLOYMENT, 'k8s/overlays/prod/kustomization.yaml': overlay, 'k8s/overlays/prod/config.yaml': config }));
  assert.equal(s.incompleteReason, undefined);
  assert.deepEqual(s.provides.map((p) => [p.name, p.uri.replace('file:///ws/', '')]).sort(), [['DATABASE_URL', 'k8s/overlays/prod/config.yaml'], ['WORKERS', 'k8s/overlays/prod/config.yaml']]);
});

test("a ConfigMap's key from another manifest of the folder is in that file (hover and navigation go there)", () => {
  const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  WORKERS: "8"\n';
  const s = k8s(workspace({ 'k8s/deployment.yaml': DEPLOYMENT, 'k8s/configmap.yaml': config }));
  assert.deepEqual(s.provides.map((p) => [p.name, p.uri.replace('file:///ws/', ''), p.range.start.line]), [['WORKERS', 'k8s/configmap.yaml', 5]]);
});

test('an envs file Orchard did not read, or a generator nowhere: unknown, and the reason says which', () => {
  const { ['k8s/overlays/prod/secrets.env']: _gone, ...withoutEnv } = FILES;
  assert.equal(k8s(workspace(withoutEnv)).incompleteReason, 'envFrom takes in keys of secrets.env, which Orchard did not read');
  const { ['k8s/overlays/prod/kustomization.yaml']: _none, ...noOverlay } = FILES;
  assert.match(k8s(workspace(noOverlay)).incompleteReason ?? '', /^envFrom takes in Secret web-secrets, not defined in this folder's manifests or a kustomization building on it$/);
});

test("a keystroke in a generator's .env builds the apps again: patched equals built", () => {
  const first = workspace(FILES);
  const prev = built(first);
  const edited = workspace({ ...FILES, 'k8s/overlays/prod/secrets.env': 'DATABASE_URL=postgres://db/app\nAPI_TOKEN=\n' });
  const uri = 'file:///ws/k8s/overlays/prod/secrets.env';
  const inp: BuildInput = { ...first, env: { ...first.env!, dotenv: first.env!.dotenv.map((m) => (m.uri === uri ? edited.env!.dotenv.find((n) => n.uri === uri)! : m)) } };
  const got = patchWorkspace(prev, inp);
  assert.deepEqual(got, buildWorkspace(inp));
  assert.ok(k8s(inp).provides.some((p) => p.name === 'API_TOKEN'));
});

test('kustomizations that build on each other in a cycle, or 20 deep, are followed within bounds', () => {
  const files: Record<string, string> = { 'k8s/a/deployment.yaml': DEPLOYMENT, 'k8s/a/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - ../b\n', 'k8s/b/kustomization.yaml': 'resources:\n  - ../a\nconfigMapGenerator:\n  - name: web-config\n    literals: [WORKERS=2]\nsecretGenerator:\n  - name: web-secrets\n    literals: [DATABASE_URL=x]\n' };
  assert.deepEqual(k8s(workspace(files)).provides.map((p) => p.name).sort(), ['DATABASE_URL', 'WORKERS']);
  // A chain of 20 overlays: the generator 20 levels up is past the bound, so the Secret stays unknown.
  const chain: Record<string, string> = { 'k8s/l0/deployment.yaml': DEPLOYMENT, 'k8s/l0/kustomization.yaml': 'resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: web-config\n    literals: [WORKERS=2]\n' };
  for (let i = 1; i <= 20; i++) chain[`k8s/l${i}/kustomization.yaml`] = `resources: [../l${i - 1}]\n${i === 20 ? 'secretGenerator:\n  - name: web-secrets\n    literals: [DATABASE_URL=x]\n' : ''}`;
  assert.match(k8s(workspace(chain)).incompleteReason ?? '', /Secret web-secrets, not defined/);
});
