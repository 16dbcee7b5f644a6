// Quick fixes of the twelve-factor rules, built from Finding.data: add the option to charmcraft.yaml
// (a secret when the variable is sensitive) or the variable to `.env`, Heroku's app.json, a Render
// service, a DigitalOcean component or an App Engine service, rename a read to the provided name, drop an insecure default, remove an unused option or
// line, turn a string option into a secret, keep a local secrets file out of git. Plain text edits;
// no value is ever invented.
import type { Finding } from '../../analysis/types';
import type { Range } from '../../parse/types';
import type { App, AppSource } from '../../model/types';
import { isExampleEnvFile } from '../../model/apps';
import { dirOf, fileNameOf, innermostRoot } from '../../model/uris';
import { decodePercent } from '../../parse/text';
import { appJsonEntryInsert } from '../../parse/herokuAppJson';
import { renderEntryInsert } from '../../parse/renderBlueprint';
import { doEntryEdit } from '../../parse/doAppSpec';
import { appEngineEntryInsert } from '../../parse/appEngine';
import { serverlessEntryInsert } from '../../parse/serverless';
import { samEntryInsert } from '../../parse/samTemplate';
import { zappaEntryInsert } from '../../parse/zappaSettings';
import { chaliceEntryInsert } from '../../parse/chaliceConfig';
import { ecsEntryInsert, slotsAsJson, templateSlots } from '../../parse/ecsTaskDef';
import { hclEcsEntryInsert } from '../../parse/terraformEcs';
import { parseTerraform, terraformEntryInsert } from '../../parse/terraform';
import { parsePython } from '../../parse/python';
import { cdkEntryInsert } from '../../parse/pythonCdk';
import { helmEnvEntryInsert } from '../../parse/helmTemplate';
import { helmValuesEntryInsert } from '../../parse/helmValues';
import { chartEnv } from '../../model/helmChart';
import { mayBeAppImage } from '../../model/appSources';
import type { SamTemplateModel } from '../../parse/platformTypes';
import { cdkFunctionsByDir, samFunctionsByDir, terraformArchives, terraformFunctionsByDir } from '../../model/lambdaSources';
import type { CodeActionPlain, FeatureContext, TextEdit } from '../types';
import { offsetAt, positionAt } from '../positions';
import { findNodeAtLocation, getLocation, parseTree } from 'jsonc-parser';
import { addOptionEdit, deleteLines, optionNameFor } from './charmEdits';

function app(ctx: FeatureContext, id: string): App | undefined {
  return ctx.workspace.apps?.find((a) => a.id === id);
}

function appendLine(text: string, line: string): TextEdit {
  const lines = text.split('\n');
  const last = lines.length - 1;
  const at = { line: last, character: lines[last].length };
  const nl = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  return { range: { start: at, end: at }, newText: `${nl}${line}\n` };
}

function addVariable(ctx: FeatureContext, f: Finding, name: string, appId: string, sensitive: boolean): CodeActionPlain[] {
  const a = app(ctx, appId);
  if (!a) return [];
  const out: CodeActionPlain[] = [];
  const charm = a.charm?.find((c) => c.file === 'charmcraft') ?? a.charm?.find((c) => c.file === 'config');
  if (charm && a.framework) {
    const plan = optionNameFor(a.framework, name, sensitive);
    const text = ctx.getText?.(charm.uri);
    if (plan && text !== undefined) {
      const what = plan.type === 'secret' ? `secret option ${plan.option} (key ${plan.secretKey})` : `option ${plan.option}`;
      out.push({
        title: `Add ${what} to ${fileNameOf(charm.uri)}`,
        kind: 'quickfix',
        fixes: [f],
        isPreferred: true,
        edit: { changes: { [charm.uri]: [addOptionEdit(charm, text, plan, `Provides ${name} to the app.`)] } },
      });
    }
  }
  // Sources of one file that take the same edit (a Chalice project's stages share its top-level variables): one action.
  const titles = new Set(out.map((x) => x.title));
  for (const s of a.sources) for (const x of ADDERS.get(s.kind)?.(ctx, f, name, s, sensitive) ?? []) if (!titles.has(x.title)) titles.add(x.title) && out.push(x);
  return out;
}

