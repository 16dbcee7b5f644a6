// Replay of module-level statements between extractions. The language server extracts again after
// every keystroke; in a large settings module nearly every statement is unchanged and means what
// it meant before. A module-level simple statement's effects depend only on its text and on the
// bindings of the names it looks up, so its first analysis is recorded (facts, bindings, constants,
// with ranges as offsets from the statement) together with a fingerprint of each binding it looked
// up. Later, the same text with the same fingerprints is replayed at its new offset instead of being
// analysed. Anything a replay could not reproduce exactly (warnings, caps, classes and functions
// looked up by identity, decouple's one-off note) is never recorded. Bounded, shared, and proven
// result-neutral by the tests (the same facts with the caches warm, cold, or warmed on other files).
import type { Range } from './types';
import type { Recording, Walker } from './pythonEnvCtx';
import type { Binding, Scope } from './pythonEnvScope';
import { detach } from './text';

interface Entry {
  type: number;
  /** Names looked up, with the fingerprint of what they were bound to ('-': unbound). */
  deps: [string, string][];
  star: boolean;
  out: [Recording['out'][number][0], unknown][];
  sets: [string, unknown][];
  consts: ([string, string, unknown] | [string])[];
  notes: string[];
}

const MAX_CHARS = 4_000_000;
const MAX_ENTRIES = 40_000;
const MAX_KEY = 20_000;

const cache = new Map<string, Entry>();
let chars = 0;

/** Empties the replay cache (tests, memory pressure). */
export function clearReplayCache(): void {
  cache.clear();
  chars = 0;
}

const fingerprints = new WeakMap<object, string | null>();

/** What a binding means, as text; null when it can only be compared by identity (never replayed). */
function fingerprint(b: Binding | undefined): string | null {
  if (!b) return '-';
  let fp = fingerprints.get(b);
  if (fp !== undefined) return fp;
  switch (b.k) {
    case 'model-class':
    case 'param':
      fp = null;
      break;
    case 'function':
      // Module-level statements only see that a name is a function (helper matching is the model's).
      fp = `function:${b.fn.qualifiedName}`;
      break;
    case 'djenv':
      fp = `djenv:${JSON.stringify([b.env.flavor, b.env.prefix, b.env.fileAware, [...b.env.scheme]])}`;
      break;
    default:
      fp = `${b.k}:${JSON.stringify(b)}`;
  }
  fingerprints.set(b, fp);
  return fp;
}

/**
 * Analyses a module-level statement (`run`) or replays its recorded effects. `key` is its text,
 * `type` its node type id, `base` its start offset.
 */
export function replayOrRun(w: Walker, module: Scope, key: string, type: number, base: number, run: () => void): void {
  if (key.length > MAX_KEY) return run();
  const hit = cache.get(key);
  if (hit && hit.type === type && valid(hit, module)) return replay(w, module, hit, base);
  record(w, module, key, type, base, run);
}

function valid(e: Entry, module: Scope): boolean {
  if (e.star !== module.starImport) return false;
  for (const [name, fp] of e.deps) if (fingerprint(module.bindings.get(name)) !== fp) return false;
  return true;
}

