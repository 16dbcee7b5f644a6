// One Fig constructor call (`AppFig("a")`, `MergeFig(name=..., pattern=[...])`) → FigDecl: arguments
// bound as Python binds them (TypeErrors reported), name/source evaluated statically, and a MergeFig
// pattern read into literals and Fig objects.
import type { FigDecl, FigKind, Located, MergePart, ParseError, Range } from './types';
import { evalStatic, excerpt, type EvalEnv, type EvalResult } from './pythonEval';
import type { PyValue } from './pythonValue';
import type { SNode } from './pythonNode';
import { nodes, rangeOf, type Ctx } from './pythonCtx';
import { sharedName } from './text';
import { NO_ERRORS } from './pythonClassMemo';

/** Constructor parameters in Python's order (spec §1). */
const PARAMS: Record<FigKind, readonly string[]> = {
  AppFig: ['name', 'default'],
  SharedFig: ['name'],
  ReplicatedFig: ['name', 'source'],
  MergeFig: ['name', 'pattern', 'uri_encode'],
};
const REQUIRED: Record<FigKind, readonly string[]> = {
  AppFig: ['name'],
  SharedFig: ['name'],
  ReplicatedFig: ['name', 'source'],
  MergeFig: ['name', 'pattern'],
};

export type Failed = Extract<EvalResult, { ok: false }>;

export interface FigCallEnv {
  ctx: Ctx;
  env: EvalEnv;
  /** Turns a failed evaluation into a ParseError (NameError and TypeError are errors; the rest warnings). */
  describe(r: Failed, what: string, code: string): ParseError;
}

/** One id per constructor call: where the call starts (row:column, the same for LF and CRLF text). */
export function objectIdOf(call: SNode): string {
  return sharedName(`fig@${call.startPosition.row}:${call.startPosition.column}`);
}

