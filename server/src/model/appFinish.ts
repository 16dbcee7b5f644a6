// One twelve-factor app finished from its draft (apps.ts planApps): what its modules read, log and
// write, the figgy-lib override of each Fig, a `.env` its code loads itself, the charm's variables,
// and every source labelled so the columns of `orchard env`, the tree and the hover tell them apart.
import type { PythonConfigModel, Range } from '../parse/types';
import { isSensitiveName } from '../parse/sensitive';
import { decodePercent } from '../parse/text';
import type { App, AppRead, AppSource, ProvidedVar, Service } from './types';
import type { AppsPlan, Draft } from './apps';
import { flaskPrefixes, flaskReads, moduleReads, resolveName, withFlaskPlainEnv } from './appReads';
import { withSettingsSelection } from './djangoSettings';
import { charmSource } from './charmSource';
import { dirOf, fileNameOf, isUnder } from './uris';
import { isTestPath } from './testPaths';
import { dotenvSource } from './appSources';
import { resolveFile } from './composeBuild';

/** A uri's last segment, decoded: apps and sources are labelled with it. */
const baseOf = fileNameOf;

/**
 * A service's environment-override reads, reused while its FigStore class and figgy.json models are the
 * same objects (a keystroke elsewhere rebuilds every app; at 2,000 services these were 44,000 new
 * objects per keystroke).
 */
const overrideMemo = new WeakMap<object, WeakMap<object, AppRead[]>>();
const NO_JSON = {};

function overrideReads(s: Service): AppRead[] {
  // Keyed by the FigStore class (a config.py may hold several) and the paired figgy.json.
  const py = s.configPy!.cls;
  const key = s.figgyJson ?? NO_JSON;
  let byJson = overrideMemo.get(py);
  if (!byJson) overrideMemo.set(py, (byJson = new WeakMap()));
  const hit = byJson.get(key);
  if (hit) return hit;
  const out: AppRead[] = [];
  for (const p of s.expected.values()) {
    if (!p.envVar || !p.declaredAt[0]) continue;
    out.push({
      uri: p.declaredAt[0].uri,
      name: p.envVar,
      sensitive: p.likelySecret || isSensitiveName(p.envVar),
      read: { name: { name: p.envVar, range: p.declaredAt[0].range }, range: p.declaredAt[0].range, via: 'figgy', required: false, parse: 'str' },
    });
  }
  byJson.set(key, out);
  return out;
}

/** The services declared in these modules (a config.py may hold several FigStore classes). */
export function servicesIn(services: readonly Service[], modules: ReadonlySet<PythonConfigModel>): Map<PythonConfigModel, Service[]> {
  const out = new Map<PythonConfigModel, Service[]>();
  for (const s of services) {
    if (!s.configPy || !modules.has(s.configPy.model)) continue;
    const l = out.get(s.configPy.model);
    if (l) l.push(s);
    else out.set(s.configPy.model, [s]);
  }
  return out;
}

