// An app's variables: every name its code reads and every name its sources provide, matched up
// (exact names, secret-key families, case-insensitive pydantic reads). Shared by the rules, the
// views, completion and `orchard env`; computed once per App object.
import type { App, AppRead, AppSource, ProvidedVar } from './types';
import { isTestPath } from './testPaths';

/** How a provided variable matches a read name (families match `PREFIX` + an upper-cased Juju secret key). */
export function provides(p: ProvidedVar, name: string, caseInsensitive = false): boolean {
  const a = caseInsensitive ? name.toUpperCase() : name;
  const b = caseInsensitive ? p.name.toUpperCase() : p.name;
  if (!p.family) return a === b;
  return a.startsWith(b) && /^[A-Z](?:_?[A-Z0-9]){2,}$/.test(a.slice(b.length));
}

/** One variable of an app: who reads it and which sources provide it. */
export interface AppVariable {
  name: string;
  reads: AppRead[];
  provided: { source: AppSource; v: ProvidedVar }[];
  sensitive: boolean;
}

/**
 * Other names a source provides that satisfy `v`'s reads (their alternatives: flask_base's `FLASK_X`,
 * a pydantic alias, django-environ's `X_FILE`), when no source provides `v` itself: what `orchard
 * env` and the App Variables view show instead of a bare ✗.
 */
export function satisfiedBy(v: AppVariable, provided: ReadonlySet<string>): string[] {
  if (v.provided.length > 0) return [];
  const out = new Set<string>();
  for (const r of v.reads) for (const a of r.read.alternatives ?? []) if (a.name !== undefined && a.name !== v.name && provided.has(a.name)) out.add(a.name);
  return [...out];
}

/** Names some source of the app provides (one of `vars`, as appVariables gives them). */
export function providedNames(vars: readonly AppVariable[]): Set<string> {
  return new Set(vars.filter((v) => v.provided.length > 0).map((v) => v.name));
}

/**
 * A read that fails when its variable is unset, given the names the app's sources provide: it is
 * required, no alternative name of the setting is provided, and if it sits under a feature switch
 * (`requiredWhen`) a source sets the switch. Not in test code (by its path below `roots`, the
 * workspace folders): a test runs where its runner sets it up (CI, a fixture, an entrypoint
 * script), not in the app's deployment. env-not-provided and the App Variables view both ask this.
 */
export function requiredNow(r: AppRead, provided: ReadonlySet<string>, roots?: readonly string[]): boolean {
  const read = r.read;
  if (!read.required || inTestCode(r.uri, roots)) return false;
  if ((read.alternatives ?? []).some((a) => a.name !== undefined && provided.has(a.name))) return false;
  return read.requiredWhen === undefined || read.requiredWhen.some((n) => provided.has(n));
}

/**
 * Whether a module is test code (isTestPath), kept per module for the workspace folders last asked
 * with: a rule run, the apps view and `orchard env` ask it for every read.
 */
let testUris: { roots: readonly string[] | undefined; byUri: Map<string, boolean> } = { roots: undefined, byUri: new Map() };

export function inTestCode(uri: string, roots: readonly string[] | undefined): boolean {
  if (testUris.roots !== roots || testUris.byUri.size > 50_000) testUris = { roots, byUri: new Map() };
  let t = testUris.byUri.get(uri);
  if (t === undefined) testUris.byUri.set(uri, (t = isTestPath(uri, roots)));
  return t;
}

/** Several rules ask for the same app's variables in one run: computed once per app object and option. */
const variablesMemo = new WeakMap<App, Map<boolean, AppVariable[]>>();

/**
 * The app's variables in name order: every name read, every exact name provided, and each secret-key
 * family no read matched (shown as `PREFIX*`). Reads with `caseInsensitive` (pydantic) match any case.
 * The list is shared between callers: do not modify it.
 */
export function appVariables(app: App, opts: { hideUnreadBuiltins?: boolean } = {}): AppVariable[] {
  const key = Boolean(opts.hideUnreadBuiltins);
  let m = variablesMemo.get(app);
  if (!m) variablesMemo.set(app, (m = new Map()));
  let vars = m.get(key);
  if (!vars) m.set(key, (vars = computeAppVariables(app, opts)));
  return vars;
}

function computeAppVariables(app: App, opts: { hideUnreadBuiltins?: boolean }): AppVariable[] {
  const byName = new Map<string, AppVariable>();
  const get = (name: string): AppVariable => {
    let v = byName.get(name);
    if (!v) byName.set(name, (v = { name, reads: [], provided: [], sensitive: false }));
    return v;
  };
  for (const r of app.reads) {
    const v = get(r.name);
    v.reads.push(r);
    v.sensitive ||= r.sensitive;
  }
  const familyUsed = new Set<ProvidedVar>();
  const taken = new Set<ProvidedVar>();
  for (const v of byName.values()) {
    const ci = v.reads.some((r) => r.read.caseInsensitive);
    for (const s of app.sources) {
      for (const p of s.provides) {
        if (!provides(p, v.name, ci)) continue;
        v.provided.push({ source: s, v: p });
        v.sensitive ||= p.sensitive;
        taken.add(p);
        if (p.family) familyUsed.add(p);
      }
    }
  }
  for (const s of app.sources) {
    for (const p of s.provides) {
      if (p.family) {
        if (familyUsed.has(p)) continue;
        const v = get(`${p.name}*`);
        v.provided.push({ source: s, v: p });
        v.sensitive ||= p.sensitive;
        continue;
      }
      // Case-insensitive reads already took this entry under the read's spelling.
      if (taken.has(p)) continue;
      const v = get(p.name);
      v.provided.push({ source: s, v: p });
      v.sensitive ||= p.sensitive;
    }
  }
  let out = [...byName.values()];
  // Views list what the user wrote or the code reads; paas-charm's built-ins (proxies, BASE_URL...) only once read.
  if (opts.hideUnreadBuiltins) out = out.filter((v) => v.reads.length > 0 || v.provided.some((p) => p.v.userDefined));
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
