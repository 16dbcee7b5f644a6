// A parsed model's lists at their exact length. The parsers fill lists by push, and V8 gives a list
// room for 17 entries at its first push: at 2,000 generated services the language server held ~3 MiB
// of such room (a figgy.json's app_figs, a config.py's imports, classes, constants...). A model
// parsed in a worker thread needs none of this: copying it to the main thread sizes every list.

/** Largest model trimmed (objects and lists); a larger one is left as it is. */
const MAX_NODES = 200_000;

const walkable = (v: unknown): v is object =>
  typeof v === 'object' && v !== null && !Object.isFrozen(v) && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype);

/**
 * Replaces, in place, every list inside `root` (a plain-data model, as parse/ makes) by an
 * exact-size copy. Frozen values (shared positions, ranges, empty lists) and class instances are
 * left alone; a list reached from two places gets one copy, so what was one list stays one.
 */
export function trimLists<T extends object>(root: T): T {
  const nodes: object[] = [];
  const seen = new Set<object>();
  const pending: object[] = [root];
  for (let o = pending.pop(); o !== undefined; o = pending.pop()) {
    if (seen.has(o)) continue;
    seen.add(o);
    if (nodes.push(o) > MAX_NODES) return root;
    for (const v of Array.isArray(o) ? o : Object.values(o)) if (walkable(v) && !seen.has(v)) pending.push(v);
  }
  const copies = new Map<unknown[], unknown[]>();
  const copyOf = (a: unknown[]): unknown[] => {
    let c = copies.get(a);
    if (!c) copies.set(a, (c = a.length === 0 ? [] : a.slice()));
    return c;
  };
  for (const o of nodes) {
    if (Array.isArray(o)) {
      const c = o === root ? o : copyOf(o);
      for (let i = 0; i < c.length; i++) if (Array.isArray(c[i]) && seen.has(c[i])) c[i] = copyOf(c[i]);
      continue;
    }
    const rec = o as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      const v = rec[k];
      if (Array.isArray(v) && seen.has(v)) rec[k] = copyOf(v);
    }
  }
  return root;
}
