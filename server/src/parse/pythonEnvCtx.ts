// Shared state of one environment-fact extraction: the facts being built, ranges, caps and the
// time budget, and the one place reads become facts (static name, parts for the model, a helper's
// parameter, or dynamic).
import type { EnvHelperDef, EnvName, PyEnvRead, PyEnvWrite, PythonEnvFacts, ReadVia, ValueParse } from './envTypes';
import type { ParseError, Position, Range } from './types';
import type { SNode } from './pythonNode';
import { lineStarts, position as sharedPosition, range as rangeOf } from './text';
import { defaultValue, envNameOf, evalName, helperShape, kids, literalString, sourceText, unparen, type NameValue } from './pythonEnvNames';
import { nameLookup, resolve, type DictEntry, type Scope } from './pythonEnvScope';

/** A guard that covers every read: the body of a `try:` whose handler lets a missing variable pass (pythonEnvGuards.ts). */
export const ANY_READ = '\u0000*';

/** Per-list cap: a legitimate module never comes near it; a generated or hostile one stops here. */
export const MAX_FACTS = 20_000;
/** Wall-clock budget of one extraction; past it the facts found so far are returned with a warning. */
export const DEFAULT_BUDGET_MS = 1500;

export function emptyFacts(): PythonEnvFacts {
  return {
    reads: [],
    writes: [],
    helpers: [],
    calls: [],
    imports: [],
    consts: [],
    flaskPrefixed: [],
    flaskConfigReads: [],
    flaskConfigWrites: [],
    flaskConfigLoads: [],
    flaskPlainEnv: [],
    logged: [],
    dynamicReads: [],
    dynamicWrites: [],
    passesWholeEnvironment: [],
    loadsDotenv: [],
  };
}

/** One statement's effects on the walker, as the replay cache records them. */
export interface Recording {
  out: [ListKey, unknown][];
  consts: ([string, string, Range] | [string])[];
  notes: string[];
  /** Every range made while recording, with its offsets (replay moves them). */
  ranges: Map<Range, [number, number]>;
  /** Something happened that a replay could not reproduce (a warning, a cap, decouple's one-off note). */
  bad: boolean;
}

export type ListKey = { [K in keyof PythonEnvFacts]-?: PythonEnvFacts[K] extends unknown[] ? K : never }[keyof PythonEnvFacts];

export class Walker {
  readonly facts = emptyFacts();
  readonly errors: ParseError[] = [];
  /** Read expression (mirror node id) → the names it reads, for the logging flow. */
  readonly nodeNames = new Map<number, EnvName[]>();
  /**
   * Candidate helper call (mirror node id) → its switch key (`\u0001callee\u0002index\u0002NAME`):
   * the model turns the key into the variable the call reads when that read is optional.
   */
  readonly callKeys = new Map<number, string>();
  /** Module-level string constants by name (last unconditional assignment wins). */
  readonly consts = new Map<string, { value: string; range: Range }>();
  /** Set while the replay cache (pythonEnvReplay.ts) records one statement's effects. */
  rec: Recording | undefined;

  setConst(name: string, value: string, range: Range): void {
    this.consts.set(name, { value, range });
    this.rec?.consts.push([name, value, range]);
  }

  deleteConst(name: string): void {
    if (this.consts.delete(name)) this.rec?.consts.push([name]);
  }
  /** > 0 while visiting a print/logging call's arguments (the environment there is logged, not passed on). */
  inLog = 0;
  /** > 0 while visiting what a secret type wraps (starlette's `Secret(config("X"))`): reads there are secret. */
  inSecret = 0;
  /** While visiting the left side of `read or fallback`: the read expression and its fallback. */
  orDefault: { read: SNode; value: SNode } | undefined;
  /** Names a presence test around the current expression proves set (pythonEnvGuards.ts): reads of them are not required. */
  readonly guards: string[] = [];
  /** Names presence tests around the current statement look at (pythonEnvGuards.ts): required reads here are required only when one is set. */
  readonly switches: string[] = [];
  /** Read expression (mirror node id) → its guard keys: the literal name, or a helper parameter's shape. */
  readonly nodeGuards = new Map<number, string[]>();
  /** Name → every read of it so far is off when unset (no default, or a false one): it can be a value switch. */
  readonly offWhenUnset = new Map<string, boolean>();
  /**
   * Name → what its optional reads give while it is unset: a default's literal value, null for
   * None (no default), undefined for a default not known here. Decides comparisons as switches
   * (`MODE = env("MODE", default="local")` … `if MODE == "s3":` is false while MODE is unset).
   */
  readonly unsetValues = new Map<string, Set<string | null | undefined>>();
  /** Counts reads, whole-environment uses and uses of names holding read values (valueFlow runs only after one). */
  flow = 0;
  /** python-decouple's config() also reads `.env` / settings.ini: recorded once. */
  decoupleNoted = false;
  /** Names the statement marker must also catch (aliases such as `e = os.environ`). */
  private readonly extra = new Set<string>();
  extraRe: RegExp | undefined;

