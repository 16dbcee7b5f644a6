// Turns parsed files into services: which figgy.json belongs to which FigStore class, which
// figgy-secrets.json feeds which service, and the full set of parameters each service expects.
//
// Pairing a figgy.json with a config.py class (documented in ARCHITECTURE/README through `PairingMode`):
// - Each file gets a "root" folder. figgy.json: its folder, or the parent when it sits in one of the
//   CLI's search folders (`figgy/`, `config/`, `_figgy/`, `.figgy/`). config.py: the parent of its
//   nearest `src` ancestor folder when there is one, else its own folder.
// - A pair is a candidate when the roots are on one line of descent ("same folder tree") and/or the
//   twigs are equal. Candidates are scored (equal twig first, then closer folders) and taken greedily,
//   one figgy.json per class and one class per figgy.json, so a monorepo with one folder per service
//   pairs each service with its own file, and a stale figgy.json whose twig drifted still pairs with
//   the config.py next to it (the drift rule then reports the difference).
// - `auto` (default): equal twig, or same tree when a twig is unknown or the folders are at most two
//   levels apart. `folder`: same tree only. `twig`: equal twig only.
import type { FiggyJsonModel, PythonConfigModel, SecretsJsonModel, FigStoreClass } from '../parse/types';
import type { EnvFiles, ExpectedOrigin, ExpectedParam, FileCredentials, Service, SourceRef, WorkspaceModel } from './types';
import { buildApps } from './apps';
import { sameList } from './identity';
import { dirOf } from './uris';
import { isUnderTwig, normaliseTwig } from '../parse/paths';
import { sameRange } from '../parse/text';
import { classTwig, jsonTwig, MAX_REPLACED, mergeRefs, resolveSecretPath, serviceDecls, serviceDeclsAfter, type Decl } from './decls';

export type PairingMode = 'auto' | 'folder' | 'twig';

export interface BuildInput {
  python: PythonConfigModel[];
  figgyJson: FiggyJsonModel[];
  secrets: SecretsJsonModel[];
  /** Twelve-factor sources (charms, `.env`, compose, Helm values); absent in a Figgy-only build. */
  env?: EnvFiles;
  credentials?: FileCredentials[];
  /** Workspace root folder uris (the fallback boundary of an app). */
  roots?: string[];
  gitStatus?: ReadonlyMap<string, 'tracked' | 'ignored' | 'untracked'>;
  baseline?: ReadonlySet<string>;
}

export interface BuildOptions {
  pairing?: PairingMode;
  /** Folder uris that are twelve-factor apps (`orchard.apps.roots`, `--app-root`). */
  appRoots?: readonly string[];
}

const SEARCH_FOLDERS = new Set(['figgy', 'config', '_figgy', '.figgy']);
/** Folders further apart than this are not paired on folder evidence alone when twigs differ. */
const MAX_DRIFT_DISTANCE = 2;

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Root folder of a figgy.json: its folder, or the parent of a CLI search folder. */
export function figgyJsonRoot(uri: string): string {
  const dir = dirOf(uri);
  return SEARCH_FOLDERS.has(baseOf(dir)) ? dirOf(dir) : dir;
}

/** Root folder of a config.py: the parent of its nearest `src` ancestor, else its folder. */
export function configPyRoot(uri: string): string {
  let dir = dirOf(uri);
  const start = dir;
  while (dir.includes('/')) {
    if (baseOf(dir) === 'src') return dirOf(dir);
    const up = dirOf(dir);
    // Stop at the scheme/authority (`file://`): above that there are no folders.
    if (up === dir || up.endsWith(':') || up.endsWith('/')) break;
    dir = up;
  }
  return start;
}

function segments(p: string): number {
  return p.split('/').filter(Boolean).length;
}

