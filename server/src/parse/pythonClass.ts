// FigStore subclasses: the class body read statement by statement as Python runs it (names bound so
// far, then module names, then builtins), Figs and what else the class binds, TWIG, and what a
// subclass inherits from FigStore classes of the same file (Python's method resolution order).
import type { FigDecl, FigKind, FigStoreClass, NonFigAttr, ParseError, Range } from './types';
import { evalStatic, excerpt, type ConstEntry, type EvalEnv, type EvalResult } from './pythonEval';
import type { SNode } from './pythonNode';
import { figDecl, objectIdOf, type Failed, type FigCallEnv } from './pythonFigCall';
import { classifyUnbound, resolveSymbol } from './pythonScope';
import { isDunder, isStoreFigName, mangle, nodes, rangeOf, same, spanRange, type Ctx, type ModuleState, type StoreInfo } from './pythonCtx';
import { isDef, type ClassItem, type Item } from './pythonClassItems';

export interface ClassHead {
  nameNode: SNode;
  supers: SNode | null;
  start: number;
  end: number;
  decorators?: SNode[];
}

/**
 * `@dataclass` on a store generates an `__init__` that replaces FigStore's, so creating the store
 * with (fig_svc, lazy_load=...) raises TypeError; only `@dataclass(init=False)` keeps FigStore's.
 */
function dataclassError(ctx: Ctx, head: ClassHead): ParseError | undefined {
  for (const d of head.decorators ?? []) {
    const e = nodes(d.namedChildren).find((c) => c.type !== 'comment');
    const callee = e?.type === 'call' ? e.childForFieldName('function') : e;
    const name = callee?.text.replace(/\s+/g, '');
    if (name !== 'dataclass' && name !== 'dataclasses.dataclass') continue;
    if (e?.type === 'call' && /\binit\s*=\s*False\b/.test(e.childForFieldName('arguments')?.text ?? '')) continue;
    return {
      code: 'store-dataclass',
      severity: 'error',
      message: `@dataclass on ${head.nameNode.text} generates an __init__ that replaces FigStore's, so creating the store with (fig_svc, lazy_load=...) raises TypeError; remove it or use @dataclass(init=False)`,
      range: rangeOf(ctx, d),
    };
  }
  return undefined;
}

/** The base classes of a class statement that are FigStore itself or FigStore classes of the file. */
function storeBases(st: ModuleState, supers: SNode | null): { figStore: boolean; bases: StoreInfo[] } {
  const out = { figStore: false, bases: [] as StoreInfo[] };
  for (const c of nodes(supers?.namedChildren ?? [])) {
    if (c.type === 'keyword_argument' || c.type === 'comment') continue;
    if (c.type === 'identifier' && st.stores.has(c.text) && st.bindings.get(c.text)?.kind !== 'symbol') out.bases.push(st.stores.get(c.text)!);
    else if (resolveSymbol(st, c) === 'FigStore') out.figStore = true;
  }
  return out;
}

/** Python's C3 linearisation of the store classes (FigStore and `object` last, left out). */
function mro(s: StoreInfo): StoreInfo[] {
  const merge = (seqs: StoreInfo[][]): StoreInfo[] | undefined => {
    const out: StoreInfo[] = [];
    const lists = seqs.map((q) => [...q]).filter((q) => q.length);
    while (lists.length) {
      const head = lists.map((q) => q[0]).find((h) => !lists.some((q) => q.indexOf(h) > 0));
      if (!head) return undefined;
      out.push(head);
      for (const q of lists) if (q[0] === head) q.shift();
      for (let i = lists.length - 1; i >= 0; i--) if (!lists[i].length) lists.splice(i, 1);
    }
    return out;
  };
  const rest = merge([...s.bases.map(mro), s.bases]);
  // An inconsistent hierarchy is a TypeError in Python; fall back to depth-first order.
  return [s, ...(rest ?? s.bases.flatMap(mro))].filter((c, i, a) => a.indexOf(c) === i);
}