/** A FigDecl for the Fig constructor `call` bound to attribute `attr` (whose text the caller may already hold). */
export function figDecl(fc: FigCallEnv, kind: FigKind, call: SNode, attr: SNode, stmtRange: Range, attrText?: string): FigDecl {
  const { ctx } = fc;
  const callRange = rangeOf(ctx, call);
  const decl: FigDecl = { attr: sharedName(attrText ?? attr.text), attrRange: rangeOf(ctx, attr), kind, objectId: objectIdOf(call), range: stmtRange, callRange, argErrors: [] };
  const err = (code: string, severity: ParseError['severity'], message: string, range: Range) => decl.argErrors.push({ code, severity, message, range });

  const args = call.childForFieldName('arguments');
  const positional: SNode[] = [];
  const keywords: { name: string; node: SNode; value: SNode }[] = [];
  let splat = false;
  if (args && args.type === 'argument_list') {
    for (const a of nodes(args.namedChildren)) {
      const type = a.type;
      if (type === 'comment') continue;
      if (type === 'keyword_argument') {
        const n = a.childForFieldName('name');
        const v = a.childForFieldName('value');
        if (n && v) keywords.push({ name: n.text, node: a, value: v });
      } else if (type === 'list_splat' || type === 'dictionary_splat') {
        splat = true;
        err('arg-unpacked', 'warning', `${kind}() arguments passed with * or ** cannot be checked statically`, rangeOf(ctx, a));
      } else if (type !== 'ERROR') {
        positional.push(a);
      }
    }
  } else if (args) {
    splat = true;
  }

  const params = PARAMS[kind];
  const bound = new Map<string, SNode>();
  positional.forEach((p, i) => {
    if (i < params.length) bound.set(params[i], p);
    else err('arg-too-many', 'error', `${kind}() takes at most ${params.length} argument${params.length > 1 ? 's' : ''} (${positional.length} given); Python raises TypeError at import`, rangeOf(ctx, p));
  });
  const seenKw = new Set<string>();
  const nameKw = keywords.find((k) => k.name === 'name');
  const sourceKw = keywords.find((k) => k.name === 'source');
  for (const k of keywords) {
    if (!params.includes(k.name)) {
      err('arg-unknown-keyword', 'error', `${kind}() got an unexpected keyword argument '${k.name}'; Python raises TypeError at import`, rangeOf(ctx, k.node));
      continue;
    }
    if (seenKw.has(k.name)) {
      err('arg-repeated', 'error', `${kind}(): keyword argument '${k.name}' repeated; Python raises SyntaxError`, rangeOf(ctx, k.node));
      continue;
    }
    seenKw.add(k.name);
    if (bound.has(k.name)) {
      if (kind === 'ReplicatedFig' && k.name === 'name') continue; // handled below
      err('arg-repeated', 'error', `${kind}() got multiple values for argument '${k.name}'; Python raises TypeError at import`, rangeOf(ctx, k.node));
      continue;
    }
    bound.set(k.name, k.value);
  }
  if (kind === 'ReplicatedFig' && nameKw && positional.length > 0) {
    // The demo's `ReplicatedFig("/shared/...", name="...")`: the author meant the positional value as the source.
    err(
      'replicated-name-twice',
      'error',
      `ReplicatedFig() got multiple values for argument 'name': the positional order is (name, source), so the first positional argument is the name; Python raises TypeError at import`,
      callRange,
    );
    const first = positional[0];
    bound.set('name', nameKw.value);
    if (!sourceKw && positional.length < 2) bound.set('source', first);
  }
  if (!splat && !call.hasError) {
    for (const p of REQUIRED[kind]) {
      if (!bound.has(p)) err('arg-missing', 'error', `${kind}() is missing the required argument '${p}'; Python raises TypeError at import`, callRange);
    }
  }

  const nameNode = bound.get('name');
  if (nameNode) decl.name = located(fc, nameNode, `${kind} name`, 'name-unresolved', decl, true);
  if (kind === 'ReplicatedFig') {
    const src = bound.get('source');
    if (src) decl.source = located(fc, src, 'ReplicatedFig source', 'source-unresolved', decl, false);
  }
  if (kind === 'AppFig') {
    const d = bound.get('default');
    if (d) {
      const dv = defaultValue(d, fc.env);
      if (dv !== undefined) decl.default = { value: dv, range: rangeOf(ctx, d) };
      else {
        // The default is never used, but Python still evaluates it at import.
        const r = evalStatic(d, fc.env, false);
        if (!r.ok && (r.unbound || r.raises)) decl.argErrors.push(fc.describe(r, 'AppFig default cannot be evaluated', 'name-unresolved'));
      }
    }
  }
  if (kind === 'MergeFig') {
    const p = bound.get('pattern');
    if (p) readPattern(fc, p, decl);
    const u = bound.get('uri_encode');
    if (u) {
      const parts = sequenceParts(fc, u, decl, 'uri_encode');
      if (parts) decl.uriEncode = parts;
    }
    const bad = uriEncodeNonFig(decl);
    if (bad) decl.argErrors.push(bad);
  }
  // Most Figs have no argument errors: the shared frozen empty list, not one per declaration.
  if (decl.argErrors.length === 0) decl.argErrors = NO_ERRORS as ParseError[];
  return decl;
}

/**
 * `p in uri_encode` for a Fig p of the pattern compares p with each element in turn (Fig.__eq__ reads
 * `.name`), so a str or other non-Fig element reached before p's own entry raises AttributeError
 * when figgy-lib renders the pattern.
 */
function uriEncodeNonFig(decl: FigDecl): ParseError | undefined {
  const uri = decl.uriEncode ?? [];
  const pattern = decl.pattern?.form === 'list' ? decl.pattern.parts : [];
  for (const p of pattern) {
    if (p.kind !== 'attr' || !p.objectId) continue;
    for (const u of uri) {
      if (u.kind === 'attr') {
        if (u.objectId === p.objectId) break;
        continue;
      }
      if (u.kind === 'literal') {
        return {
          code: 'uri-encode-not-fig',
          severity: 'error',
          message: `uri_encode holds a str, not a Fig: figgy-lib compares ${p.attr} with it (Fig.__eq__) and raises AttributeError: 'str' object has no attribute 'name'. List the Figs themselves, e.g. uri_encode=[${p.attr}]`,
          range: u.range,
        };
      }
      break; // unknown: cannot tell
    }
  }
  return undefined;
}