/** Folder distance when one root contains the other, else undefined. */
function treeDistance(a: string, b: string): number | undefined {
  if (a === b) return 0;
  if (b.startsWith(`${a}/`) || a.startsWith(`${b}/`)) return Math.abs(segments(a) - segments(b));
  return undefined;
}

interface ClassRef {
  model: PythonConfigModel;
  cls: FigStoreClass;
  twig?: string;
  root: string;
}

interface JsonRef {
  model: FiggyJsonModel;
  twig?: string;
  root: string;
}

/** Indices of figgy.json files that could pair with a class: same twig, or roots on one line of descent. */
function candidateJsons(c: ClassRef, byTwig: Map<string, number[]>, byRoot: Map<string, number[]>, sortedRoots: string[]): Set<number> {
  const out = new Set<number>(c.twig ? byTwig.get(c.twig) ?? [] : []);
  // Ancestors of the class root (and the root itself).
  for (let r = c.root; ; ) {
    for (const j of byRoot.get(r) ?? []) out.add(j);
    const up = dirOf(r);
    if (up === r || up === '' || !r.includes('/')) break;
    r = up;
  }
  // Descendants: a binary search over sorted roots instead of a scan of every file.
  const lo = `${c.root}/`;
  let a = 0;
  let b = sortedRoots.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (sortedRoots[m] < lo) a = m + 1;
    else b = m;
  }
  for (let i = a; i < sortedRoots.length && sortedRoots[i].startsWith(lo); i++) for (const j of byRoot.get(sortedRoots[i]) ?? []) out.add(j);
  return out;
}

/**
 * The last pairing and what it was computed from: a keystroke in one config.py rarely changes a twig
 * or a folder, and pairing 2,000 services is most of a model rebuild. Pure in (twig, root) pairs and
 * the mode, so equal inputs give the very same answer.
 */
let lastPairing: { key: string; pairs: Map<number, number> } | undefined;

function pairUp(classes: ClassRef[], jsons: JsonRef[], mode: PairingMode): Map<number, number> {
  const key = `${mode}\n${classes.map((c) => `${c.twig ?? '\u0001'}\u0000${c.root}`).join('\n')}\n\n${jsons.map((j) => `${j.twig ?? '\u0001'}\u0000${j.root}`).join('\n')}`;
  if (lastPairing?.key === key) return new Map(lastPairing.pairs);
  const pairs = computePairs(classes, jsons, mode);
  lastPairing = { key, pairs: new Map(pairs) };
  return pairs;
}

function computePairs(classes: ClassRef[], jsons: JsonRef[], mode: PairingMode): Map<number, number> {
  const byTwig = new Map<string, number[]>();
  const byRoot = new Map<string, number[]>();
  jsons.forEach((j, ji) => {
    if (j.twig) byTwig.set(j.twig, [...(byTwig.get(j.twig) ?? []), ji]);
    byRoot.set(j.root, [...(byRoot.get(j.root) ?? []), ji]);
  });
  const sortedRoots = [...byRoot.keys()].sort();
  const cands: { c: number; j: number; score: number }[] = [];
  classes.forEach((c, ci) => {
    for (const ji of candidateJsons(c, byTwig, byRoot, sortedRoots)) {
      const j = jsons[ji];
      const dist = treeDistance(c.root, j.root);
      const twigEqual = c.twig !== undefined && c.twig === j.twig;
      const twigUnknown = c.twig === undefined || j.twig === undefined;
      let ok: boolean;
      if (mode === 'folder') ok = dist !== undefined;
      else if (mode === 'twig') ok = twigEqual;
      else ok = twigEqual || (dist !== undefined && (twigUnknown || dist <= MAX_DRIFT_DISTANCE));
      if (!ok) continue;
      const score = (twigEqual ? 10_000 : 0) + (dist !== undefined ? 5_000 - dist * 10 : 0);
      cands.push({ c: ci, j: ji, score });
    }
  });
  // Ties break on input order, which the scanner keeps sorted by path: deterministic.
  cands.sort((a, b) => b.score - a.score || a.c - b.c || a.j - b.j);
  const byClass = new Map<number, number>();
  const usedJson = new Set<number>();
  for (const k of cands) {
    if (byClass.has(k.c) || usedJson.has(k.j)) continue;
    byClass.set(k.c, k.j);
    usedJson.add(k.j);
  }
  return byClass;
}