/** Value of `Store.ATTR` as Python finds it (own namespace, then the bases in MRO order). */
function storeAttr(s: StoreInfo, attr: string): ConstEntry | undefined {
  for (const c of mro(s)) {
    const e = c.ns.get(mangle(c.cls.className, attr)) ?? c.ns.get(attr);
    if (e) return e;
  }
  return undefined;
}

/** Reads one class statement; `getItems` is called only for a FigStore class. */
export function buildClass(ctx: Ctx, st: ModuleState, head: ClassHead, getItems: () => ClassItem[]): void {
  const className = head.nameNode.text;
  const { figStore, bases } = storeBases(st, head.supers);
  const bindClassName = () => {
    st.bindings.set(className, { kind: 'other' });
    st.consts.set(className, { why: `${className} is a class` });
  };
  if (!figStore && bases.length === 0) {
    st.stores.delete(className);
    bindClassName();
    return;
  }
  st.storeClassNames.add(className);
  const dc = dataclassError(ctx, head);
  if (dc) ctx.errors.push(dc);
  const items = getItems();
  const cls: FigStoreClass = {
    className,
    nameRange: rangeOf(ctx, head.nameNode),
    range: spanRange(ctx, head.start, head.end),
    figs: [],
    nonFigs: [],
  };
  if (bases.length) cls.bases = bases.map((b) => b.cls.className);
  // A class body starts with __module__ and __qualname__ bound.
  const info: StoreInfo = {
    cls,
    bases,
    own: new Map(),
    ns: new Map([
      ['__module__', { why: '__module__ is the module name' }],
      ['__qualname__', { value: { t: 'str', v: className } }],
    ]),
    hasTwig: false,
  };
  const where = `class ${className}`;
  const inheritedNames = new Map<string, string>();
  for (const b of bases) for (const c of mro(b)) for (const k of c.ns.keys()) if (!inheritedNames.has(k)) inheritedNames.set(k, c.cls.className);

  // Names bound later in the body: using one before its statement is a NameError.
  const pending = new Map<string, number>();
  for (const it of items) {
    if (isDef(it)) pending.set(it.name.text, (pending.get(it.name.text) ?? 0) + 1);
    else for (const n of namesOf(it)) pending.set(n, (pending.get(n) ?? 0) + 1);
  }
  const lineOf = (o: number) => ctx.li.positionAt(o).line;
  let current: { item: Item; range: Range } | undefined;

  // While an item's value is evaluated: whether it looked anything up, and what it called and created.
  let rec: Recording | undefined;
  const env: EvalEnv = {
    lookup: (name) => {
      if (rec) rec.open = true;
      return info.ns.get(name) ?? st.consts.get(name);
    },
    isModule: (name) => {
      if (rec) rec.open = true;
      return st.bindings.get(name)?.kind === 'module';
    },
    call: (node) => figCall(node),
    attribute: (node) => {
      if (rec) rec.open = true;
      const obj = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute');
      if (obj?.type !== 'identifier' || !attr || info.ns.has(obj.text)) return undefined;
      const store = st.stores.get(obj.text);
      if (!store || st.consts.get(obj.text) === undefined) return undefined;
      const e = storeAttr(store, attr.text);
      if (!e) return { ok: false, node, why: `type object '${obj.text}' has no attribute '${attr.text}'`, raises: true };
      return 'why' in e ? { ok: false, node, why: `${obj.text}.${attr.text} has no static value (${e.why})` } : { ok: true, value: e.value };
    },
  };
  const describe = (r: Failed, what: string, code: string): ParseError => {
    const range = rangeOf(ctx, r.node);
    if (r.unbound) {
      const later = new Set([...pending].filter(([, n]) => n > 0).map(([k]) => k));
      const u = classifyUnbound(st, r.unbound, r.node.startIndex, where, lineOf, later, inheritedNames);
      return { code: u.code, severity: u.severity, message: u.message, range };
    }
    if (r.raises) return { code: 'python-error', severity: 'error', message: `${what}: ${r.why}; Python raises this at import`, range };
    return { code, severity: 'warning', message: `${what}: ${r.why}`, range };
  };
  const fc: FigCallEnv = { ctx, env, describe };

  /** Fig constructor calls evaluate to Fig objects; each call is one object. */
  function figCall(node: SNode): EvalResult | undefined {
    const kind = figKindOf(st, node);
    rec?.calls.push({ node, kind });
    if (!kind) return undefined;
    const id = objectIdOf(node);
    if (!st.figObjects.has(id)) {
      const attrNode = current?.item.targets[0] ?? node;
      const decl = figDecl(fc, kind, node, attrNode, current?.range ?? rangeOf(ctx, node));
      st.figObjects.set(id, decl);
      // As figDecl made it: the item loop below sets dirName and shadowedBy on the one in use.
      rec?.objects.push({ ...decl });
      // A Fig created inside an expression (not bound by this statement) reports its problems itself.
      if (!current || !same(current.item.value, node)) ctx.errors.push(...decl.argErrors);
    }
    return { ok: true, value: { t: 'fig', id } };
  }

  const bindOwn = (dirName: string, fig: FigDecl | undefined, range: Range) => {
    const prev = info.own.get(dirName);
    if (prev && !prev.shadowedBy) prev.shadowedBy = range;
    info.own.set(dirName, fig);
  };

  let twigError: ParseError | undefined;
  for (const item of items) {
    if (isDef(item)) {
      const name = item.name.text;
      pending.set(name, (pending.get(name) ?? 1) - 1);
      const dirName = mangle(className, name);
      const range = spanRange(ctx, item.start, item.end);
      bindOwn(dirName, undefined, rangeOf(ctx, item.name));
      info.ns.set(name, { why: `${name} is a ${item.kind === 'class' ? 'class' : 'method'}` });
      if (isStoreFigName(dirName)) {
        const what: NonFigAttr['what'] =
          item.kind === 'class' || item.decorators.every((d) => d === 'staticmethod') && item.decorators.length > 0
            ? 'descriptor'
            : item.decorators.length === 0 || item.decorators.every((d) => d === 'classmethod')
              ? 'method'
              : 'unknown';
        cls.nonFigs.push({ attr: name, range, valueText: item.kind === 'class' ? `class ${name}` : `def ${name}(...)`, what });
      }
      continue;
    }
    const names = namesOf(item);
    // A reused evaluation brings the ranges it was made with: the same text at the same place.
    const memo = reuseEval(ctx, st, item);
    let r: EvalResult;
    let stmtRange: Range;
    let targetRanges: Range[];
    let valueId: string | undefined;
    if (memo) {
      ({ result: r, stmtRange, targetRanges, valueId } = memo);
    } else {
      stmtRange = spanRange(ctx, item.start, item.end);
      targetRanges = item.targets.map((t) => rangeOf(ctx, t));
      valueId = item.value.type === 'call' ? objectIdOf(item.value) : undefined;
      const errorsBefore = ctx.errors.length;
      rec = item.memo ? { open: false, calls: [], objects: [] } : undefined;
      current = { item, range: stmtRange };
      r = evalStatic(item.value, env, false);
      current = undefined;
      if (item.memo) item.memo.evals[item.index!] = rec && !rec.open ? evalMemo(item, { stmtRange, targetRanges, valueId, result: r }, rec, ctx.errors.slice(errorsBefore)) : undefined;
      rec = undefined;
    }
    const values: (EvalResult | undefined)[] = item.targets.map(() => r);
    if (item.unpack) {
      const seq = r.ok && (r.value.t === 'tuple' || r.value.t === 'list') ? r.value.items : undefined;
      item.targets.forEach((_, i) => {
        values[i] = seq && seq.length === item.targets.length ? { ok: true, value: seq[i] } : r.ok ? { ok: false, node: item.value, why: 'the value does not unpack into these names statically' } : r;
      });
    }
    if (!r.ok && (r.unbound || r.raises)) ctx.errors.push(describe(r, `the value of ${names.join(', ')} cannot be evaluated`, 'name-unresolved'));
    item.targets.forEach((t, i) => {
      const name = names[i];
      const targetRange = targetRanges[i];
      pending.set(name, (pending.get(name) ?? 1) - 1);
      const dirName = mangle(className, name);
      const v = values[i]!;
      info.ns.set(name, v.ok ? { value: v.value } : { why: v.why });
      if (name === 'TWIG') {
        info.hasTwig = true;
        cls.twigRange = stmtRange;
        bindOwn(dirName, undefined, targetRange);
        if (v.ok && v.value.t === 'str') {
          cls.twig = { value: v.value.v, range: rangeOf(ctx, item.value) };
          twigError =
            v.value.v === ''
              ? {
                  code: 'twig-empty',
                  severity: 'warning',
                  message: `${className}.TWIG is empty: figgy-lib then gives every Fig the name None (Fig.name needs a twig), so nothing can be fetched and ConfigWriter writes null names`,
                  range: rangeOf(ctx, item.value),
                }
              : undefined;
        } else {
          cls.twig = undefined;
          twigError =
            !v.ok && (v.unbound || v.raises)
              ? undefined
              : {
                  code: 'twig-unresolved',
                  severity: 'warning',
                  message: `${className}.TWIG cannot be resolved statically: ${v.ok ? `it is a ${v.value.t}, not a str` : v.why}. Parameter paths of this class are unknown; use a string literal or an f-string over module constants.`,
                  range: rangeOf(ctx, item.value),
                };
        }
        return;
      }
      if (!isStoreFigName(dirName) || isDunder(name)) {
        bindOwn(dirName, undefined, targetRange);
        return;
      }
      if (v.ok && v.value.t === 'fig') {
        const obj = st.figObjects.get(v.value.id);
        let decl: FigDecl | undefined;
        if (obj && i === 0 && item.value.type === 'call' && obj.objectId === valueId) decl = obj;
        else if (obj) decl = aliasOf(obj, name, targetRange, item.value, stmtRange, ctx);
        if (decl) {
          if (dirName !== name) decl.dirName = dirName;
          cls.figs.push(decl);
          bindOwn(dirName, decl, targetRange);
        }
        return;
      }
      bindOwn(dirName, undefined, targetRange);
      if (!v.ok && (v.unbound || v.raises)) return; // reported above: the import fails there
      cls.nonFigs.push({ attr: name, range: stmtRange, valueText: excerpt(item.value.text), what: v.ok ? 'value' : 'unknown' });
    });
  }
  if (twigError) ctx.errors.push(twigError);

  // What the bases contribute: TWIG and Figs this class does not bind itself.
  const order = mro(info);
  if (!info.hasTwig) {
    const from = order.slice(1).find((c) => c.hasTwig);
    if (from) {
      cls.twigFrom = from.cls.className;
      if (from.cls.twig) cls.twig = from.cls.twig;
      if (from.cls.twigRange) cls.twigRange = from.cls.twigRange;
    }
  }
  const seen = new Set(info.own.keys());
  const inherited: FigDecl[] = [];
  for (const c of order.slice(1)) {
    for (const [dirName, fig] of c.own) {
      if (seen.has(dirName)) continue;
      seen.add(dirName);
      if (fig && isStoreFigName(dirName)) inherited.push(fig);
    }
  }
  if (inherited.length) cls.inherited = inherited;
  st.stores.set(className, info);
  bindClassName();
  st.classes.push(cls);
}