/**
 * One quick fix inserting text into a source's file: `insertAt` says where and what from the file's
 * text (undefined: the file is not one it can edit), `title` names it from that answer.
 */
function insertFix<A extends { offset: number; insert: string }>(ctx: FeatureContext, f: Finding, uri: string, insertAt: (text: string) => A | undefined, title: (at: A) => string): CodeActionPlain[] {
  const text = ctx.getText?.(uri);
  const at = text === undefined ? undefined : insertAt(text);
  if (!at) return [];
  const pos = positionAt(text!, at.offset);
  return [{ title: title(at), kind: 'quickfix', fixes: [f], edit: { changes: { [uri]: [{ range: { start: pos, end: pos }, newText: at.insert }] } } }];
}

/** What follows `#` in a source's id: the service, component, stage, container or code folder it stands for. */
const idTail = (s: AppSource) => s.id.slice(s.id.indexOf('#') + 1);

/** `NAME=` at the end of a complete `.env`: a secret gets an empty value, the user types it; Orchard never invents one. */
function addToDotenv(ctx: FeatureContext, f: Finding, name: string, s: AppSource): CodeActionPlain[] {
  const text = s.complete ? ctx.getText?.(s.uri) : undefined;
  if (text === undefined) return [];
  return [{ title: `Add ${name}= to ${s.label}${isExampleEnvFile(s.uri) ? ' (example)' : ''}`, kind: 'quickfix', fixes: [f], edit: { changes: { [s.uri]: [appendLine(text, `${name}=`)] } } }];
}

/** `"NAME": {"required": true}` in app.json's `env`: the deployer is asked for it (no value is invented). */
function addToAppJson(ctx: FeatureContext, f: Finding, name: string, uri: string): CodeActionPlain[] {
  return insertFix(ctx, f, uri, (text) => appJsonEntryInsert(text, name), () => `Add ${name} to app.json (asked when deploying)`);
}

/** `- key: NAME` / `sync: false` in the service's `envVars`: the Render Dashboard asks for it. */
function addToRender(ctx: FeatureContext, f: Finding, name: string, s: AppSource): CodeActionPlain[] {
  return insertFix(ctx, f, s.uri, (text) => renderEntryInsert(text, idTail(s), name), () => `Add ${name} to ${s.label} in render.yaml (asked in the Dashboard)`);
}

/**
 * In the component's `envs`: `- key: NAME` / `scope: RUN_TIME` (a secret: `type: SECRET`), its value
 * set in App Platform; or, when the spec sets it for the build only, that entry's scope for both.
 */
function addToDoSpec(ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean): CodeActionPlain[] {
  const component = idTail(s);
  const text = ctx.getText?.(s.uri);
  const at = text === undefined ? undefined : doEntryEdit(text, component, name, sensitive);
  if (!at) return [];
  const range = { start: positionAt(text!, at.offset), end: positionAt(text!, at.offset + at.length) };
  const title = at.scope
    ? `Give ${name} to the running app too (scope: RUN_AND_BUILD_TIME in .do/${fileNameOf(s.uri)})`
    : `Add ${name} to ${s.label} in .do/${fileNameOf(s.uri)} (${sensitive ? 'type: SECRET, ' : ''}value set in App Platform)`;
  return [{ title, kind: 'quickfix', fixes: [f], isPreferred: at.scope, edit: { changes: { [s.uri]: [{ range, newText: at.insert }] } } }];
}

/**
 * `NAME: ""` in the service's `env_variables`, its value the user's to type. Not for a secret: App
 * Engine has no secret variables, and a value written there is in the repository in the clear.
 */
function addToAppEngine(ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean): CodeActionPlain[] {
  if (sensitive) return [];
  return insertFix(ctx, f, s.uri, (text) => appEngineEntryInsert(text, name), () => `Add ${name} to ${fileNameOf(s.uri)} env_variables`);
}

/**
 * A variable in `provider.environment` (every function's). A secret's value is not written in the
 * file: it is read from SSM Parameter Store when deploying (`${ssm:/<service>/NAME}`, the parameter
 * is the user's to create); another's is `""`, the user's to type.
 */
