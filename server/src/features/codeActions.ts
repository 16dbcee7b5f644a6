// Code actions built from Finding.data (plain JSON the rules attach), plus source actions that
// make sense anywhere in a service's files. Edits are plain WorkspaceEdits; anything that needs a
// value from the user is a client command, because the server never asks for or holds values.
import type { Finding } from '../analysis/types';
import type { FigDecl, FigStoreClass, MergePart, Range } from '../parse/types';
import type { Service } from '../model/types';
import { envOverrideName, fullPath, normaliseTwig, parseMergeRef } from '../parse/paths';
import { classTwig } from '../model/decls';
import { renderFiggyJsonChecked } from '../model/figgyJsonWriter';
import { ClientCommands, type AddParameterCommandArgs, type RunSyncCommandArgs } from './commands';
import { mergedActions, sharedActions } from './kindActions';
import type { CodeActionPlain, FeatureContext, TextEdit } from './types';
import { figgyJsonModel, pythonModel, serviceForUri } from './occurrences';
import { contains, fullRange, textIn } from './positions';

function addParamAction(f: Finding, path: string, envs: string[], likelySecret: boolean, serviceId?: string, title?: string): CodeActionPlain {
  const args: AddParameterCommandArgs = { path, envs, likelySecret, serviceId };
  const t = title ?? `Add ${path} to ${envs.join(', ')}`;
  return { title: t, kind: 'quickfix', fixes: [f], command: { title: t, command: ClientCommands.addParameter, arguments: [args] } };
}

function syncAction(service: Service | undefined, envs?: string[], fixes?: Finding[]): CodeActionPlain {
  const args: RunSyncCommandArgs = { serviceId: service?.id, envs };
  const title = `Run Orchard sync for ${service?.twig ?? 'this service'}`;
  return { title, kind: fixes ? 'quickfix' : 'source', fixes, command: { title, command: ClientCommands.runSync, arguments: [args] } };
}

function jsonString(s: string): string {
  return JSON.stringify(s);
}

/** Indentation of the line a range starts on, from the document text. */
function indentOf(text: string, r: Range): string {
  const line = text.split('\n')[r.start.line] ?? '';
  return /^\s*/.exec(line)?.[0] ?? '';
}

/** Every string (keys and values) of a JSON text, with how often it occurs; undefined when it is not JSON. */
function jsonStrings(text: string): Map<string, number> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const out = new Map<string, number>();
  const add = (x: string) => out.set(x, (out.get(x) ?? 0) + 1);
  const walk = (x: unknown, depth: number): void => {
    if (depth > 20) return;
    if (typeof x === 'string') add(x);
    else if (Array.isArray(x)) for (const e of x) walk(e, depth + 1);
    else if (x && typeof x === 'object') for (const [k, e] of Object.entries(x)) { add(k); walk(e, depth + 1); }
  };
  walk(v, 0);
  return out;
}

/** What regenerating changes, in words: `2 entries added, 1 removed`, or `formatting only`. */
export function changeSummary(oldText: string, newText: string): string {
  const a = jsonStrings(oldText);
  const b = jsonStrings(newText);
  if (!a || !b) return 'replaces a file that is not valid JSON';
  let added = 0;
  let removed = 0;
  for (const [k, n] of b) added += Math.max(0, n - (a.get(k) ?? 0));
  for (const [k, n] of a) removed += Math.max(0, n - (b.get(k) ?? 0));
  if (added === 0 && removed === 0) return 'formatting only';
  const parts = [added ? `${added} added` : '', removed ? `${removed} removed` : ''].filter(Boolean);
  return parts.join(', ');
}

/** What regenerating a service's figgy.json would do (the code action and the palette command share it). */
export type FiggyJsonPlan =
  | { kind: 'write'; target: string; create: boolean; old: string; content: string; summary: string }
  | { kind: 'matches'; target: string }
  | { kind: 'unavailable'; reason: 'no-figgy-class' | 'runtime-names' | 'unreadable'; detail: string };