/** What evaluating one item's value did besides its result. */
interface Recording {
  /** It looked a name, a module or a class attribute up: its result depends on what came before. */
  open: boolean;
  /** The calls it evaluated, with the Fig kind each resolved to (undefined: not a Fig constructor). */
  calls: { node: SNode; kind: FigKind | undefined }[];
  /** The Fig objects it created, as figDecl returned them. */
  objects: FigDecl[];
}

/**
 * An item's evaluation that looked nothing up (`X = AppFig("x", default="d")`, most of a config.py):
 * the same again while the statement is reused (same text), starts at the same place (positions,
 * Fig object ids) and its calls resolve to the same kinds (the imports may change).
 */
interface EvalMemo extends Evaluated {
  /** Where its value starts (tree-sitter row and column); `stmtRange.start` is where the statement starts. */
  row: number;
  column: number;
  calls: Recording['calls'];
  objects: FigDecl[];
  /** Problems the evaluation reported (of Figs created inside an expression). */
  errors: ParseError[];
}

/** One item's evaluation with the ranges and Fig object id of its place (they follow from its text and start). */
interface Evaluated {
  result: EvalResult;
  stmtRange: Range;
  targetRanges: Range[];
  /** objectIdOf(item.value) when the value is a call. */
  valueId: string | undefined;
}

