// FigStore subclasses: the class body read statement by statement as Python runs it (names bound so
// far, then module names, then builtins), Figs and what else the class binds, TWIG, and what a
// subclass inherits from FigStore classes of the same file (Python's method resolution order).
import type { FigDecl, FigStoreClass, NonFigAttr, ParseError, Range } from './types';
import { evalStatic, excerpt, type ConstEntry, type EvalEnv, type EvalResult } from './pythonEval';
import type { SNode } from './pythonNode';
import { figDecl, objectIdOf, type Failed, type FigCallEnv } from './pythonFigCall';
import { classifyUnbound, figKindOf, resolveSymbol } from './pythonScope';
import { isDunder, isStoreFigName, mangle, nodes, rangeOf, same, spanRange, type Ctx, type ModuleState, type StoreInfo } from './pythonCtx';
import { isDef, type ClassItem, type DefItem, type Item } from './pythonClassItems';
import { evalMemo, namesOf, NO_ERRORS, reuseEval, type ClassSplicing, type ClassPlan, type ClassTrace, type Evaluated, type Evaluation, type ItemTrace, type Recording } from './pythonClassMemo';

export type { ClassPlan, ClassTrace };

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

/**
 * Reads one class statement; `getItems` is called only for a FigStore class, and not when
 * `splicing.plan` holds (see ClassPlan). With `splicing`, a FigStore class's read is returned item
 * by item, for the next read to splice into.
 */