function sameRef(a: SourceRef, b: SourceRef): boolean {
  return a.uri === b.uri && sameRange(a.range, b.range);
}

function secretSource(source: string | undefined): boolean {
  if (!source) return false;
  // Copies of /shared or another service's values are configuration; other namespaces (/dba, /data...) hold secrets.
  return !(isUnderTwig('/shared', source) || isUnderTwig('/app', source));
}

/** Computes `expected` (spec §2) from a service's declarations, config.py first. */
export function computeExpected(service: Service): Map<string, ExpectedParam> {
  const decls = serviceDecls(service);
  const expected = new Map<string, ExpectedParam>();
  const add = (path: string, origin: ExpectedOrigin, at: SourceRef, d?: Decl): void => {
    const cur = expected.get(path);
    if (cur) {
      // concat, not push or spread: those leave room for 17 (V8), for every parameter.
      if (!cur.declaredAt.some((r) => sameRef(r, at))) cur.declaredAt = cur.declaredAt.concat([at]);
      cur.attr ??= d?.attr;
      cur.kind ??= d?.kind;
      cur.envVar ??= d?.envVar;
      if (cur.origin === 'merge-ref' && origin !== 'merge-ref') cur.origin = origin;
      return;
    }
    expected.set(path, newParam(path, origin, at, d));
  };
  for (const d of decls) {
    // A figgy.json name outside figgy-cli's namespace can never validate (a rule reports it): nothing to look up.
    if (d.namespace !== undefined && !d.path.startsWith(d.namespace)) continue;
    // The declaration is its own SourceRef (uri, range): no copy per declaration.
    add(d.path, d.origin, d, d);
  }
  // References to declared paths add nothing; one figgy-cli counts as expected is expected where it is written.
  const declared = new Set(decls.map((d) => d.path));
  for (const r of mergeRefs(decls, service.configPy?.cls)) {
    if (r.path && r.expected && !declared.has(r.path)) add(r.path, 'merge-ref', { uri: r.decl.uri, range: r.part.range });
  }
  for (const dest of secretDestinations(service)) {
    const p = expected.get(dest);
    if (p) p.likelySecret = true;
  }
  return expected;
}

function newParam(path: string, origin: ExpectedOrigin, at: SourceRef, d?: Decl): ExpectedParam {
  const source = d?.source ? d.source.value : undefined;
  return {
    path,
    origin,
    source,
    declaredAt: [at],
    attr: d?.attr,
    kind: d?.kind,
    envVar: d?.envVar,
    likelySecret: origin === 'shared' || origin === 'merged' || (origin === 'replicated' && secretSource(source)),
  };
}

/** Where the service's secret owners replicate into: a secret whatever the service calls it. */
function* secretDestinations(service: Service): Iterable<string> {
  const name = service.twig?.split('/').filter(Boolean).pop();
  for (const f of service.secrets) {
    for (const e of f.replicateFigs) {
      const dest = resolveSecretPath(e.dest.value, name);
      if (dest) yield dest;
    }
  }
}

/**
 * computeExpected(next) for a service patched after an edit of its config.py, from `prev`'s map:
 * when the declarations differ only in a few config.py entries, each the only declaration of its
 * path before and after, and nothing merges, the new map is the old one with those parameters
 * replaced in place (the same entries in the same order as computeExpected gives, every other
 * parameter the very same object). Undefined when that does not hold.
 */