function evalMemo(item: Item, done: Evaluated, rec: Recording, errors: ParseError[]): EvalMemo {
  const p = item.value.startPosition;
  return { ...done, row: p.row, column: p.column, calls: rec.calls, objects: rec.objects, errors };
}

/** The names an item binds, read once per item. */
function namesOf(item: Item): string[] {
  return (item.names ??= item.targets.map((t) => t.text));
}

/** The remembered evaluation of `item` when it still holds (see EvalMemo), replayed into `st` and `ctx`. */
function reuseEval(ctx: Ctx, st: ModuleState, item: Item): EvalMemo | undefined {
  const m = item.memo?.evals[item.index!] as EvalMemo | undefined;
  if (!m) return undefined;
  const start = ctx.li.positionAt(item.start);
  if (m.stmtRange.start.line !== start.line || m.stmtRange.start.character !== start.character) return undefined;
  const p = item.value.startPosition;
  if (m.row !== p.row || m.column !== p.column) return undefined;
  for (const c of m.calls) if (figKindOf(st, c.node) !== c.kind) return undefined;
  for (const o of m.objects) if (!st.figObjects.has(o.objectId)) st.figObjects.set(o.objectId, { ...o });
  for (const e of m.errors) ctx.errors.push(e);
  if (ctx.mirrors) ctx.mirrors.evalsReused++;
  return m;
}