function addToServerless(ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean): CodeActionPlain[] {
  return insertFix(ctx, f, s.uri, (text) => serverlessEntryInsert(text, name, sensitive), (at) => `Add ${name} to ${fileNameOf(s.uri)} provider environment${at.ssm ? ` (from SSM parameter ${at.ssm})` : ''}`);
}

/**
 * `NAME: ""` in a SAM template's Globals variables (every function's), or in the one function's of
 * the source. Not for a secret: a Lambda environment takes no SecureString reference, and a value
 * written there is in the repository in the clear.
 */
function addToSam(ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean): CodeActionPlain[] {
  if (sensitive) return [];
  // The source's functions are those whose code is its folder (its id's tail): one, or Globals only.
  const one = (m: SamTemplateModel) => {
    const fns = samFunctionsByDir(m).get(idTail(s));
    return fns?.length === 1 ? fns[0].id : undefined;
  };
  return insertFix(ctx, f, s.uri, (text) => samEntryInsert(text, s.uri, name, one), (at) => `Add ${name} to ${fileNameOf(s.uri)} ${at.where} environment`);
}

/**
 * `"NAME": ""` in the stage's own `environment_variables`, its value the user's to type. Not for a
 * secret (it would sit in the repository in the clear: Zappa's `remote_env` is the place for those).
 */
function addToZappa(ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean): CodeActionPlain[] {
  if (sensitive) return [];
  return insertFix(ctx, f, s.uri, (text) => zappaEntryInsert(text, idTail(s), name), () => `Add ${name} to ${fileNameOf(s.uri)} ${idTail(s)} environment_variables`);
}

/** `"NAME": ""` in a Chalice project's top-level `environment_variables` (every stage's); never a secret's value in the clear. */
function addToChalice(ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean): CodeActionPlain[] {
  if (sensitive) return [];
  return insertFix(ctx, f, s.uri, (text) => chaliceEntryInsert(text, name), () => `Add ${name} to .chalice/config.json environment_variables`);
}

/**
 * A variable in the container's `environment` (`""` to type), or a secret in its `secrets`, read from
 * SSM Parameter Store when the task starts (`/<family>/NAME`, the parameter the user's to create).
 */
function addToEcs(ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean): CodeActionPlain[] {
  // A Terraform task's source: `<task>/<container>` (its containers in the .tf, or in the template it renders).
  const tail = idTail(s);
  const terraform = /\.tf#/.test(s.id);
  const [task, container] = terraform ? [tail.slice(0, tail.indexOf('/')), tail.slice(tail.indexOf('/') + 1)] : ['', tail];
  const insertAt = (text: string) => {
    if (!terraform || !/\.tf$/i.test(s.uri)) return ecsEntryInsert(text, container, name, sensitive);
    const m = parseTerraform(text, s.uri);
    const t = m?.tasks.find((x) => x.id === task);
    // A container of a local or a container definition module this file declares (the task may be another file's).
    const other = t ? undefined : [...(m?.containerLocals ?? []).flatMap((l) => l.containers), ...(m?.containerModules ?? []).map((x) => x.container)].find((c) => c.name === container);
    if (other) return hclEcsEntryInsert(text, { id: task, idRange: other.nameRange, containers: [other] }, container, name, sensitive);
    if (t?.form === 'hcl') return hclEcsEntryInsert(text, t, container, name, sensitive);
    if (!t?.jsonRange) return undefined;
    const [a, b] = [offsetAt(text, t.jsonRange.start), offsetAt(text, t.jsonRange.end)];
    return ecsEntryInsert(text, container, name, sensitive, { json: slotsAsJson(text, a, b, templateSlots(text, a, b)), family: t.family });
  };
  return insertFix(ctx, f, s.uri, insertAt, (at) => `Add ${name} to ${fileNameOf(s.uri)} ${container} ${at.ssm ? `secrets (from SSM parameter ${at.ssm})` : 'environment'}`);
}