  /** Remembers an alias name (up to 200): statements using it are analysed from now on. */
  note(name: string): void {
    this.rec?.notes.push(name);
    if (this.extra.has(name) || this.extra.size >= 200) return;
    this.extra.add(name);
    this.extraRe = new RegExp(`\\b(?:${[...this.extra].join('|')})\\b`);
  }
  private readonly capped = new Set<string>();
  private steps = 0;
  private readonly deadline: number;
  stopped = false;

  constructor(
    readonly text: string,
    budgetMs = DEFAULT_BUDGET_MS,
  ) {
    this.deadline = performance.now() + budgetMs;
  }

  range(n: SNode): Range {
    return this.span(n.startIndex, n.endIndex);
  }

  span(start: number, end: number): Range {
    if (!this.rec) return rangeOf(this.position(start), this.position(end));
    // A recording tells its ranges apart by identity (pythonEnvReplay): a fresh object, not a shared one.
    const r = { start: this.position(start), end: this.position(end) };
    this.rec.ranges.set(r, [start, end]);
    return r;
  }

  private starts: readonly number[] | undefined;
  private lastLine = 0;

  /**
   * LSP position of an offset (lines break at \n, \r\n and \r, as text.ts counts them). The line
   * table is built on first use (files without facts never pay for it); lookups start at the line
   * of the previous one, since facts are mostly made in text order.
   */
  position(offset: number): Position {
    const s = (this.starts ??= lineStarts(this.text));
    const o = Math.max(0, Math.min(this.text.length, Number.isFinite(offset) ? Math.floor(offset) : 0));
    let line = this.lastLine;
    if (!(s[line] <= o && (line + 1 === s.length || o < s[line + 1]))) {
      if (line + 1 < s.length && s[line + 1] <= o && (line + 2 === s.length || o < s[line + 2])) line++;
      else {
        let lo = 0;
        let hi = s.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (s[mid] <= o) lo = mid;
          else hi = mid - 1;
        }
        line = lo;
      }
      this.lastLine = line;
    }
    return sharedPosition(line, o - s[line]);
  }

  /** Counts work; false once the time budget is spent (checked every 256 steps). */
  tick(): boolean {
    if (this.stopped) return false;
    if ((++this.steps & 255) === 0 && performance.now() > this.deadline) {
      this.stopped = true;
      this.warn('env-budget', 'environment variables: extraction stopped at its time budget; the facts of the rest of this file are missing');
    }
    return !this.stopped;
  }

  warn(code: string, message: string, range?: Range): void {
    if (this.rec) this.rec.bad = true;
    this.errors.push({ code, message, severity: 'warning', range: range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  }

  /** Appends to a fact list unless it is full (then warns once). */
  push<K extends ListKey>(key: K, item: PythonEnvFacts[K][number]): boolean {
    const list = this.facts[key] as unknown[];
    if (list.length >= MAX_FACTS) {
      if (this.rec) this.rec.bad = true;
      if (!this.capped.has(key)) {
        this.capped.add(key);
        this.warn('env-too-many', `environment variables: more than ${MAX_FACTS} ${key} in this file; the rest are not recorded`);
      }
      return false;
    }
    list.push(item);
    this.rec?.out.push([key, item]);
    // Here, not where a read is made, so a replayed statement (pythonEnvReplay.ts) counts the same.
    if (key === 'reads') {
      const read = item as PyEnvRead;
      const n = read.name.name;
      if (n !== undefined) {
        this.offWhenUnset.set(n, (this.offWhenUnset.get(n) ?? true) && isOffWhenUnset(read));
        // A required read fails while unset: it never reaches a comparison.
        if (!read.required) {
          let s = this.unsetValues.get(n);
          if (!s) this.unsetValues.set(n, (s = new Set()));
          s.add(read.default ? read.default.value : null);
        }
      }
    }
    return true;
  }

  /** The whole environment is handed on (or copied) here. */
  whole(n: SNode): void {
    this.flow++;
    if (!this.inLog) this.push('passesWholeEnvironment', this.range(n));
  }
}

export interface ReadSpec {
  /** The evaluated name. */
  value: NameValue;
  /** Where the name is written (the literal, the constant, the field name, or the call for implicit names). */
  nameRange: Range;
  /** The whole read expression; its range is the read's unless `range` is given. */
  node?: SNode;
  range?: Range;
  via: ReadVia;
  required: boolean;
  defaultNode?: SNode;
  default?: PyEnvRead['default'];
  parse: ValueParse;
  caseInsensitive?: boolean;
  field?: PyEnvRead['field'];
  alternatives?: EnvName[];
  secret?: boolean;
  setting?: PyEnvRead['setting'];
}

export function defaultOf(w: Walker, n: SNode): NonNullable<PyEnvRead['default']> {
  const v = defaultValue(n);
  const d: NonNullable<PyEnvRead['default']> = { text: sourceText(n.text), range: w.range(n) };
  if (v !== undefined) d.value = v;
  return d;
}

/** A false default: `None`, `False`, `0`, `""`, `"false"`, `"no"`, `"off"`. */
const FALSE_DEFAULT = /^(?:|none|false|0|no|off|n)$/i;

/** The read gives a false value when the variable is unset: required (it fails), no default, or a false one. */
function isOffWhenUnset(read: PyEnvRead): boolean {
  if (read.required || !read.default) return true;
  const v = read.default.value;
  return v === null || (v !== undefined && FALSE_DEFAULT.test(v.trim()));
}

/** Remembers what the read expression `node` reads, for presence tests (pythonEnvGuards.ts). */
function noteGuardKey(w: Walker, node: SNode | undefined, key: string): void {
  if (!node) return;
  const list = w.nodeGuards.get(node.id);
  if (list) list.push(key);
  else w.nodeGuards.set(node.id, [key]);
}

/**
 * Records one read: a known name becomes a PyEnvRead, a name built from a parameter of the function
 * being walked makes that function a helper, anything else is a dynamic read. Returns the name read.
 */
export function emitRead(w: Walker, scope: Scope, spec: ReadSpec): EnvName | undefined {
  const range = spec.range ?? (spec.node ? w.range(spec.node) : w.span(0, 0));
  const name = envNameOf(spec.value, spec.nameRange);
  if (name) {
    if (name.name !== undefined) noteGuardKey(w, spec.node, name.name);
    const guarded = spec.required && ((name.name !== undefined && w.guards.includes(name.name)) || w.guards.includes(ANY_READ));
    const read: PyEnvRead = { name, range, via: spec.via, required: spec.required && !guarded, parse: spec.parse };
    let defNode = spec.defaultNode;
    if (!defNode && !spec.default && !spec.required && spec.node && w.orDefault?.read === spec.node) defNode = w.orDefault.value;
    const def = spec.default ?? (defNode ? defaultOf(w, defNode) : undefined);
    if (def) read.default = def;
    if (read.required && w.switches.length > 0) {
      const when = [...new Set(w.switches)].filter((n) => n !== name.name);
      if (when.length > 0) read.requiredWhen = when;
    }
    if (spec.caseInsensitive) read.caseInsensitive = true;
    if (spec.field) read.field = spec.field;
    if (spec.alternatives?.length) read.alternatives = spec.alternatives;
    if (spec.secret || w.inSecret > 0) read.secret = true;
    if (spec.setting) read.setting = spec.setting;
    w.push('reads', read);
    w.flow++;
    if (spec.node) {
      const list = w.nodeNames.get(spec.node.id);
      if (list) list.push(name);
      else w.nodeNames.set(spec.node.id, [name]);
    }
    return name;
  }
  const fn = scope.function;
  const shape = fn ? helperShape(spec.value) : undefined;
  if (fn && shape) {
    fn.helper ??= newHelper(w, fn);
    // `if name in os.environ: return os.environ[name]` inside the helper: the parameter's read is guarded too.
    const guardKey = `\u0000${shape.index}\u0000${shape.prefix ?? ''}\u0000${shape.suffix ?? ''}`;
    noteGuardKey(w, spec.node, guardKey);
    const entry: EnvHelperDef['reads'][number] = {
      param: shape.index,
      paramName: shape.name,
      prefix: shape.prefix,
      suffix: shape.suffix,
      via: spec.via,
      required: spec.required && !w.guards.includes(guardKey) && !w.guards.includes(ANY_READ),
      parse: spec.parse,
    };
    const dp = spec.defaultNode ? paramIndex(scope, spec.defaultNode) : undefined;
    if (dp !== undefined) entry.defaultParam = dp;
    if (!fn.helper.reads.some((r) => sameHelperRead(r, entry))) fn.helper.reads.push(entry);
    return undefined;
  }
  w.push('dynamicReads', range);
  return undefined;
}

function sameHelperRead(a: EnvHelperDef['reads'][number], b: EnvHelperDef['reads'][number]): boolean {
  return a.param === b.param && a.prefix === b.prefix && a.suffix === b.suffix && a.via === b.via && a.required === b.required && a.parse === b.parse && a.defaultParam === b.defaultParam;
}

function newHelper(w: Walker, fn: NonNullable<Scope['fn']>): EnvHelperDef {
  const h: EnvHelperDef = { name: fn.name, qualifiedName: fn.qualifiedName, range: fn.nameRange, reads: [] };
  w.push('helpers', h);
  return h;
}

/** The parameter index `n` names, when it is a bare parameter of the enclosing function. */
export function paramIndex(scope: Scope, n: SNode): number | undefined {
  const u = unparen(n);
  if (u.type !== 'identifier') return undefined;
  const b = resolve(scope, u);
  return b && b.k === 'param' ? b.index : undefined;
}

/** The entries a name bound to a dict of string keys, or a loop variable over one, stands for. */
export function dictEntries(scope: Scope, n: SNode, kind: 'str-dict' | 'dict-key' | 'dict-value'): DictEntry[] | undefined {
  const u = unparen(n);
  const b = u.type === 'identifier' ? scope.lookup(u.text) : undefined;
  return b?.k === kind ? b.entries : undefined;
}

/** The entries a loop's key variable stands for (`for k, v in DEFAULTS.items():`), else undefined. */
export function dictKeys(scope: Scope, n: SNode): DictEntry[] | undefined {
  return dictEntries(scope, n, 'dict-key');
}

/** Writes of a dict's entries with their values (`os.environ.update(DEFAULTS)`, a loop over it); `valueNode` where the values are written. */
export function writeEntries(w: Walker, entries: readonly DictEntry[], nameNode: SNode, rangeNode: SNode, valueNode?: SNode): void {
  const at = w.range(nameNode);
  for (const e of entries) {
    const name = envNameOf({ kind: 'static', value: e.key, isStr: true }, at);
    if (!name) continue;
    const write: PyEnvWrite = { name, range: w.range(rangeNode) };
    if (e.value !== undefined) write.value = { value: e.value, range: w.range(valueNode ?? nameNode) };
    w.push('writes', write);
  }
}

/** `os.environ["X"] = v`, `update(X=v)`, `putenv("X", v)`: the code provides X (dynamic names are not recorded). */
export function writeTo(w: Walker, scope: Scope, nameNode: SNode, rangeNode: SNode, valueNode?: SNode, literalName?: string): void {
  const entries = literalName === undefined ? dictKeys(scope, nameNode) : undefined;
  if (entries) {
    // In a loop over a dict of defaults: each key, with its value when the value variable is written.
    if (valueNode && dictEntries(scope, valueNode, 'dict-value') === entries) return writeEntries(w, entries, nameNode, rangeNode, valueNode);
    const lit = valueNode ? literalString(unparen(valueNode)) : undefined;
    const same = entries.map((e) => (lit === undefined ? { key: e.key } : { key: e.key, value: lit }));
    return writeEntries(w, same, nameNode, rangeNode, valueNode);
  }
  const value: NameValue = literalName !== undefined ? { kind: 'static', value: literalName, isStr: true } : evalName(nameNode, nameLookup(scope));
  const name = envNameOf(value, w.range(nameNode));
  if (!name) {
    // A literal that is no plausible variable name is nothing; a run-time name may be any variable.
    if (value.kind !== 'static') w.push('dynamicWrites', w.range(rangeNode));
    return;
  }
  const write: PyEnvWrite = { name, range: w.range(rangeNode) };
  const lit = valueNode ? literalString(unparen(valueNode)) : undefined;
  if (valueNode && lit !== undefined) write.value = { value: lit, range: w.range(valueNode) };
  w.push('writes', write);
}

// ---------------------------------------------------------------------------------------------
// call arguments

export interface Args {
  pos: SNode[];
  kw: Map<string, SNode>;
  kwNames: string[];
  splat: boolean;
  all: SNode[];
}

export function argsOf(call: SNode): Args {
  const a = call.childForFieldName('arguments');
  const out: Args = { pos: [], kw: new Map(), kwNames: [], splat: false, all: [] };
  if (!a) return out;
  if (a.type !== 'argument_list') {
    out.pos.push(a); // f(x for x in y)
    out.all.push(a);
    return out;
  }
  for (const c of kids(a)) {
    out.all.push(c);
    if (c.type === 'keyword_argument') {
      const k = c.childForFieldName('name')?.text;
      const v = c.childForFieldName('value');
      if (k && v) {
        out.kw.set(k, v);
        out.kwNames.push(k);
      }
    } else if (c.type === 'list_splat' || c.type === 'dictionary_splat') out.splat = true;
    else if (c.type !== 'ERROR') out.pos.push(c);
  }
  return out;
}

/** Argument by position or keyword. */
export function arg(a: Args, index: number, keyword?: string): SNode | undefined {
  return (keyword !== undefined ? a.kw.get(keyword) : undefined) ?? a.pos[index];
}

/** A name expression evaluated in `scope` (constants, imports, parameters). */
export function nameOf(scope: Scope, n: SNode): NameValue {
  return evalName(n, nameLookup(scope));
}