/** A second attribute bound to an existing Fig object (`DEFAULT = PRIMARY`). */
function aliasOf(obj: FigDecl, attr: string, attrRange: Range, value: SNode, stmtRange: Range, ctx: Ctx): FigDecl {
  const valueRange = rangeOf(ctx, value);
  const d: FigDecl = {
    attr,
    attrRange,
    kind: obj.kind,
    objectId: obj.objectId,
    alias: excerpt(value.text, 80),
    range: stmtRange,
    callRange: valueRange,
    argErrors: [],
  };
  if (obj.name) d.name = { value: obj.name.value, range: valueRange };
  if (obj.source) d.source = obj.source;
  if (obj.default) d.default = obj.default;
  if (obj.pattern) d.pattern = obj.pattern;
  if (obj.uriEncode) d.uriEncode = obj.uriEncode;
  return d;
}

export function figKindOf(st: ModuleState, call: SNode): FigKind | undefined {
  if (call.type !== 'call') return undefined;
  const sym = resolveSymbol(st, call.childForFieldName('function'));
  return sym && sym !== 'FigStore' ? sym : undefined;
}

/**
 * After every class is read: a class without TWIG that others derive from is a base (never created
 * itself); any other class with Figs but no TWIG fails when figgy-lib creates it.
 */
export function finishClasses(ctx: Ctx, st: ModuleState, syntaxErrors: boolean): void {
  const derivedFrom = new Set(st.classes.flatMap((c) => c.bases ?? []));
  for (const cls of st.classes) {
    const hasTwig = cls.twigRange !== undefined;
    if (!hasTwig && derivedFrom.has(cls.className)) {
      cls.abstract = true;
      continue;
    }
    const live = cls.figs.some((f) => !f.shadowedBy) || (cls.inherited?.length ?? 0) > 0;
    // With a syntax error the TWIG may be in the broken part; the syntax error is the one problem then.
    if (!hasTwig && live && !syntaxErrors) {
      ctx.errors.push({
        code: 'twig-missing',
        severity: 'error',
        message: `${cls.className} declares Figs but no TWIG: figgy-lib's FigStore sets each Fig's twig from self.TWIG when the store is created, and raises AttributeError: '${cls.className}' object has no attribute 'TWIG'`,
        range: cls.nameRange,
      });
    }
  }
}