/**
 * `NAME = ""` in the `variables` of each function whose code is the source's folder (at most three
 * actions). Not for a secret: written there, its value is in the repository and Terraform's state
 * in the clear.
 */
function addToTerraform(ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean): CodeActionPlain[] {
  const text = sensitive ? undefined : ctx.getText?.(s.uri);
  const m = text === undefined ? undefined : parseTerraform(text, s.uri);
  if (!m) return [];
  // The archives of the file's folder: the workspace's other files there, this file as it is now.
  const archives = terraformArchives([...(ctx.workspace.envFiles?.terraform ?? []).filter((x) => x.uri !== s.uri), m]);
  const fns = terraformFunctionsByDir(m, archives).get(idTail(s)) ?? [];
  return fns.slice(0, 3).flatMap((fn) => insertFix(ctx, f, s.uri, (t) => terraformEntryInsert(t, s.uri, fn.id, name), () => `Add ${name} to ${fileNameOf(s.uri)} ${fn.id} environment`));
}

/**
 * `"NAME": ""` in the `environment={…}` of each function of a CDK stack module whose code is the
 * source's folder (at most three actions). Not for a secret: it would be in the synthesized
 * template in the clear.
 */
function addToCdk(ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean): CodeActionPlain[] {
  const text = sensitive ? undefined : ctx.getText?.(s.uri);
  const cdk = text === undefined ? undefined : parsePython(text, s.uri).cdk;
  if (!cdk) return [];
  const moduleDirs = new Set(ctx.workspace.pythonFiles.map((m) => dirOf(m.uri)));
  const fns = cdkFunctionsByDir(s.uri, cdk, moduleDirs, innermostRoot(s.uri, ctx.workspace.roots ?? [])).get(idTail(s)) ?? [];
  return fns.slice(0, 3).flatMap((fn) => insertFix(ctx, f, s.uri, (t) => cdkEntryInsert(t, fn, name), () => `Add ${name} to ${fileNameOf(s.uri)} ${fn.id} environment`));
}

/**
 * For the chart's templates source: `- name: NAME` / `value: ""` in the template's container env
 * (after its last literal entry); when the container has none, into the default values file at a
 * path the templates write as variables (`env:` list or map). Not for a secret: its value would be
 * in the chart in the clear.
 */
function addToChart(ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean): CodeActionPlain[] {
  if (sensitive || !s.id.startsWith('helm-chart:')) return [];
  const dir = s.id.slice('helm-chart:'.length);
  if (s.uri.includes('/templates/')) {
    const fix = insertFix(ctx, f, s.uri, (text) => helmEnvEntryInsert(text, s.uri, name, (image) => mayBeAppImage({ baseImage: image })), (at) => `Add ${name} to ${decodePercent(s.uri.slice(dir.length + 1))} (env of ${at.container.includes('{{') ? 'the container' : `container ${at.container}`})`);
    if (fix.length > 0) return fix;
  }
  const env = ctx.workspace.envFiles;
  const values = (env?.helm ?? []).filter((m) => dirOf(m.uri) === dir);
  const main = values.find((m) => /\/values\.ya?ml$/.test(m.uri));
  if (!main) return [];
  const chart = chartEnv(dir, (env?.helmTemplates ?? []).filter((t) => t.uri.startsWith(`${dir}/templates/`)), values);
  for (const path of chart.valuesPaths) {
    const fix = insertFix(ctx, f, main.uri, (text) => helmValuesEntryInsert(text, path, name), () => `Add ${name} to ${fileNameOf(main.uri)} ${path}`);
    if (fix.length > 0) return fix;
  }
  return [];
}

type AddVariable = (ctx: FeatureContext, f: Finding, name: string, s: AppSource, sensitive: boolean) => CodeActionPlain[];

/** How a missing variable is added to each kind of source that takes one (besides the charm). */
const ADDERS = new Map<AppSource['kind'], AddVariable>([
  ['dotenv', addToDotenv],
  ['heroku', (ctx, f, name, s) => addToAppJson(ctx, f, name, s.uri)],
  ['render', addToRender],
  ['digitalocean', addToDoSpec],
  ['app-engine', addToAppEngine],
  ['serverless', addToServerless],
  ['sam', addToSam],
  ['zappa', addToZappa],
  ['chalice', addToChalice],
  ['ecs', addToEcs],
  ['terraform', addToTerraform],
  ['cdk', addToCdk],
  ['helm', addToChart],
]);

