// A source entry written by the user (a charm option, a `.env` line, a compose `environment` key, a
// Helm values entry) that nothing reads. Not said when it cannot be known: the app reads names
// Orchard cannot resolve, hands the whole environment on, has no Python code Orchard reads (Go,
// Node, Java charms) or also has code in such a language (a shell entrypoint), or the variable is one the runtime or a library reads by itself,
// or the `.env` is also the env_file of a compose service that runs another program's image (a
// database, Keycloak): its entries may be that container's.
import type { Finding, Rule } from '../../types';
import type { App, EnvFiles, ProvidedVar } from '../../../model/types';
import { appVariables } from '../../../model/appVariables';
import { consumedByRuntime } from '../../../model/appReads';
import { composeBaseDirs, planOf } from '../../../model/apps';
import { composeVars, envFileTarget } from '../../../model/composeBuild';
import { PerAppList } from '../../perAppList';

const CODE = 'env-unused';

function dirOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

function readable(app: App): boolean {
  // Code in another language (an entrypoint.sh, a Node service) may read what Python does not.
  if (app.opaque.length > 0 || app.pythonUris.length === 0 || (app.otherCodeUris?.length ?? 0) > 0) return false;
  return !app.framework || app.framework === 'flask' || app.framework === 'django' || app.framework === 'fastapi';
}

/** A source entry the app's own reads leave unused: reported unless another app reads it. */
interface Candidate {
  option?: string;
  /** The folder of a `.env` source (compose interpolates `${VAR}` from the `.env` beside it). */
  dotenvDir?: string;
  name: string;
  app: App;
  p: ProvidedVar;
  /** Made when first reported, then the same object every run. */
  finding?: Finding;
}

function findingOf(c: Candidate): Finding {
  if (c.finding) return c.finding;
  const { p, app } = c;
  const what = p.charm?.option ? `option ${p.charm.option} (${p.family ? `${p.name}<KEY>` : p.name})` : p.name;
  c.finding = {
    code: CODE,
    severity: 'info',
    message: `${what} is not read by ${app.label}'s code`,
    uri: p.uri,
    range: p.range,
    tags: ['unnecessary'],
    data: { fix: 'remove-entry', name: p.charm?.option ?? p.name, appId: app.id },
  };
  return c.finding;
}

/** What the rule needs of one app, worked out once per app object. */
interface AppUsage {
  app: App;
  readable: boolean;
  candidates: Candidate[];
  /** The files its entries are in. */
  files: string[];
  /** What is reported when no other app has an entry in any of those files: its own reads decide. */
  alone: Candidate[];
  /** Entry keys, for comparing with other apps (made the first time the app shares a file). */
  keys?: AppKeys;
}

interface AppKeys {
  /** Keys of the entries the app reads (readable) or of all its entries (unknowable when not). */
  used: string[];
  /** Keys of entries that come from a charm option, with the option. */
  options: [string, string][];
}

/** An entry's place (the same `.env` line reaches several apps as different objects). */
const keyOf = (p: ProvidedVar) => `${p.uri}#${p.range.start.line}:${p.range.start.character}`;

const usageMemo = new WeakMap<App, AppUsage>();

/** Entries the app reads, as objects (appVariables lists the very entries of its sources). */
function readEntries(app: App): Set<ProvidedVar> {
  const out = new Set<ProvidedVar>();
  for (const v of appVariables(app)) if (v.reads.length > 0) for (const p of v.provided) out.add(p.v);
  return out;
}

function usage(app: App): AppUsage {
  const hit = usageMemo.get(app);
  if (hit) return hit;
  const ok = readable(app);
  const candidates: Candidate[] = [];
  const alone: Candidate[] = [];
  if (ok) {
    const flask = app.flaskPrefixes ?? [];
    for (const s of app.sources) {
      for (const p of s.provides) {
        if (!p.userDefined || p.charm?.readByCharm || (!p.family && consumedByRuntime(p.name, flask))) continue;
        candidates.push({ option: p.charm?.option, dotenvDir: s.kind === 'dotenv' ? dirOf(s.uri) : undefined, name: p.name, app, p });
      }
    }
    const read = readEntries(app);
    const readOptions = new Set<string>();
    for (const s of app.sources) for (const p of s.provides) if (p.charm?.option && read.has(p)) readOptions.add(p.charm.option);
    // The same file can reach the app twice (compose passes it, the code loads it): one finding.
    const seen = new Set<string>();
    for (const c of candidates) {
      if (read.has(c.p) || (c.option && readOptions.has(c.option))) continue;
      const key = keyOf(c.p);
      if (seen.has(key)) continue;
      seen.add(key);
      alone.push(c);
    }
  }
  const files = [...new Set(app.sources.flatMap((s) => s.provides.map((p) => p.uri)))];
  const u: AppUsage = { app, readable: ok, candidates, files, alone };
  usageMemo.set(app, u);
  return u;
}