export function buildClass(ctx: Ctx, st: ModuleState, head: ClassHead, getItems: () => ClassItem[], splicing?: ClassSplicing): ClassTrace | undefined {
  const className = head.nameNode.text;
  const { figStore, bases } = storeBases(st, head.supers);
  const bindClassName = () => {
    st.bindings.set(className, { kind: 'other' });
    st.consts.set(className, { why: `${className} is a class` });
  };
  if (!figStore && bases.length === 0) {
    st.stores.delete(className);
    bindClassName();
    return undefined;
  }
  st.storeClassNames.add(className);
  const dc = dataclassError(ctx, head);
  if (dc) ctx.errors.push(dc);
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
  const lineOf = (o: number) => ctx.li.positionAt(o).line;
  let current: { item: Item; range: Range } | undefined;

  // While an item's value is evaluated: whether it looked anything up, and what it called and created.
  let rec: Recording | undefined;
  /** The evaluation looks `name` up (undefined: something it cannot name). */
  const read = (name: string | undefined): void => {
    if (!rec) return;
    rec.open = true;
    if (name === undefined) rec.reads = undefined;
    else rec.reads?.add(name);
  };
  const env: EvalEnv = {
    lookup: (name) => {
      read(name);
      return info.ns.get(name) ?? st.consts.get(name);
    },
    isModule: (name) => {
      read(name);
      return st.bindings.get(name)?.kind === 'module';
    },
    call: (node) => figCall(node),
    attribute: (node) => {
      const obj = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute');
      read(obj?.type === 'identifier' ? obj.text : undefined);
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
      const decl = current
        ? figDecl(fc, kind, node, current.item.targets[0] ?? node, current.range, current.item.targets.length ? namesOf(current.item)[0] : undefined)
        : figDecl(fc, kind, node, node, rangeOf(ctx, node));
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
  const readDef = (item: DefItem): void => {
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
  };

  /** An item's value, evaluated or from its memo; `open`: it looked something up (or may have). */
  const evaluate = (item: Item): Evaluation => {
    // A reused evaluation brings the ranges it was made with: the same text at the same place.
    const memo = reuseEval(ctx, st, item);
    if (memo) return memo;
    const stmtRange = spanRange(ctx, item.start, item.end);
    const targetRanges = item.targets.map((t) => rangeOf(ctx, t));
    const valueId = item.value.type === 'call' ? objectIdOf(item.value) : undefined;
    const errorsBefore = ctx.errors.length;
    const recording: Recording | undefined = item.memo ? { open: false, reads: new Set(), calls: [], objects: [] } : undefined;
    rec = recording;
    current = { item, range: stmtRange };
    const result = evalStatic(item.value, env, false);
    current = undefined;
    rec = undefined;
    const open = !recording || recording.open;
    const done: Evaluation = { stmtRange, targetRanges, valueId, result, open, reads: open && recording?.reads ? [...recording.reads] : undefined, created: recording?.objects };
    if (item.memo) item.memo.evals[item.index!] = recording && !recording.open ? evalMemo(item, done, recording, ctx.errors.slice(errorsBefore)) : undefined;
    return done;
  };

  /** Binds an evaluated item's targets in the class namespace, as Python does. */
  const bindItem = (item: Item, e: Evaluated): void => {
    const names = namesOf(item);
    const { result: r, stmtRange, targetRanges, valueId } = e;
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
        if (obj && i === 0 && obj.objectId === valueId) decl = obj;
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
  };

  const traced: ItemTrace[] = [];
  const plan = splicing?.plan;
  const spliced = plan !== undefined && splice(plan);
  if (!spliced) {
    const items = getItems();
    for (const it of items) {
      if (isDef(it)) pending.set(it.name.text, (pending.get(it.name.text) ?? 0) + 1);
      else for (const n of namesOf(it)) pending.set(n, (pending.get(n) ?? 0) + 1);
    }
    for (const item of items) {
      const errorsBefore = ctx.errors.length;
      const figsBefore = cls.figs.length;
      const nonFigsBefore = cls.nonFigs.length;
      let open = false;
      let reads: string[] | undefined;
      if (isDef(item)) readDef(item);
      else {
        const e = evaluate(item);
        open = e.open === true;
        reads = e.reads;
        bindItem(item, e);
      }
      if (!splicing) continue;
      traced.push({
        names: isDef(item) ? [item.name.text] : namesOf(item),
        open,
        reads,
        figs: cls.figs.length - figsBefore,
        nonFigs: cls.nonFigs.length - nonFigsBefore,
        errors: ctx.errors.length > errorsBefore ? ctx.errors.slice(errorsBefore) : NO_ERRORS,
      });
    }
  }

  /**
   * The class as the previous read left it with one item read again: possible when that item looks
   * nothing up (checked here) and nothing else reads what it binds (checked by the planner).
   */
  function splice(p: ClassPlan): boolean {
    const { prev, index, item } = p;
    const old = prev.items[index];
    const name = old.names[0];
    const errorsBefore = ctx.errors.length;
    const e = evaluate(item);
    if (e.open) {
      ctx.errors.length = errorsBefore;
      for (const o of e.created ?? []) st.figObjects.delete(o.objectId);
      return false;
    }
    // The previous read's namespace, taken over: nothing reads that read again.
    info.ns = prev.info.ns;
    info.own = prev.info.own;
    info.ns.delete(name);
    info.own.delete(name);
    bindItem(item, e);
    // The name it binds now (spliceItem allows a renamed one that nothing reads).
    const mine: ItemTrace = { names: [namesOf(item)[0]], open: false, figs: cls.figs.length, nonFigs: cls.nonFigs.length, errors: ctx.errors.slice(errorsBefore) };
    ctx.errors.length = errorsBefore;
    let figsBefore = 0;
    let nonFigsBefore = 0;
    for (let i = 0; i < index; i++) {
      figsBefore += prev.items[i].figs;
      nonFigsBefore += prev.items[i].nonFigs;
    }
    cls.figs = [...prev.cls.figs.slice(0, figsBefore), ...cls.figs, ...prev.cls.figs.slice(figsBefore + old.figs)];
    cls.nonFigs = [...prev.cls.nonFigs.slice(0, nonFigsBefore), ...cls.nonFigs, ...prev.cls.nonFigs.slice(nonFigsBefore + old.nonFigs)];
    for (const t of prev.items) traced.push(t);
    traced[index] = mine;
    for (const t of traced) if (t.errors.length) ctx.errors.push(...t.errors);
    info.hasTwig = prev.info.hasTwig;
    // The same keys as a full read: a TWIG without a static value leaves `twig` present and undefined.
    if ('twig' in prev.cls) cls.twig = prev.cls.twig;
    if (prev.cls.twigRange) cls.twigRange = prev.cls.twigRange;
    twigError = prev.twigError;
    if (ctx.mirrors) ctx.mirrors.evalsReused += prev.items.length - 1;
    return true;
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
  const seen = new Set(order.length > 1 ? info.own.keys() : []);
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
  return splicing ? { items: traced, info, cls, twigError, spliced } : undefined;
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
    argErrors: NO_ERRORS as ParseError[],
  };
  if (obj.name) d.name = { value: obj.name.value, range: valueRange };
  if (obj.source) d.source = obj.source;
  if (obj.default) d.default = obj.default;
  if (obj.pattern) d.pattern = obj.pattern;
  if (obj.uriEncode) d.uriEncode = obj.uriEncode;
  return d;
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
