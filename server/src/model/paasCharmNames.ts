// Names in a charm's environment: which two sources write one variable (collisions) and which
// option, secret key or integration a variable name comes from (the reverse of paas-charm's mapping).
// Pure, over the variables charmEnvironment computed.
import type { ProvidedVar } from './paasCharm';
import { JUJU_SECRET_KEY } from './paasCharmData';

/** Two sources writing one variable name (the later write in gen_environment wins). */
export interface VariableCollision {
  name: string;
  /** In write order; the last one is what the app sees (for families: when the key matches). */
  vars: ProvidedVar[];
  message: string;
  /**
   * Only possible: a secret whose description lists no keys would have to hold a key of that name
   * (the charm cannot know which keys a secret holds; a "credentials" secret usually holds user and
   * password). Reported as information, not as a problem.
   */
  possible?: boolean;
}

function label(x: ProvidedVar): string {
  return x.charm.kind === 'option' || x.charm.kind === 'secret-option' ? `option ${x.charm.option}` : x.charm.endpoint ? `integration ${x.charm.endpoint}` : 'paas-charm';
}

/** A key written as a description line's label (`  site-key: Unique site ID`, `- site-key:`) or in backticks. */
const KEY_LINE = /^[ \t]*(?:[-*][ \t]+)?`?([a-z](?:-?[a-z0-9]){2,})`?[ \t]*:/gm;
const KEY_TICKED = /`([a-z](?:-?[a-z0-9]){2,})`/g;

/**
 * The keys a secret option's description documents ("Must contain following keys: site-key: …,
 * secret-key: …"), or undefined when it does not speak of keys or lists none: then any key may come.
 */
export function documentedSecretKeys(description: string | undefined): string[] | undefined {
  if (!description || !/\bkeys?\b/i.test(description)) return undefined;
  const text = description.slice(0, 10_000);
  const keys = new Set<string>();
  for (const re of [KEY_LINE, KEY_TICKED]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) if (JUJU_SECRET_KEY.test(m[1])) keys.add(m[1]);
  }
  return keys.size > 0 ? [...keys] : undefined;
}

/** Writes of one name by two sources, and secret families whose keys can make another variable's name. */
export function collisions(vars: ProvidedVar[]): VariableCollision[] {
  const out: VariableCollision[] = [];
  const byName = new Map<string, ProvidedVar[]>();
  for (const v of vars) if (!v.family) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
  for (const [name, vs] of byName) {
    if (vs.length < 2) continue;
    const users = vs.filter((v) => v.charm.kind === 'option');
    if (users.length === 0) continue; // paas-charm's own double writes (e.g. Spring's APP_PROFILES) are by design
    const others = vs.filter((v) => v.charm.kind !== 'option');
    const what = vs.map(label).join(' and ');
    const last = vs[vs.length - 1];
    // `{prefix}SECRET_KEY` is generated only when nothing wrote it: a user option then replaces it.
    const secretKey = others.length > 0 && others.every((o) => o.name === name && /SECRET_KEY$/.test(name) && o.charm.builtin);
    const message = secretKey
      ? `${name} is written by ${what}: the option replaces the secret key paas-charm generates (unless ${others[0].charm.option ?? 'the framework secret option'} is set)`
      : `${name} is written by ${what}; the app sees the ${label(last)} value${last.charm.availability === 'when-related' ? ' once related' : ''}`;
    out.push({ name, vars: vs, message });
  }
  const families = vars.filter((v) => v.family);
  for (const f of families) {
    for (const v of vars) {
      if (v === f || !v.name.startsWith(f.name)) continue;
      const key = v.name.slice(f.name.length);
      if (!v.family && !JUJU_SECRET_KEY.test(key.toLowerCase().replace(/_/g, '-'))) continue;
      // The secret's description lists its keys and none of them makes this name: no collision to expect.
      const listed = f.charm.documentedKeys;
      const k = key.toLowerCase().replace(/_/g, '-');
      if (listed && !(v.family ? listed.some((l) => l.startsWith(k)) : listed.includes(k))) continue;
      const possible = !listed;
      out.push({
        name: v.family ? `${v.name}*` : v.name,
        vars: [f, v],
        message: v.family
          ? `secret ${label(f)} with a key starting "${k.replace(/-$/, '')}-" gives the same names as secret ${label(v)}`
          : possible
            ? `${v.name} would also be what secret ${label(f)} gives if it held a key "${k}" (its description lists no keys)`
            : `${v.name} is also what secret ${label(f)} gives for its key "${k}"`,
        ...(possible ? { possible } : {}),
      });
    }
  }
  return out;
}

/** What provides a variable name: an exact variable, or a secret family and the key it takes. */
export type ReverseMatch =
  | { kind: 'exact'; var: ProvidedVar }
  | { kind: 'secret-key'; var: ProvidedVar; option: string; key: string; keyValid: boolean };

/** reverseVariable over an already computed list. */
export function reverseIn(name: string, vars: readonly ProvidedVar[]): ReverseMatch | undefined {
  const exact = vars.filter((v) => !v.family && v.name === name);
  if (exact.length) return { kind: 'exact', var: exact[exact.length - 1] };
  const cands = vars
    .filter((v) => v.family && name.startsWith(v.name) && name.length > v.name.length)
    .map((v) => {
      const key = name.slice(v.name.length).toLowerCase().replace(/_/g, '-');
      return { v, key, valid: JUJU_SECRET_KEY.test(key) };
    })
    .sort((a, b) => Number(b.valid) - Number(a.valid) || b.v.name.length - a.v.name.length);
  const best = cands[0];
  if (!best) return undefined;
  return { kind: 'secret-key', var: best.v, option: best.v.charm.option ?? '', key: best.key, keyValid: best.valid };
}