function keysOf(u: AppUsage): AppKeys {
  if (u.keys) return u.keys;
  const used: string[] = [];
  const options: [string, string][] = [];
  if (!u.readable) {
    for (const s of u.app.sources) for (const p of s.provides) used.push(keyOf(p));
  } else {
    for (const p of readEntries(u.app)) used.push(keyOf(p));
    for (const s of u.app.sources) for (const p of s.provides) if (p.charm?.option) options.push([keyOf(p), p.charm.option]);
  }
  return (u.keys = { used, options });
}

/** How many apps have entries in each file, for the last list of apps asked about. */
let counted: { apps: readonly App[]; count: Map<string, number> } | undefined;

/** Apps per source file; after a keystroke (a few apps replaced in place) only those are counted again. */
function appsPerFile(apps: readonly App[]): Map<string, number> {
  const add = (files: readonly string[], by: number, count: Map<string, number>) => {
    for (const f of files) count.set(f, (count.get(f) ?? 0) + by);
  };
  if (counted && counted.apps.length === apps.length) {
    const changed: number[] = [];
    for (let i = 0; i < apps.length && changed.length <= 64; i++) if (counted.apps[i] !== apps[i]) changed.push(i);
    if (changed.length <= 64) {
      const { count } = counted;
      for (const i of changed) {
        add(usage(counted.apps[i]).files, -1, count);
        add(usage(apps[i]).files, 1, count);
      }
      counted = { apps, count };
      return count;
    }
  }
  const count = new Map<string, number>();
  for (const a of apps) add(usage(a).files, 1, count);
  counted = { apps, count };
  return count;
}

/** The last run's apps and output, patched after a keystroke when it can be (see run). */
let previous: { apps: readonly App[]; interpolated: Map<string, Set<string>>; list: PerAppList<Finding>; sharing: ReadonlySet<App> } | undefined;

/** What compose files say about `.env` entries (once per list of compose files). */
interface ComposeUse {
  /** Names compose interpolates (`${VAR}`), by the folder of the compose file. */
  interpolated: Map<string, Set<string>>;
  /**
   * Env files of services that run another program's image: not built in that folder's compose
   * files (a service is merged across the files of one folder, `-f a.yml -f b.yml`), nor running
   * the image a built service makes.
   */
  foreign: Set<string>;
}

// By compose list and the folders its paths start from: the same object while they stay (a
// keystroke in a `.env` keeps them; the rule's patch path compares `interpolated` by identity).
const composeMemo = new WeakMap<EnvFiles['compose'], { bases: ReadonlyMap<string, string>; dotenv: EnvFiles['dotenv']; use: ComposeUse }>();

/**
 * `bases`: the folder each compose file's paths start from, as the apps were planned (an override in
 * a subfolder: above it); worked out here only for apps built without a plan.
 */
function composeUse(env: EnvFiles, planned: ReadonlyMap<string, string> | undefined): ComposeUse {
  const bases = planned ?? composeBaseDirs(env.compose, presentIn(env));
  const memo = composeMemo.get(env.compose);
  if (memo?.bases === bases && memo.dotenv === env.dotenv) return memo.use;
  const out: ComposeUse = { interpolated: new Map(), foreign: new Set() };
  const dotenvByUri = new Map(env.dotenv.map((m) => [m.uri, m]));
  const byDir = new Map<string, (typeof env.compose)[number][]>();
  for (const c of env.compose) {
    const dir = bases.get(c.uri) ?? dirOf(c.uri);
    byDir.set(dir, [...(byDir.get(dir) ?? []), c]);
    if (c.interpolations.length === 0) continue;
    let s = out.interpolated.get(dir);
    if (!s) out.interpolated.set(dir, (s = new Set()));
    for (const i of c.interpolations) s.add(i.name);
  }
  for (const [dir, files] of byDir) {
    const services = files.flatMap((c) => c.services);
    const built = new Set(services.filter((s) => s.buildContext).map((s) => s.name));
    const builtImages = new Set(services.filter((s) => built.has(s.name) && s.image).map((s) => s.image!.value));
    for (const s of services) {
      if (built.has(s.name) || (s.image && builtImages.has(s.image.value))) continue;
      for (const ef of s.envFiles) {
        const t = envFileTarget(dir, ef.value, composeVars(dir, dotenvByUri));
        if (t !== undefined) out.foreign.add(t);
      }
    }
  }
  composeMemo.set(env.compose, { bases, dotenv: env.dotenv, use: out });
  return out;
}