/** One app from its draft: what its modules read, log and write, and all its sources. */
export function finishApp(d: Draft, plan: AppsPlan, servicesOf: ReadonlyMap<PythonConfigModel, Service[]>): App {
  const { idx } = plan;
  // A `.env` the app's code loads itself (`load_dotenv("../.env")`, pydantic `env_file`): relative
  // to the process's working folder, which Orchard takes to be the module's folder or the app root.
  const sources = [...d.sources];
  for (const f of d.python) {
    for (const l of f.env?.loadsDotenv ?? []) {
      if (!l.path || l.path.startsWith('/')) continue;
      const m = [resolveFile(dirOf(f.uri), l.path), resolveFile(d.root, l.path)].map((u) => plan.dotenvByUri.get(u)).find(Boolean);
      if (!m || sources.some((x) => x.id === `dotenv:${m.uri}`)) continue;
      sources.push(dotenvSource(m, `loaded by ${baseOf(f.uri)}`));
    }
  }
  // (A `.env` the code loads that also lies inside the app is one source: the one "loaded by" it.)
  for (const x of d.inside) if (!sources.some((s) => s.id === x.id)) sources.push(x);

  const reads: AppRead[] = [];
  const opaque: { uri: string; range: Range }[] = [];
  const logged: App['logged'] = [];
  for (const f of d.python) {
    for (const l of f.env?.logged ?? []) {
      const names = l.names.map((n) => resolveName(idx, f.uri, n)).filter((n): n is string => n !== undefined);
      logged.push({ uri: f.uri, logged: l, names });
    }
    const r = moduleReads(idx, f);
    reads.push(...r.reads);
    opaque.push(...r.dynamic);
    for (const p of f.env?.passesWholeEnvironment ?? []) opaque.push({ uri: f.uri, range: p });
  }
  reads.push(...flaskReads(d.python, [d.root]));
  // figgy-lib lets an environment variable override each Fig: an optional read of the app.
  for (const s of d.python.flatMap((f) => servicesOf.get(f) ?? [])) for (const r of overrideReads(s)) reads.push(r);
  // The code's writes provide variables to the app; a test's are for the test's own process.
  const writes: ProvidedVar[] = [];
  for (const f of d.python) {
    if (f.env?.writes.length && isTestPath(f.uri, [d.root])) continue;
    for (const w of f.env?.writes ?? []) {
      const name = w.name.name;
      if (!name) continue;
      writes.push({ name, uri: f.uri, range: w.range, value: w.value?.value, valueRange: w.value?.range, sensitive: isSensitiveName(name), detail: `set by ${baseOf(f.uri)}`, userDefined: false });
    }
  }
  let charmEnv: App['charmEnv'];
  if (d.charm) {
    const charmCode = plan.charmCode.filter((f) => d.charmDir && (isUnder(f.uri, d.charmDir) || isUnder(f.uri, d.root)));
    const c = charmSource(d.charm, charmCode);
    sources.unshift(c.source);
    charmEnv = c.env;
  }
  // A write with a run-time name (`for k, v in DEFAULTS.items(): os.environ.setdefault(k, v)`) may
  // provide any variable: the code's part is then not fully known (nothing is "not provided").
  // (Not a test's: a test sets variables for its own process.)
  const dynamicWrite = d.python.find((f) => (f.env?.dynamicWrites?.length ?? 0) > 0 && !isTestPath(f.uri, [d.root]));
  if (writes.length || dynamicWrite) {
    const incompleteReason = dynamicWrite ? `${baseOf(dynamicWrite.uri)} sets variables whose names are known only at run time` : undefined;
    sources.push({ id: 'code', kind: 'code', label: 'code', uri: writes[0]?.uri ?? dynamicWrite!.uri, provides: writes, complete: !dynamicWrite, incompleteReason });
  }
  const flask = flaskPrefixes(d.python);
  const allReads = withSettingsSelection(withFlaskPlainEnv(reads, d.python, sources, [d.root]), idx, d.python, sources, d.root);
  return {
    id: d.root,
    label: d.label,
    root: d.root,
    kind: d.kind,
    framework: charmEnv?.framework ?? d.charm?.find((c) => c.framework)?.framework?.value,
    charm: d.charm,
    charmEnv,
    pythonUris: d.python.map((f) => f.uri),
    ...(d.otherCode ? { otherCodeUris: d.otherCode } : {}),
    ...(flask.length ? { flaskPrefixes: flask } : {}),
    reads: allReads,
    sources: distinctLabels(sources, d.root),
    opaque,
    logged,
  };
}

/**
 * Sources named by their file (`Dockerfile`, `.env`, `values.yaml`) whose names repeat within one
 * app (`Dockerfile` and `mcp/Dockerfile`) are named by their path below the app's root instead;
 * services of the same name in two compose files (`compose backend` in docker-compose.dev.yml and
 * docker-compose.e2e.yml, SurfSense) by what sets their file apart (`compose backend (dev)`, short
 * enough for a narrow sidebar): the columns of `orchard env`, the tree and the hover tell them apart.
 */
function distinctLabels(sources: AppSource[], root: string): AppSource[] {
  const count = new Map<string, number>();
  for (const s of sources) count.set(s.label, (count.get(s.label) ?? 0) + 1);
  if (sources.length === count.size) return sources;
  return sources.map((s) => {
    if (count.get(s.label)! < 2) return s;
    if (s.kind === 'compose') return { ...s, label: `${s.label} (${composeFileTag(baseOf(s.uri))})` };
    return s.label === baseOf(s.uri) && isUnder(s.uri, root) && s.uri !== root ? { ...s, label: decodePercent(s.uri.slice(root.length + 1)) } : s;
  });
}

/** `docker-compose.e2e.yml` → `e2e`, `local.yml` → `local`; the whole name when nothing else is left (`docker-compose.yml`). */
function composeFileTag(file: string): string {
  const tag = file.replace(/\.ya?ml$/i, '').replace(/^(?:docker-)?compose(?:[.-]|$)/i, '');
  return tag || file;
}