/** The kinds of source a missing variable's quick fix adds an entry to (besides the charm): the files it may need to read. */
export const ADD_VARIABLE_KINDS: ReadonlySet<AppSource['kind']> = new Set(ADDERS.keys());

function renameRead(ctx: FeatureContext, f: Finding, to: string): CodeActionPlain[] {
  const text = ctx.getText?.(f.uri);
  if (text === undefined) return [];
  const start = offsetAt(text, f.range.start);
  const end = offsetAt(text, f.range.end);
  const lit = text.slice(start, end);
  // The name range covers a string literal (quotes kept) or a bare name (a field, a key).
  const m = /^([rRbBuU]?)(["'])(.*)\2$/s.exec(lit);
  const newText = m ? `${m[1]}${m[2]}${to}${m[2]}` : to;
  return [{ title: `Read ${to} instead`, kind: 'quickfix', fixes: [f], isPreferred: true, edit: { changes: { [f.uri]: [{ range: f.range, newText }] } } }];
}

/** Removes `, <default>` from a call: from the comma before the default to the default's end. */
function removeDefault(ctx: FeatureContext, f: Finding): CodeActionPlain[] {
  const text = ctx.getText?.(f.uri);
  if (text === undefined) return [];
  const start = offsetAt(text, f.range.start);
  const end = offsetAt(text, f.range.end);
  let i = start - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  // `default=` keyword form: the keyword goes too.
  if (text[i] === '=') {
    i--;
    while (i >= 0 && /[A-Za-z0-9_]/.test(text[i])) i--;
    while (i >= 0 && /\s/.test(text[i])) i--;
  }
  if (text[i] !== ',') return [];
  const range: Range = { start: positionAt(text, i), end: positionAt(text, end) };
  return [{ title: 'Remove the hard-coded default (fail at start-up when unset)', kind: 'quickfix', fixes: [f], isPreferred: true, edit: { changes: { [f.uri]: [{ range, newText: '' }] } } }];
}

/**
 * Whether an entry has its lines to itself (a list item's dash, a trailing comma or comment aside):
 * removing them removes nothing else. `{ A = "1", B = "2" }` on one line has not.
 */
function aloneOnItsLines(text: string, r: Range): boolean {
  const lines = text.split('\n');
  const before = lines[r.start.line]?.slice(0, r.start.character) ?? '';
  const after = (lines[r.end.line] ?? '').slice(r.end.character).replace(/\r$/, '');
  return /^[ \t]*(?:-[ \t]+)?$/.test(before) && (r.end.character === 0 && r.end.line > r.start.line ? true : /^[ \t]*,?[ \t]*(?:(?:#|\/\/).*)?$/.test(after));
}

/**
 * A JSON property's removal with the comma that separates it (after it, or before it for the last
 * one; an only property leaves `{}`), the rest of the layout as it was; none when the key is not a
 * property's.
 */
function jsonRemoval(text: string, key: Range): TextEdit[] {
  const loc = getLocation(text, offsetAt(text, key.start) + 1);
  const root = parseTree(text);
  const prop = loc.isAtPropertyKey && root ? findNodeAtLocation(root, loc.path)?.parent : undefined;
  const siblings = prop?.parent?.type === 'object' ? (prop.parent.children ?? []) : [];
  const i = prop ? siblings.indexOf(prop) : -1;
  if (!prop || i < 0) return [];
  const end = (n: { offset: number; length: number }) => n.offset + n.length;
  const obj = prop.parent!;
  const [a, b] = siblings.length === 1 ? [obj.offset + 1, end(obj) - 1] : i < siblings.length - 1 ? [prop.offset, siblings[i + 1].offset] : [end(siblings[i - 1]), end(prop)];
  return [{ range: { start: positionAt(text, a), end: positionAt(text, b) }, newText: '' }];
}

function removeEntry(ctx: FeatureContext, f: Finding, name: string, appId: string): CodeActionPlain[] {
  const a = app(ctx, appId);
  const p = a?.sources.flatMap((s) => s.provides).find((x) => x.uri === f.uri && x.range.start.line === f.range.start.line && x.range.start.character === f.range.start.character);
  const text = ctx.getText?.(f.uri);
  if (!p?.entryRange || text === undefined) return [];
  const what = p.charm?.option ? `option ${name}` : name;
  // JSON: the property and its comma (the file stays JSON); other files: the entry's own lines only.
  const json = /\.json$/i.test(f.uri);
  if (!json && !aloneOnItsLines(text, p.entryRange)) return [];
  const edits = json ? jsonRemoval(text, p.range) : [deleteLines(p.entryRange)];
  return edits.length ? [{ title: `Remove unused ${what}`, kind: 'quickfix', fixes: [f], edit: { changes: { [f.uri]: edits } } }] : [];
}

function optionToSecret(ctx: FeatureContext, f: Finding, option: string): CodeActionPlain[] {
  const charm = ctx.workspace.envFiles?.charms.find((c) => c.uri === f.uri);
  const o = charm?.options.find((x) => x.name === option);
  if (!o?.type) return [];
  const edits: TextEdit[] = [{ range: o.type.range, newText: 'secret' }];
  if (o.default) edits.push(deleteLines(o.default.range));
  return [{ title: `Make ${option} a secret option (the app then reads one variable per secret key)`, kind: 'quickfix', fixes: [f], edit: { changes: { [f.uri]: edits } } }];
}

function gitignore(ctx: FeatureContext, f: Finding, file: string): CodeActionPlain[] {
  const a = ctx.workspace.apps?.find((x) => file.startsWith(`${x.root}/`));
  const root = a?.root ?? file.slice(0, file.lastIndexOf('/'));
  const target = `${root}/.gitignore`;
  const rel = `/${decodePercent(file.slice(root.length + 1))}`;
  const text = ctx.getText?.(target);
  if (text === undefined) {
    return [{ title: `Create .gitignore with ${rel}`, kind: 'quickfix', fixes: [f], edit: { createFiles: [target], changes: { [target]: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `${rel}\n` }] } } }];
  }
  return [{ title: `Add ${rel} to .gitignore`, kind: 'quickfix', fixes: [f], edit: { changes: { [target]: [appendLine(text, rel)] } } }];
}

/** `print(token)` → `print(bool(token))`: the log says whether the secret is set, not what it is. */
function wrapBool(f: Finding, ranges: Range[]): CodeActionPlain[] {
  if (ranges.length === 0) return [];
  const edits: TextEdit[] = [];
  for (const r of ranges) {
    edits.push({ range: { start: r.start, end: r.start }, newText: 'bool(' }, { range: { start: r.end, end: r.end }, newText: ')' });
  }
  return [{ title: 'Log bool(value) instead of the secret', kind: 'quickfix', fixes: [f], isPreferred: true, edit: { changes: { [f.uri]: edits } } }];
}

/** Quick fixes for the twelve-factor findings in `findings`. */
export function envCodeActions(ctx: FeatureContext, findings: readonly Finding[]): CodeActionPlain[] {
  const out: CodeActionPlain[] = [];
  for (const f of findings) {
    const d = f.data;
    if (!d) continue;
    switch (d.fix) {
      case 'add-variable':
        out.push(...addVariable(ctx, f, d.name, d.appId, d.sensitive));
        break;
      case 'rename-read':
        out.push(...renameRead(ctx, f, d.to));
        break;
      case 'remove-default':
        out.push(...removeDefault(ctx, f));
        break;
      case 'remove-entry':
        out.push(...removeEntry(ctx, f, d.name, d.appId));
        break;
      case 'option-to-secret':
        out.push(...optionToSecret(ctx, f, d.option));
        break;
      case 'gitignore':
        out.push(...gitignore(ctx, f, d.file));
        break;
      case 'wrap-bool':
        out.push(...wrapBool(f, d.ranges));
        break;
      default:
        break;
    }
  }
  return out;
}