function expectedAfter(prev: Service, next: Service, decls: readonly Decl[]): Map<string, ExpectedParam> | undefined {
  const before = serviceDecls(prev);
  if (before.length !== decls.length || prev.twig !== next.twig || !sameList(prev.secrets, next.secrets)) return undefined;
  if (mergeRefs(before, prev.configPy?.cls).length || mergeRefs(decls, next.configPy?.cls).length) return undefined;
  // Old path → the new parameter, and the new parameters by their path.
  const swap = new Map<string, ExpectedParam>();
  const added = new Map<string, ExpectedParam>();
  for (let i = 0; i < decls.length; i++) {
    const old = before[i];
    const neu = decls[i];
    if (old === neu) continue;
    if (swap.size === MAX_REPLACED || old.from !== 'config.py' || neu.from !== 'config.py' || old.namespace !== undefined || neu.namespace !== undefined) return undefined;
    const p = prev.expected.get(old.path);
    if (!p || p.declaredAt.length !== 1 || p.declaredAt[0] !== old || swap.has(old.path)) return undefined;
    if (added.has(neu.path) || (neu.path !== old.path && prev.expected.has(neu.path))) return undefined;
    const q = newParam(neu.path, neu.origin, neu, neu);
    swap.set(old.path, q);
    added.set(neu.path, q);
  }
  for (const dest of secretDestinations(next)) {
    const q = added.get(dest);
    if (q) q.likelySecret = true;
  }
  const out = new Map<string, ExpectedParam>();
  for (const [path, p] of prev.expected) {
    const q = swap.get(path);
    if (q) out.set(q.path, q);
    else out.set(path, p);
  }
  return out;
}

// A rebuild after one edit keeps every other file's model object: a service whose inputs are the same
// objects gets the same `expected` map back instead of recomputing it (nothing mutates it after build).
const expectedMemo = new WeakMap<object, { service: Pick<Service, 'twig' | 'figgyJson' | 'secrets'> & { model?: PythonConfigModel; cls?: FigStoreClass }; expected: Map<string, ExpectedParam> }>();

/**
 * memoExpected for a service patched from `prev` (model/patch.ts): its declarations and expected
 * parameters derived from `prev`'s where a keystroke changed a few Figs (serviceDeclsAfter,
 * expectedAfter), else computed as memoExpected does.
 */
export function memoExpectedAfter(prev: Service, s: Service): Map<string, ExpectedParam> {
  const expected = expectedAfter(prev, s, serviceDeclsAfter(prev, s));
  if (!expected) return memoExpected(s);
  remember(s, expected);
  return expected;
}

export function memoExpected(s: Service): Map<string, ExpectedParam> {
  const key: object = s.configPy?.cls ?? s.figgyJson!;
  const c = expectedMemo.get(key)?.service;
  if (
    c &&
    c.cls === s.configPy?.cls &&
    c.model === s.configPy?.model &&
    c.figgyJson === s.figgyJson &&
    c.twig === s.twig &&
    sameList(c.secrets, s.secrets)
  ) {
    return expectedMemo.get(key)!.expected;
  }
  const expected = computeExpected(s);
  remember(s, expected);
  return expected;
}

/** Keeps `expected` for the inputs of `s` (what memoExpected compares). */
function remember(s: Service, expected: Map<string, ExpectedParam>): void {
  const key: object = s.configPy?.cls ?? s.figgyJson!;
  expectedMemo.set(key, { service: { cls: s.configPy?.cls, model: s.configPy?.model, figgyJson: s.figgyJson, twig: s.twig, secrets: [...s.secrets] }, expected });
}

