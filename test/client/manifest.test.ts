// The VS Code manifest (package.json "contributes") against the client code and the protocol:
// every command is contributed once and implemented, menus name real commands, settings that
// choose credentials or endpoints cannot be set by a workspace, activation stays narrow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { ClientCommands } from '../../server/src/lsp/protocol';
import { ALL_RULES } from '../../server/src/analysis/index';
import { DOCUMENT_SELECTOR, FIGGY_JSON_LOCATIONS } from '../../client/src/selector';
import { WATCHED_GLOBS } from '../../server/src/lsp/server';
import { classifyEnvFile } from '../../server/src/model/files';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const c = pkg.contributes;

function clientSources(dir = join(root, 'client', 'src')): string {
  return readdirSync(dir).map((n) => join(dir, n)).map((p) => (statSync(p).isDirectory() ? clientSources(p) : p.endsWith('.ts') ? readFileSync(p, 'utf8') : '')).join('\n');
}

/** Whether the client sends a document at this path to the server (a pattern of the selector matches it). */
const selected = (p: string) => DOCUMENT_SELECTOR.some((f) => f.pattern !== undefined && matchesGlob(p, f.pattern));
/** Whether the server asks the client to watch this path for changes. */
const watched = (p: string) => WATCHED_GLOBS.some((g) => matchesGlob(p, g));