/** A name or source: a str, or a reported problem (a non-str name fails in figgy-lib's startswith). */
function located(fc: FigCallEnv, n: SNode, what: string, code: string, decl: FigDecl, nameMustBeStr: boolean): Located | undefined {
  const r = evalStatic(n, fc.env, false);
  if (r.ok && r.value.t === 'str') return { value: sharedName(r.value.v), range: rangeOf(fc.ctx, n) };
  if (r.ok) {
    decl.argErrors.push({
      code,
      severity: nameMustBeStr ? 'error' : 'warning',
      message: nameMustBeStr
        ? `${what} is a ${r.value.t === 'none' ? 'None' : r.value.t}, not a str: figgy-lib fails when it computes the full name (str.startswith)`
        : `${what} is not a str; figgy.json would not hold a path here`,
      range: rangeOf(fc.ctx, n),
    });
    return undefined;
  }
  decl.argErrors.push(fc.describe(r, `${what} cannot be resolved statically`, code));
  return undefined;
}

function defaultValue(n: SNode, env: EvalEnv): string | null | undefined {
  if (n.type === 'none') return null;
  if (n.type === 'true' || n.type === 'false' || n.type === 'integer' || n.type === 'float') return n.text;
  const r = evalStatic(n, env, true);
  return r.ok && r.value.t === 'str' ? r.value.v : undefined;
}

/** The name a Fig reference is written with: `USER`, or `USER` of `Base.USER`. */
function refName(n: SNode): string {
  if (n.type === 'attribute') return n.childForFieldName('attribute')?.text ?? n.text;
  return n.text;
}

function partOf(value: PyValue, n: SNode, range: Range, text: string): MergePart {
  if (value.t === 'str') return { kind: 'literal', value: value.v, range };
  if (value.t === 'fig') return { kind: 'attr', attr: text, range, objectId: value.id };
  return { kind: 'unknown', text: excerpt(n.text, 80), range };
}

/**
 * The elements of a list/tuple argument (pattern, uri_encode): each element evaluated on its own so
 * each keeps its range; any other expression is evaluated as a whole. Undefined for None.
 */
function sequenceParts(fc: FigCallEnv, node: SNode, decl: FigDecl, what: string): MergePart[] | undefined {
  const { ctx } = fc;
  if (node.type === 'list' || node.type === 'tuple') {
    const parts: MergePart[] = [];
    for (const el of nodes(node.namedChildren)) {
      if (el.type === 'comment') continue;
      const range = rangeOf(ctx, el);
      const r = evalStatic(el, fc.env, false);
      if (r.ok) parts.push(partOf(r.value, el, range, refName(el)));
      else {
        if (r.unbound || r.raises) decl.argErrors.push(fc.describe(r, `a ${what} element cannot be evaluated`, 'pattern-unresolved'));
        parts.push({ kind: 'unknown', text: excerpt(el.text, 80), range });
      }
    }
    return parts;
  }
  const r = evalStatic(node, fc.env, false);
  const range = rangeOf(ctx, node);
  if (!r.ok) {
    decl.argErrors.push(fc.describe(r, `MergeFig ${what} cannot be resolved statically`, 'pattern-unresolved'));
    return [{ kind: 'unknown', text: excerpt(node.text, 80), range }];
  }
  const v = r.value;
  if (v.t === 'none') return undefined;
  if (v.t === 'list' || v.t === 'tuple') return v.items.map((i) => partOf(i, node, range, excerpt(node.text, 80)));
  return [{ kind: 'unknown', text: excerpt(node.text, 80), range }];
}

function readPattern(fc: FigCallEnv, p: SNode, decl: FigDecl): void {
  const range = rangeOf(fc.ctx, p);
  if (p.type !== 'list' && p.type !== 'tuple') {
    const r = evalStatic(p, fc.env, false);
    if (r.ok && r.value.t === 'str') {
      decl.pattern = { form: 'string', value: r.value.v, range };
      return;
    }
    if (r.ok && r.value.t === 'none') {
      decl.argErrors.push({
        code: 'pattern-none',
        severity: 'error',
        message: "MergeFig pattern is None: figgy-lib iterates the pattern when it renders the merge (ConfigWriter), and raises TypeError: 'NoneType' object is not iterable",
        range,
      });
      return;
    }
    if (!r.ok) {
      decl.argErrors.push(fc.describe(r, 'MergeFig pattern cannot be resolved statically', 'pattern-unresolved'));
      return;
    }
  }
  const parts = sequenceParts(fc, p, decl, 'pattern');
  if (parts) decl.pattern = { form: 'list', parts, range };
}