function matchSecrets(services: Service[], files: SecretsJsonModel[]): void {
  for (const f of files) {
    const dests = f.replicateFigs.map((r) => r.dest.value);
    const templated = dests.some((d) => d.includes('${'));
    const cands = services.filter((s) => {
      if (!s.twig) return false;
      const name = s.twig.split('/').filter(Boolean).pop();
      return dests.some((d) => {
        const p = resolveSecretPath(d, name);
        return p !== undefined && isUnderTwig(s.twig!, p);
      });
    });
    if (cands.length === 0) continue;
    // The owner's file normally sits in the service's own folder: prefer the nearest containing service.
    const dir = dirOf(f.uri);
    const inTree = cands
      .filter((s) => dir === s.root || dir.startsWith(`${s.root}/`))
      .sort((a, b) => segments(b.root) - segments(a.root));
    let chosen: Service[];
    if (inTree.length > 0) chosen = inTree.filter((s) => s.root === inTree[0].root);
    // A `${SERVICE_NAME}` template fits every service; outside any service folder it is ambiguous.
    else if (templated && cands.length > 1) chosen = [];
    else chosen = cands;
    for (const s of chosen) s.secrets.push(f);
  }
}

/** The FigStore classes of a file that become services (a base class without TWIG is only ever created through its subclasses). */
export function serviceClasses(m: PythonConfigModel): FigStoreClass[] {
  return m.importsFiggy ? m.classes.filter((c) => !c.abstract) : [];
}

export function buildWorkspace(input: BuildInput, opts: BuildOptions = {}): WorkspaceModel {
  const mode = opts.pairing ?? 'auto';
  const classes: ClassRef[] = [];
  for (const model of input.python) {
    for (const cls of serviceClasses(model)) {
      const t = classTwig(cls);
      classes.push({ model, cls, twig: t ? normaliseTwig(t) : undefined, root: configPyRoot(model.uri) });
    }
  }
  const jsons: JsonRef[] = input.figgyJson.map((model) => {
    const t = jsonTwig(model);
    return { model, twig: t ? normaliseTwig(t) : undefined, root: figgyJsonRoot(model.uri) };
  });
  const pairs = pairUp(classes, jsons, mode);
  const pairedJson = new Set(pairs.values());

  const services: Service[] = [];
  classes.forEach((c, ci) => {
    const ji = pairs.get(ci);
    const j = ji === undefined ? undefined : jsons[ji];
    const twig = c.twig ?? j?.twig;
    let root = c.root;
    if (j && treeDistance(c.root, j.root) !== undefined && segments(j.root) < segments(c.root)) root = j.root;
    services.push({ id: '', twig, root, configPy: { model: c.model, cls: c.cls }, figgyJson: j?.model, secrets: [], expected: new Map() });
  });
  jsons.forEach((j, ji) => {
    if (pairedJson.has(ji)) return;
    services.push({ id: '', twig: j.twig, root: j.root, figgyJson: j.model, secrets: [], expected: new Map() });
  });

  // Ids: the twig, made unique with the declaring file when two services share a twig.
  const seen = new Map<string, number>();
  for (const s of services) seen.set(s.twig ?? '', (seen.get(s.twig ?? '') ?? 0) + 1);
  for (const s of services) {
    const uri = s.configPy ? `${s.configPy.model.uri}#${s.configPy.cls.className}` : s.figgyJson!.uri;
    s.id = s.twig && seen.get(s.twig) === 1 ? s.twig : s.twig ? `${s.twig}@${uri}` : uri;
  }

  matchSecrets(services, input.secrets);
  for (const s of services) s.expected = memoExpected(s);

  const env = input.env ?? { charms: [], dotenv: [], compose: [], helm: [] };
  const apps = buildApps({ python: input.python, ...env, services, roots: input.roots ?? [], appRoots: opts.appRoots });
  return {
    services,
    pythonFiles: input.python,
    figgyJsonFiles: input.figgyJson,
    secretsFiles: input.secrets,
    apps,
    envFiles: env,
    credentials: input.credentials ?? [],
    credentialBaseline: input.baseline,
    gitStatus: input.gitStatus,
    roots: input.roots,
  };
}

export { declaredPaths, serviceDecls, serviceMergeRefs, serviceName, secretEntries } from './decls';