export function planFiggyJson(ctx: FeatureContext, service: Service): FiggyJsonPlan {
  const cls = service.configPy?.cls;
  // ConfigWriter writes the TWIG as written (trailing "/", no leading "/" and all).
  const twig = cls ? classTwig(cls) : undefined;
  if (!cls || twig === undefined || !ctx.renderFiggyJson) return { kind: 'unavailable', reason: 'no-figgy-class', detail: 'no FigStore class with a TWIG in config.py' };
  let content: string;
  try {
    // Only when every Fig is known: a file with guessed parts is not what figgy-lib would write.
    const { problems } = renderFiggyJsonChecked(cls, twig);
    if (problems.length) return { kind: 'unavailable', reason: 'runtime-names', detail: problems[0] + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : '') };
    content = ctx.renderFiggyJson(cls, twig);
  } catch {
    return { kind: 'unavailable', reason: 'no-figgy-class', detail: 'config.py could not be rendered' };
  }
  const target = service.figgyJson?.uri;
  if (target) {
    const old = ctx.getText?.(target);
    if (old === undefined) return { kind: 'unavailable', reason: 'unreadable', detail: 'figgy.json could not be read' };
    if (old === content) return { kind: 'matches', target };
    return { kind: 'write', target, create: false, old, content, summary: changeSummary(old, content) };
  }
  // No figgy.json yet: create it where figgy-lib's ConfigWriter puts it (figgy/ next to the service root).
  const root = service.root.startsWith('file:') ? service.root : `file://${service.root}`;
  return { kind: 'write', target: `${root.replace(/\/+$/, '')}/figgy/figgy.json`, create: true, old: '', content, summary: 'new file' };
}

export function regenerateFiggyJsonAction(ctx: FeatureContext, service: Service, fixes?: Finding[]): CodeActionPlain | undefined {
  const plan = planFiggyJson(ctx, service);
  if (plan.kind !== 'write') return undefined;
  const kind = fixes ? 'quickfix' : 'source';
  if (!plan.create) {
    const title = `Regenerate figgy.json from config.py (${plan.summary})`;
    return { title, kind, fixes, edit: { changes: { [plan.target]: [{ range: fullRange(plan.old), newText: plan.content }] } } };
  }
  return {
    title: 'Generate figgy/figgy.json from config.py',
    kind,
    fixes,
    edit: { createFiles: [plan.target], changes: { [plan.target]: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: plan.content }] } },
  };
}

function mergeToListEdit(ctx: FeatureContext, f: Finding, dest: string): CodeActionPlain | undefined {
  const text = ctx.getText?.(f.uri);
  if (text === undefined) return undefined;
  const fj = figgyJsonModel(ctx.workspace, f.uri);
  if (fj) {
    const twig = fj.twig ? normaliseTwig(fj.twig.value) : serviceForUri(ctx.workspace, f.uri)?.twig;
    const entry = fj.mergedFigs.find((m) => m.dest.value === dest || (twig && fullPath(twig, m.dest.value) === dest));
    if (!entry || entry.value.form !== 'string') return undefined;
    const items = splitMergeString(entry.value.value);
    const indent = indentOf(text, entry.dest.range);
    const inner = `${indent}    `;
    const newText = `[\n${items.map((i) => `${inner}${jsonString(i)}`).join(',\n')}\n${indent}]`;
    return { title: 'Convert merge pattern to list form', kind: 'quickfix', fixes: [f], isPreferred: true, edit: { changes: { [f.uri]: [{ range: entry.value.range, newText }] } } };
  }
  const py = pythonModel(ctx.workspace, f.uri);
  if (py) {
    for (const cls of py.classes) {
      const twig = cls.twig ? normaliseTwig(cls.twig.value) : undefined;
      const decl = cls.figs.find((d) => d.pattern?.form === 'string' && (contains(d.range, f.range.start) || (twig && d.name && fullPath(twig, d.name.value) === dest)));
      if (!decl || decl.pattern?.form !== 'string') continue;
      const byPath = new Map(cls.figs.filter((d) => d.name && twig).map((d) => [fullPath(twig!, d.name!.value), d.attr]));
      const parts = splitMergeString(decl.pattern.value).map((i) => {
        const ref = parseMergeRef(i);
        const attr = ref ? byPath.get(ref.path) : undefined;
        return attr ?? jsonString(i);
      });
      return { title: 'Convert merge pattern to list form', kind: 'quickfix', fixes: [f], isPreferred: true, edit: { changes: { [f.uri]: [{ range: decl.pattern.range, newText: `[${parts.join(', ')}]` }] } } };
    }
  }
  return undefined;
}