function presentIn(env: EnvFiles): (uri: string) => boolean {
  const present = new Set([...env.dotenv, ...(env.dockerfiles ?? [])].map((m) => m.uri));
  return (u) => present.has(u);
}

export const envUnused: Rule = {
  code: CODE,
  defaultSeverity: 'info',
  description: 'A charm option, .env line, compose environment key or Helm values entry that nothing in the app reads.',
  needsBackend: false,
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.apps?.length) return [];
    const apps = ws.apps;
    // Compose reads `${VAR}` from the `.env` beside it: those entries are used by compose itself;
    // so may be those of a `.env` another program's container gets as its env_file.
    const use = ws.envFiles ? composeUse(ws.envFiles, planOf(apps)?.composeBases) : { interpolated: new Map<string, Set<string>>(), foreign: new Set<string>() };
    const { interpolated } = use;
    const byCompose = (c: Candidate) => c.dotenvDir !== undefined && (interpolated.get(c.dotenvDir)?.has(c.name) === true || use.foreign.has(c.p.uri));
    const alonePart = (u: AppUsage): Finding[] => (u.readable ? u.alone.filter((c) => !byCompose(c)).map(findingOf) : []);
    // A `.env` two apps share (compose passes it, code loads it) is unused only when neither reads
    // an entry; an app whose reads are unknowable makes its sources' entries unknowable too. An app
    // that shares none of its files is decided by its own reads, worked out once per app object (a
    // keystroke keeps the apps it cannot reach); only apps that share files are looked at together.
    const count = appsPerFile(apps);
    const shares = (u: AppUsage) => u.files.some((f) => count.get(f)! > 1);
    // After a keystroke: when the replaced apps share no file, before or after, no other app's
    // findings can have changed: only their parts of the last list are replaced.
    const last = previous;
    if (last && last.interpolated === interpolated && last.apps.length === apps.length) {
      let replaced = 0;
      let ok = true;
      for (let i = 0; i < apps.length && ok; i++) {
        if (apps[i] === last.apps[i]) continue;
        ok = ++replaced <= 64 && !last.sharing.has(last.apps[i]) && !shares(usage(apps[i]));
      }
      if (ok) {
        previous = { ...last, apps };
        return last.list.join(apps, (app) => alonePart(usage(app))) as Finding[];
      }
    }
    const usages = apps.map(usage);
    const sharing = usages.map(shares);
    const usedKeys = new Set<string>();
    const unknownKeys = new Set<string>();
    usages.forEach((u, i) => {
      if (sharing[i]) for (const k of keysOf(u).used) (u.readable ? usedKeys : unknownKeys).add(k);
    });
    const reported = new Set<string>();
    const parts = usages.map((u, i): Finding[] => {
      if (!u.readable) return [];
      if (!sharing[i]) return alonePart(u);
      const part: Finding[] = [];
      // An option is used when any variable it becomes is read (a secret option: any of its keys).
      const usedOptions = new Set<string>();
      for (const [key, option] of keysOf(u).options) if (usedKeys.has(key)) usedOptions.add(option);
      for (const c of u.candidates) {
        const key = keyOf(c.p);
        if (usedKeys.has(key) || unknownKeys.has(key)) continue;
        if (c.option && usedOptions.has(c.option)) continue;
        if (byCompose(c)) continue;
        if (reported.has(key)) continue;
        reported.add(key);
        part.push(findingOf(c));
      }
      return part;
    });
    const list = new PerAppList<Finding>();
    previous = { apps, interpolated, list, sharing: new Set(apps.filter((_, i) => sharing[i])) };
    // (The joined list is shared with the next run: callers do not modify a rule's result.)
    return list.reset(apps, parts) as Finding[];
  },
};