test('manifest: every contributed command is registered by the client and vice versa', () => {
  const contributed: string[] = c.commands.map((x: { command: string }) => x.command);
  assert.equal(new Set(contributed).size, contributed.length, 'no duplicates');
  for (const x of c.commands) {
    assert.equal(x.category, 'Orchard', x.command);
    assert.ok(x.title && x.title.length > 2, x.command);
  }
  const src = clientSources();
  const constants: Record<string, string> = Object.fromEntries(Object.entries(ClientCommands).map(([k, v]) => [`ClientCommands.${k}`, v]));
  const registered = [...src.matchAll(/registerCommand\(\s*('([^']+)'|ClientCommands\.\w+)/g)].map((m) => m[2] ?? constants[m[1]]);
  assert.deepEqual([...registered].sort(), [...contributed].sort());
  for (const id of Object.values(ClientCommands)) assert.ok(contributed.includes(id), `server code actions call ${id}`);
});

test('manifest: menus and welcome links name contributed commands; tree menus key on context values the tree sets', () => {
  const ids = new Set(c.commands.map((x: { command: string }) => x.command));
  for (const [where, items] of Object.entries(c.menus) as [string, { command: string; when?: string }[]][]) {
    for (const m of items) assert.ok(ids.has(m.command), `${where}: ${m.command}`);
  }
  const itemMenus = c.menus['view/item/context'] as { when: string }[];
  for (const m of itemMenus) assert.match(m.when, /viewItem (==|=~) /);
  assert.ok(itemMenus.some((m) => m.when.includes('orchard\\.parameter\\.(plain|secure)')));
  for (const w of c.viewsWelcome) {
    for (const link of w.contents.matchAll(/\(command:([\w.]+)/g)) assert.ok(ids.has(link[1]) || /^(vscode|workbench)\./.test(link[1]), link[1]);
  }
  assert.equal(c.views.orchard[0].name, 'Fig Orchard');
  assert.ok(c.viewsWelcome.some((w: { when: string }) => w.when.startsWith('!orchard.hasConfig && workbenchState != empty')));
});

test('manifest: settings that choose backends, credentials or value display are machine-scoped', () => {
  const p = c.configuration.properties;
  for (const key of ['orchard.environments', 'orchard.backends', 'orchard.localStoreDir', 'orchard.hover.values']) assert.equal(p[key].scope, 'machine', key);
  assert.equal(p['orchard.severity'].scope, 'resource');
  assert.equal(p['orchard.hover.values'].default, 'never');
  assert.deepEqual(p['orchard.hover.values'].enum, ['never', 'plain']);
  assert.ok(p['orchard.trace.server']);
  for (const [k, v] of Object.entries(p) as [string, { description?: string; markdownDescription?: string }][]) {
    assert.ok((v.description ?? v.markdownDescription ?? '').length > 30, `${k} is described`);
  }
  // every rule has a severity entry with its default, so the settings editor can complete them
  const sev = p['orchard.severity'].properties as Record<string, { default: string }>;
  assert.deepEqual(Object.keys(sev).sort(), ALL_RULES.map((r) => r.code).sort());
  for (const r of ALL_RULES) assert.equal(sev[r.code].default, r.defaultSeverity, r.code);
  // keys the server reads from the `orchard` section (protocol.ts OrchardSettings)
  for (const key of ['environments', 'severity', 'hover.values', 'refreshInterval', 'backends', 'localStoreDir', 'figgyJsonFiles', 'exclude', 'apps.roots']) assert.ok(p[`orchard.${key}`], key);
});

test('manifest: narrow activation, limited untrusted support, schemas and grammar files exist', () => {
  // Figgy files, and the twelve-factor / CI files: never every Python or YAML workspace.
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/figgy.json'));
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/charmcraft.yaml'));
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/.travis.yml'));
  // A repository that configures gitleaks, detect-secrets or ggshield cares about credentials: their allowlists are honoured.
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/.gitleaks.toml'));
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/.secrets.baseline'));
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/.gitguardian.{yaml,yml}'));
  // Heroku's manifest, Render's Blueprint, a DigitalOcean app spec: an app deployed from one may have no other file Orchard starts on.
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/app.json'));
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/render.yaml'));
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/{k8s,kubernetes,manifests}/**/*.{yaml,yml}'));
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/.do/{app,deploy.template}.{yaml,yml}'));
  assert.ok(pkg.activationEvents.every((e: string) => e.startsWith('workspaceContains:')), 'no activation on a language alone');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  for (const j of c.jsonValidation) assert.ok(existsSync(join(root, j.url)), `${j.url} exists`);
  for (const loc of FIGGY_JSON_LOCATIONS) {
    assert.ok(c.jsonValidation.some((j: { fileMatch: string; url: string }) => j.url.endsWith('figgy.schema.json') && (j.fileMatch === loc || matchesGlob(`/w/${loc}`, j.fileMatch))), `schema for ${loc}`);
  }
  for (const g of c.grammars) assert.ok(existsSync(join(root, g.path)), g.path);
  assert.ok(existsSync(join(root, pkg.icon)));
  assert.ok(existsSync(join(root, c.viewsContainers.activitybar[0].icon)));
});

test('document selector: covers every figgy.json location, figgy-secrets.json, imports beside them, and Python', () => {
  for (const loc of FIGGY_JSON_LOCATIONS) assert.ok(selected(`/ws/svc/${loc}`), loc);
  assert.ok(selected('/ws/svc/figgy/figgy-secrets.json'));
  assert.ok(selected('/ws/svc/figgy/shared-imports.json'));
  // any other JSON file goes to the server, which reads it only when its content is Figgy's
  assert.ok(!selected('/ws/svc/package.json'));
  assert.ok(DOCUMENT_SELECTOR.some((f) => f.language === 'json' && f.pattern === undefined));
  assert.ok(DOCUMENT_SELECTOR.some((f) => f.language === 'python'));
  assert.ok(DOCUMENT_SELECTOR.every((f) => f.scheme === 'file'));
});

test("other secret scanners' files: sent by the client (their warnings follow edits) and watched by the server", () => {
  for (const n of ['.gitleaks.toml', '.secrets.baseline', '.gitguardian.yaml', '.gitguardian.yml', '.github/secret_scanning.yml']) {
    assert.ok(selected(`/ws/${n}`), `selector: ${n}`);
    assert.ok(watched(`/ws/${n}`), `watched: ${n}`);
  }
  assert.ok(watched('/ws/.gitleaksignore'));
});

test('Dockerfiles: every name the server classifies as one is sent by the client and watched by the server', () => {
  for (const n of ['Dockerfile', 'Dockerfile.prod', 'Dockerfile-dev', 'web.Dockerfile', 'app.dockerfile', 'Containerfile']) {
    assert.equal(classifyEnvFile(`/ws/app/${n}`), 'dockerfile', n);
    assert.ok(selected(`/ws/app/${n}`), `selector: ${n}`);
    assert.ok(watched(`/ws/app/${n}`), `watched: ${n}`);
  }
  assert.ok(DOCUMENT_SELECTOR.some((f) => f.language === 'dockerfile'));
});

test('files of a folder of environment files: classified as .env files, sent by the client and watched by the server', () => {
  for (const p of ['/ws/env.d/development/common', '/ws/env.d/development/postgresql.dist', '/ws/.envs/.production/.django', '/ws/deploy/envs/web']) {
    assert.equal(classifyEnvFile(p), 'dotenv', p);
    assert.ok(selected(p), `selector: ${p}`);
    assert.ok(watched(p), `watched: ${p}`);
  }
  // Other files there keep their own kind.
  assert.equal(classifyEnvFile('/ws/env.d/README.md'), 'source');
  assert.equal(classifyEnvFile('/ws/envs/setup.sh'), 'source');
  // A virtualenv or conda folder named envs/ holds scripts: only envs/'s own files are environment files.
  assert.equal(classifyEnvFile('/ws/envs/py312/bin/activate'), undefined);
});

test('Terraform files: read by content (a Lambda function, else the credential scan), sent by the client, watched by the server, activating the extension', () => {
  for (const p of ['/ws/infra/main.tf', '/ws/lambda.tf']) {
    assert.equal(classifyEnvFile(p), 'source', p);
    assert.ok(selected(p), `selector: ${p}`);
    assert.ok(watched(p), `watched: ${p}`);
  }
  assert.ok(DOCUMENT_SELECTOR.some((f) => f.language === 'terraform'));
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/*.tf'));
});

test("the container definitions a Terraform file renders: classified by name, read by content, sent by the client and watched by the server", () => {
  for (const p of ['/ws/terraform/templates/app.json.tpl', '/ws/infra/task_definition.json.tpl', '/ws/infra/web.tftpl', '/ws/ecs/containers.json.tmpl', '/ws/task-definition.tpl']) {
    assert.equal(classifyEnvFile(p), 'source', p);
    assert.ok(selected(p), `selector: ${p}`);
    assert.ok(watched(p), `watched: ${p}`);
  }
});

test("an AWS CDK app (cdk.json beside its Python stacks) activates the extension: its stacks are Python, which alone does not", () => {
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/cdk.json'));
  assert.ok(DOCUMENT_SELECTOR.some((f) => f.language === 'python'));
});

test('key files: classified for the credential scan, sent by the client and watched by the server', () => {
  for (const p of ['/ws/deploy/id_rsa', '/ws/deploy/id_ed25519', '/ws/certs/server.key', '/ws/certs/tls.pem']) {
    assert.equal(classifyEnvFile(p), 'source', p);
    assert.ok(selected(p), `selector: ${p}`);
    assert.ok(watched(p), `watched: ${p}`);
  }
  assert.equal(classifyEnvFile('/ws/deploy/id_rsa.pub'), undefined);
});

test('.vscodeignore ships the bundles, schemas, grammar and icons only', () => {
  const lines = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**');
  for (const need of ['!dist/client.js', '!dist/server.js', '!dist/*.wasm', '!schemas/*.json', '!syntaxes/*.json', '!resources/*.png']) assert.ok(lines.includes(need), need);
});

test('.vscodeignore ships every file the built server loads on first use (the SSM backend, the parse worker)', () => {
  const lines = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  const bundle = readFileSync(join(root, 'dist', 'server.js'), 'utf8');
  const lazy = [...bundle.matchAll(/require\("\.\/([\w.-]+\.js)"\)/g), ...bundle.matchAll(/"(\w+Worker\.js)"/g)].map((m) => m[1]);
  assert.ok(lazy.includes('ssm.js') && lazy.includes('parseWorker.js'), `files the server loads on first use: ${lazy.join(', ')}`);
  for (const f of lazy) {
    assert.ok(lines.includes(`!dist/${f}`), `.vscodeignore ships dist/${f}`);
    assert.ok(existsSync(join(root, 'dist', f)), `dist/${f} is built`);
  }
});

test('manifest: the walkthrough goes from opening a service to the first sync; its links and media exist and ship', () => {
  const w = c.walkthroughs as { id: string; steps: { id: string; description: string; media: { markdown?: string } }[] }[];
  assert.equal(w.length, 1);
  assert.deepEqual(w[0].steps.map((s) => s.id).slice(0, 4), ['open', 'envs', 'problems', 'sync']);
  const ids = new Set(c.commands.map((x: { command: string }) => x.command));
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8');
  for (const s of w[0].steps) {
    for (const link of s.description.matchAll(/\(command:([\w.]+)/g)) assert.ok(ids.has(link[1]) || /^(vscode|workbench)\./.test(link[1]) || link[1] === 'orchard.apps.focus', link[1]);
    assert.ok(s.media.markdown && existsSync(join(root, s.media.markdown)), s.media.markdown);
  }
  assert.match(ignore, /^!resources\/walkthrough\/\*\.md$/m, 'walkthrough media ship in the VSIX');
  assert.match(ignore, /^!LICENSE$/m);
  assert.ok(existsSync(join(root, 'LICENSE')));
});