function record(w: Walker, module: Scope, key: string, type: number, base: number, run: () => void): void {
  const rec: Recording = { out: [], consts: [], notes: [], ranges: new Map(), bad: false };
  const deps = new Map<string, string>();
  const sets: [string, Binding][] = [];
  const setNames = new Set<string>();
  const star = module.starImport;
  module.onLookup = (name, b) => {
    if (deps.has(name) || setNames.has(name)) return;
    const fp = fingerprint(b);
    if (fp === null) rec.bad = true;
    else deps.set(name, fp);
  };
  module.bindings.onSet = (name, b) => {
    setNames.add(name);
    sets.push([name, b]);
  };
  w.rec = rec;
  let done = false;
  try {
    run();
    done = true;
  } finally {
    w.rec = undefined;
    module.onLookup = undefined;
    module.bindings.onSet = undefined;
  }
  if (!done || rec.bad || w.stopped || module.starImport !== star) return;
  // Every string kept is a copy (detach): a slice would keep this version of the document alive.
  const entry: Entry = {
    type,
    deps: [...deps].map(([n, fp]) => [detach(n), fp]),
    star,
    out: [],
    sets: [],
    consts: [],
    notes: rec.notes.map(detach),
  };
  try {
    entry.out = rec.out.map(([k, item]) => [k, template(item, rec.ranges, base)]);
    entry.sets = sets.map(([n, b]) => [detach(n), template(b, rec.ranges, base)]);
    entry.consts = rec.consts.map((c) => (c.length === 3 ? [detach(c[0]), detach(c[1]), template(c[2], rec.ranges, base)] : [detach(c[0])]));
  } catch {
    return; // something not plain data: analyse this statement every time
  }
  const old = cache.get(key);
  if (old) chars -= key.length;
  cache.set(detach(key), entry);
  chars += key.length;
  while (cache.size > MAX_ENTRIES || chars > MAX_CHARS) {
    const first = cache.keys().next().value as string;
    cache.delete(first);
    chars -= first.length;
  }
}

function replay(w: Walker, module: Scope, e: Entry, base: number): void {
  for (const [k, t] of e.out) w.push(k, restore(t, w, base) as never);
  for (const [n, t] of e.sets) module.bindings.set(n, restore(t, w, base) as Binding);
  for (const c of e.consts) {
    if (c.length === 3) w.setConst(c[0], c[1], restore(c[2], w, base) as Range);
    else w.deleteConst(c[0]);
  }
  for (const n of e.notes) w.note(n);
}

/** A range made by this statement: offsets relative to it. */
class Off {
  constructor(
    readonly s: number,
    readonly e: number,
  ) {}
}
/** A Map (django-environ scheme). */
class MapT {
  constructor(readonly entries: [unknown, unknown][]) {}
}
/** A plain object, as its keys and their templates. */
class Obj {
  constructor(
    readonly keys: string[],
    readonly values: unknown[],
  ) {}
}

const MAX_TEMPLATE_DEPTH = 30;

/** Plain data with this statement's ranges turned into relative offsets; throws on anything else. */
function template(x: unknown, ranges: Map<Range, [number, number]>, base: number, depth = 0): unknown {
  if (depth > MAX_TEMPLATE_DEPTH) throw new Error('too deep');
  if (x === null || typeof x !== 'object') {
    if (typeof x === 'function' || typeof x === 'symbol' || typeof x === 'bigint') throw new Error('not data');
    return typeof x === 'string' ? detach(x) : x;
  }
  const off = ranges.get(x as Range);
  if (off) return new Off(off[0] - base, off[1] - base);
  if (Array.isArray(x)) return x.map((v) => template(v, ranges, base, depth + 1));
  if (x instanceof Map) return new MapT([...x].map(([k, v]) => [typeof k === 'string' ? detach(k) : k, template(v, ranges, base, depth + 1)]));
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) throw new Error('not plain data');
  const keys = Object.keys(x);
  return new Obj(
    keys,
    keys.map((k) => template((x as Record<string, unknown>)[k], ranges, base, depth + 1)),
  );
}

function restore(t: unknown, w: Walker, base: number): unknown {
  if (t === null || typeof t !== 'object') return t;
  if (t instanceof Obj) {
    const out: Record<string, unknown> = {};
    const { keys, values } = t;
    for (let i = 0; i < keys.length; i++) out[keys[i]] = restore(values[i], w, base);
    return out;
  }
  if (t instanceof Off) return w.span(base + t.s, base + t.e);
  if (Array.isArray(t)) {
    const out = new Array<unknown>(t.length);
    for (let i = 0; i < t.length; i++) out[i] = restore(t[i], w, base);
    return out;
  }
  if (t instanceof MapT) return new Map(t.entries.map(([k, v]) => [k, restore(v, w, base)]));
  return t;
}