/** Splits Figgy's single-string merge form into literals and `${...}` references. */
export function splitMergeString(s: string): string[] {
  return s.split(/(\$\{[^}]*\})/).filter((x) => x.length > 0);
}

function renameKeyAction(ctx: FeatureContext, f: Finding, from: string, to: string): CodeActionPlain | undefined {
  const fj = figgyJsonModel(ctx.workspace, f.uri);
  const text = ctx.getText?.(f.uri);
  const key = fj?.legacyKeys.find((k) => k.key === from && (contains(k.range, f.range.start) || contains(f.range, k.range.start))) ?? fj?.legacyKeys.find((k) => k.key === from);
  if (!key || text === undefined) return undefined;
  const quoted = textIn(text, key.range).startsWith('"');
  return { title: `Rename "${from}" to "${to}"`, kind: 'quickfix', fixes: [f], isPreferred: true, edit: { changes: { [f.uri]: [{ range: key.range, newText: quoted ? jsonString(to) : to }] } } };
}

/** String literal arguments of a call (positional or keyword), read from its source text. */
function callStrings(callText: string): { key?: string; value: string }[] {
  const out: { key?: string; value: string }[] = [];
  const re = /(?:([A-Za-z_]+)\s*=\s*)?(["'])((?:\\.|(?!\2).)*)\2/g;
  for (const m of callText.matchAll(re)) out.push({ key: m[1], value: m[3] });
  return out;
}

function replicatedArgsAction(ctx: FeatureContext, f: Finding): CodeActionPlain | undefined {
  const py = pythonModel(ctx.workspace, f.uri);
  const text = ctx.getText?.(f.uri);
  if (!py || text === undefined) return undefined;
  let decl: FigDecl | undefined;
  let cls: FigStoreClass | undefined;
  for (const c of py.classes) {
    decl = c.figs.find((d) => d.kind === 'ReplicatedFig' && (contains(d.range, f.range.start) || contains(f.range, d.callRange.start)));
    if (decl) {
      cls = c;
      break;
    }
  }
  if (!decl || !cls) return undefined;
  const callText = textIn(text, decl.callRange);
  const open = callText.indexOf('(');
  if (open < 0) return undefined;
  const callee = callText.slice(0, open);
  const strings = callStrings(callText.slice(open));
  if (strings.length < 2) return undefined;
  const twig = cls.twig ? normaliseTwig(cls.twig.value) : undefined;
  // The source is the absolute path outside the twig (usually /shared/...); the other one is the name.
  const isSource = (v: string) => v.startsWith('/') && !(twig && v.startsWith(twig));
  const src = strings.find((s) => s.key === 'source') ?? strings.find((s) => isSource(s.value)) ?? strings[1];
  const name = strings.find((s) => s !== src && s.key !== 'source');
  if (!name) return undefined;
  const newText = `${callee}(name=${jsonString(name.value)}, source=${jsonString(src.value)})`;
  return { title: 'Fix ReplicatedFig arguments (name=..., source=...)', kind: 'quickfix', fixes: [f], isPreferred: true, edit: { changes: { [f.uri]: [{ range: decl.callRange, newText }] } } };
}

function declareSharedAction(ctx: FeatureContext, f: Finding, path: string, serviceId: string): CodeActionPlain | undefined {
  const service = ctx.workspace.services.find((s) => s.id === serviceId);
  if (!service) return undefined;
  const twig = service.twig ? normaliseTwig(service.twig) : undefined;
  const rel = twig && path.startsWith(`${twig}/`) ? path.slice(twig.length + 1) : path;
  const title = `Declare ${path} as a SharedFig`;
  const cfg = service.configPy;
  if (cfg) {
    const text = ctx.getText?.(cfg.model.uri);
    if (text === undefined) return undefined;
    const last = cfg.cls.figs[cfg.cls.figs.length - 1];
    const anchor = last?.range ?? cfg.cls.twigRange;
    if (!anchor) return undefined;
    let attr = envOverrideName(twig, rel) || 'SHARED';
    if (/^\d/.test(attr)) attr = `_${attr}`;
    const taken = new Set([...cfg.cls.figs.map((d) => d.attr), ...cfg.cls.nonFigs.map((n) => n.attr)]);
    const base = attr;
    for (let i = 2; taken.has(attr); i++) attr = `${base}_${i}`;
    const edit: TextEdit = { range: { start: anchor.end, end: anchor.end }, newText: `\n${indentOf(text, anchor)}${attr} = SharedFig(${jsonString(rel)})` };
    return { title, kind: 'quickfix', fixes: [f], isPreferred: true, edit: { changes: { [cfg.model.uri]: [edit] } } };
  }
  const fj = service.figgyJson;
  const lastShared = fj?.sharedFigs[fj.sharedFigs.length - 1];
  if (fj && lastShared) {
    const text = ctx.getText?.(fj.uri);
    if (text === undefined) return undefined;
    const edit: TextEdit = { range: { start: lastShared.range.end, end: lastShared.range.end }, newText: `,\n${indentOf(text, lastShared.range)}${jsonString(path)}` };
    return { title, kind: 'quickfix', fixes: [f], edit: { changes: { [fj.uri]: [edit] } } };
  }
  return undefined;
}

/** Actions for the findings under the cursor (as sent back by the client), plus source actions. */
export function codeActions(ctx: FeatureContext, uri: string, range: Range, findings: Finding[]): CodeActionPlain[] {
  const out: CodeActionPlain[] = [];
  const service = serviceForUri(ctx.workspace, uri);
  let syncOffered = false;
  for (const f of findings) {
    const d = f.data;
    if (!d) continue;
    try {
      switch (d.fix) {
        case 'add-parameter': {
          // Only what the user owns is typed in: an AppFig, or a replication source. A SharedFig is
          // shared by its owner, a ReplicatedFig copied by Figgy's sync, a MergeFig built from its
          // references (the finding's related information points at them): those get sync only.
          const typed = d.origin === undefined || d.origin === 'app' || d.origin === 'replication-source';
          const what = d.origin === 'replication-source' ? `replication source ${d.path}` : d.path;
          if (typed) {
            for (const env of d.envs) out.push(addParamAction(f, d.path, [env], d.likelySecret, service?.id, `Add ${what} to ${env}`));
            if (d.envs.length > 1) out.push(addParamAction(f, d.path, d.envs, d.likelySecret, service?.id, `Add ${what} to all missing environments (${d.envs.join(', ')})`));
          }
          if (d.origin === 'shared') out.push(...sharedActions(f, service, d.path, d.envs));
          if (d.origin === 'merged') out.push(...mergedActions(ctx, f, service, d.path, d.envs));
          // Orchard's sync creates nothing for a shared secret (its owner shares it): no sync offer.
          if (!syncOffered && d.origin !== 'shared') {
            out.push(syncAction(service, d.envs, [f]));
            syncOffered = true;
          }
          break;
        }
        case 'merge-to-list': {
          const a = mergeToListEdit(ctx, f, d.dest);
          if (a) out.push(a);
          break;
        }
        case 'rename-key': {
          const a = renameKeyAction(ctx, f, d.from, d.to);
          if (a) out.push(a);
          break;
        }
        case 'replace-string': {
          const title = `Write ${d.value}`;
          out.push({ title, kind: 'quickfix', fixes: [f], isPreferred: true, edit: { changes: { [f.uri]: [{ range: f.range, newText: jsonString(d.value) }] } } });
          break;
        }
        case 'replicated-args': {
          const a = replicatedArgsAction(ctx, f);
          if (a) out.push(a);
          break;
        }
        case 'declare-shared': {
          const a = declareSharedAction(ctx, f, d.path, d.serviceId);
          if (a) out.push(a);
          break;
        }
        case 'regenerate-figgy-json': {
          const s = ctx.workspace.services.find((x) => x.id === d.serviceId);
          const a = s && regenerateFiggyJsonAction(ctx, s, [f]);
          if (a) out.push(a);
          break;
        }
        case 'prune': {
          if (!syncOffered) {
            out.push(syncAction(service, [d.env], [f]));
            syncOffered = true;
          }
          break;
        }
      }
    } catch {
      // One broken finding must not hide the actions of the others.
    }
  }
  void range;
  if (service) {
    const regen = regenerateFiggyJsonAction(ctx, service);
    if (regen && !out.some((a) => a.title === regen.title)) out.push(regen);
    if (!syncOffered) out.push(syncAction(service));
  }
  return out;
}

export type { MergePart };
