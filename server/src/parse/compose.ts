// docker compose files → ComposeModel: per service its build context, image, env_file entries and
// `environment` entries (map or `KEY=value` list, anchors and `<<` merge keys followed), and every
// `${VAR}` / `$VAR` interpolation in the file, as compose-go's template package reads them
// (`$$` is a literal `$`; `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `${VAR?e}`, `${VAR:+a}`, `${VAR+a}`,
// nested in defaults too). Pure, never throws, bounded work.
import type { Pair } from 'yaml';
import type { ComposeEnvEntry, ComposeModel, ComposeService } from './envTypes';
import type { Range } from './types';
import { deref, isAlias, isMap, isPair, isScalar, isSeq, keyString, MAX_YAML_DEPTH, nodeOffsets, nodeRange, scalarString, type YamlFile, type YNode } from './yaml';
import { budgetError, capStructureErrors, describeNode as kind, isNullish, locatedScalar as located, pairGet, pairRange, pairsOf, structureError as err, yamlCtx, type YamlCtx } from './envYaml';

/** Interpolation syntax errors reported per file at most. */
export const MAX_INTERPOLATION_ERRORS = 10;
/** Scalars scanned for interpolations at most (a compose file has hundreds). */
const MAX_SCANNED_NODES = 200_000;

/** Reads a compose file. Never throws. */
export function parseCompose(file: YamlFile, uri: string): ComposeModel {
  const model: ComposeModel = { uri, kind: 'compose', services: [], interpolations: [], errors: [...file.errors] };
  const ctx = file.docs[0] ? yamlCtx(file, file.docs[0]) : undefined;
  try {
    if (ctx) readServices(model, ctx);
    scanInterpolations(model, file);
  } catch (e) {
    model.errors.push(err('parse-internal', `internal error while reading the compose file: ${e instanceof Error ? e.name : typeof e}`, nodeRange(file, undefined)));
  }
  const over = ctx && budgetError(ctx);
  if (over) model.errors.push(over);
  model.errors = capStructureErrors(model.errors);
  return model;
}

function readServices(model: ComposeModel, ctx: YamlCtx): void {
  const { f, doc } = ctx;
  const root = deref(doc, doc.contents);
  if (isNullish(root)) return;
  if (!isMap(root)) {
    if (!f.templated) model.errors.push(err('compose-not-a-map', `a compose file holds a map of keys, not ${kind(root)}`, nodeRange(f, root)));
    return;
  }
  const services = pairGet(ctx, root, 'services');
  let pairs: Pair[];
  if (services) {
    const sv = deref(doc, services.value);
    if (isNullish(sv)) return;
    if (!isMap(sv)) {
      model.errors.push(err('compose-services', `"services" must be a map of service names, not ${kind(sv)}`, nodeRange(f, sv)));
      return;
    }
    pairs = pairsOf(ctx, sv);
  } else {
    // Compose file format 1: services at the top level (each with an image or a build).
    pairs = pairsOf(ctx, root).filter((p) => {
      const v = deref(doc, p.value);
      return isMap(v) && (pairGet(ctx, v, 'image') !== undefined || pairGet(ctx, v, 'build') !== undefined);
    });
  }
  for (const p of pairs) {
    const name = keyString(p);
    if (name === undefined) continue;
    const body = deref(doc, p.value);
    const svc: ComposeService = { name, nameRange: nodeRange(f, p.key as YNode), range: pairRange(f, p), envFiles: [], environment: [] };
    model.services.push(svc);
    if (isNullish(body) || isReset(body)) continue;
    if (!isMap(body)) {
      if (!f.templated) model.errors.push(err('compose-service', `service "${name}" must be a map, not ${kind(body)}`, nodeRange(f, body)));
      continue;
    }
    readService(model, ctx, svc, body);
  }
}

function readService(model: ComposeModel, ctx: YamlCtx, svc: ComposeService, body: unknown): void {
  const { f, doc } = ctx;
  const build = pairGet(ctx, body, 'build');
  if (build) {
    const bv = deref(doc, build.value);
    const l = located(f, bv);
    if (l) svc.buildContext = l;
    else if (isMap(bv)) {
      const context = pairGet(ctx, bv, 'context');
      const c = context ? located(f, deref(doc, context.value)) : undefined;
      // `build:` with only a dockerfile (or args) builds from the compose file's folder.
      svc.buildContext = c ?? { value: '.', range: nodeRange(f, build.key as YNode) };
      const dockerfile = pairGet(ctx, bv, 'dockerfile');
      const df = dockerfile ? located(f, deref(doc, dockerfile.value)) : undefined;
      if (df) svc.dockerfile = df;
      const target = pairGet(ctx, bv, 'target');
      const tl = target ? located(f, deref(doc, target.value)) : undefined;
      if (tl) svc.target = tl;
    }
  }
  const image = pairGet(ctx, body, 'image');
  if (image) svc.image = located(f, deref(doc, image.value));

  const ef = pairGet(ctx, body, 'env_file');
  if (ef) {
    const v = deref(doc, ef.value);
    const one = located(f, v);
    if (one) svc.envFiles.push({ ...one, required: true });
    else if (isSeq(v)) {
      for (const item of v.items) {
        const it = deref(doc, item);
        const s = located(f, it);
        if (s) {
          svc.envFiles.push({ ...s, required: true });
          continue;
        }
        if (isMap(it)) {
          const path = pairGet(ctx, it, 'path');
          const pl = path ? located(f, deref(doc, path.value)) : undefined;
          if (!pl) {
            model.errors.push(err('compose-env-file', `an env_file entry of service "${svc.name}" needs a "path"`, nodeRange(f, it)));
            continue;
          }
          const req = pairGet(ctx, it, 'required');
          const rv = req ? deref(doc, req.value) : undefined;
          svc.envFiles.push({ ...pl, required: !(isScalar(rv) && (rv.value === false || rv.value === 'false')) });
          continue;
        }
        model.errors.push(err('compose-env-file', `an env_file entry must be a path or {path, required}, not ${kind(it)}`, nodeRange(f, it)));
      }
    } else if (!isNullish(v)) {
      model.errors.push(err('compose-env-file', `"env_file" must be a path or a list of paths, not ${kind(v)}`, nodeRange(f, v)));
    }
  }

  const env = pairGet(ctx, body, 'environment');
  if (env) {
    const v = deref(doc, env.value);
    if (isMap(v)) {
      for (const p of pairsOf(ctx, v)) {
        const key = keyString(p);
        if (key === undefined) continue;
        const val = deref(doc, p.value);
        const e: ComposeEnvEntry = { key, keyRange: nodeRange(f, p.key as YNode) };
        if (isNullish(val)) {
          e.value = null;
          if (val) e.valueRange = nodeRange(f, val);
        } else if (isScalar(val)) {
          e.value = typeof val.value === 'string' ? val.value : scalarString(val);
          e.valueRange = nodeRange(f, val);
        } else if (!isTemplateExpression(f, val)) {
          model.errors.push(err('compose-environment', `the value of ${key} must be a string, a number or a boolean, not ${kind(val)}`, nodeRange(f, val)));
        }
        svc.environment.push(e);
      }
    } else if (isSeq(v)) {
      for (const item of v.items) {
        const it = deref(doc, item);
        if (isScalar(it) && typeof it.value === 'string') {
          const e = listEntry(f, it);
          if (e) svc.environment.push(e);
        } else if (!isNullish(it)) {
          model.errors.push(err('compose-environment', `an environment list entry must be "KEY=value" or "KEY", not ${kind(it)}`, nodeRange(f, it)));
        }
      }
    } else if (!isNullish(v) && !isReset(v)) {
      model.errors.push(err('compose-environment', `"environment" must be a map or a list of KEY=value, not ${kind(v)}`, nodeRange(f, v)));
    }
  }
}

/**
 * In a templated file, a value written as `{{ OPENEDX_LMS_UWSGI_WORKERS }}` (tutor's compose
 * templates) reads as a YAML flow map: the template fills it in, its value is not known here.
 */
function isTemplateExpression(f: YamlFile, node: unknown): boolean {
  if (!f.templated) return false;
  const off = nodeOffsets(node as YNode);
  return !!off && /^\s*\{[{%]/.test(f.text.slice(off[0], Math.min(off[1], off[0] + 16)));
}

/** `- KEY=value`, `- KEY` (passed from the shell), with ranges inside the scalar when its source allows. */
function listEntry(f: YamlFile, node: YNode & { value: unknown; type?: string }): ComposeEnvEntry | undefined {
  const s = node.value as string;
  if (s === '') return undefined;
  const eq = s.indexOf('=');
  const key = eq < 0 ? s : s.slice(0, eq);
  const whole = nodeRange(f, node);
  const off = nodeOffsets(node);
  let keyRange = whole;
  let valueRange: Range | undefined;
  if (off) {
    const raw = f.text.slice(off[0], off[1]);
    const q = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    // Exact ranges when the source spells the key as the value does (no escapes before the `=`).
    if (raw.startsWith(key, q) && (eq < 0 || raw[q + key.length] === '=')) {
      keyRange = { start: f.index.positionAt(off[0] + q), end: f.index.positionAt(off[0] + q + key.length) };
      if (eq >= 0) {
        const vs = off[0] + q + key.length + 1;
        valueRange = { start: f.index.positionAt(vs), end: f.index.positionAt(Math.max(vs, off[1] - q)) };
      }
    } else if (eq >= 0) valueRange = whole;
  }
  const e: ComposeEnvEntry = { key, keyRange, value: eq < 0 ? null : s.slice(eq + 1) };
  if (valueRange) e.valueRange = valueRange;
  return e;
}

// ---------------------------------------------------------------------------------------------
// Interpolation

type Interp = ComposeModel['interpolations'][number];

function isNameStart(c: number): boolean {
  return c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** Walks every value scalar of every document (not keys: compose does not interpolate them). */
function scanInterpolations(model: ComposeModel, f: YamlFile): void {
  const st = { errors: 0, budget: MAX_SCANNED_NODES };
  const visit = (node: unknown, depth: number): void => {
    if (depth > MAX_YAML_DEPTH || st.budget-- <= 0 || isAlias(node) || node === null || node === undefined) return;
    if (isScalar(node)) {
      if (typeof node.value !== 'string') return;
      const off = nodeOffsets(node as YNode);
      if (!off) return;
      const raw = f.text.slice(off[0], off[1]);
      if (raw.includes('$')) scanText(model, f, raw, off[0], st);
      return;
    }
    if (isMap(node)) {
      for (const p of node.items) if (isPair(p)) visit(p.value, depth + 1);
      return;
    }
    if (isSeq(node)) for (const i of node.items) visit(i, depth + 1);
  };
  for (const d of f.docs) visit(d.contents, 0);
  if (st.errors > MAX_INTERPOLATION_ERRORS) {
    const last = [...model.errors].reverse().find((e) => e.code === 'compose-interpolation');
    if (last) last.message += ` (and ${st.errors - MAX_INTERPOLATION_ERRORS} more)`;
  }
}

/** Offset of the `}` closing the `{` at `open`, counting nested braces as compose-go does; -1 if none. */
function closingBrace(s: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 125 /* } */) {
      depth--;
      if (depth === 0) return i;
    }
    if (c === 123 /* { */) {
      depth++;
      i++;
    }
  }
  return -1;
}

/** Offset of the last `}` in `s[from, to)` before a line break; -1 if none (Go's `.` stops at `\n`). */
function lastBraceOnLine(s: string, from: number, to: number): number {
  const nl = s.indexOf('\n', from);
  const end = nl < 0 || nl > to ? to : nl;
  const last = s.lastIndexOf('}', end - 1);
  return last >= from ? last : -1;
}

/**
 * Finds interpolations in `s[from, to)` (source text at `base`). compose-go's pattern:
 * `$$` | `$name` | `${name}` | `${name<op>rest}` with op one of `:-` `-` `:?` `?` `:+` `+`;
 * `${` followed by anything else is an invalid template (an error when compose loads the file).
 */
function scanText(model: ComposeModel, f: YamlFile, s: string, base: number, st: { errors: number }, from = 0, to = s.length, depth = 0): void {
  const pos = (i: number) => f.index.positionAt(base + i);
  for (let i = from; i < to - 1; i++) {
    if (s.charCodeAt(i) !== 36 /* $ */) continue;
    const c = s.charCodeAt(i + 1);
    if (c === 36) {
      i++;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < to && isNameChar(s.charCodeAt(j))) j++;
      model.interpolations.push({ name: s.slice(i + 1, j), range: { start: pos(i + 1), end: pos(j) }, hasDefault: false, required: false });
      i = j - 1;
      continue;
    }
    if (c !== 123 /* { */) continue; // `$` then anything else stays a literal `$`
    let close = closingBrace(s, i + 1, to);
    let j = i + 2;
    while (j < to && isNameChar(s.charCodeAt(j))) j++;
    const nameOk = j > i + 2 && isNameStart(s.charCodeAt(i + 2));
    const next = s[j];
    const opLen = next === ':' && '-?+'.includes(s[j + 1] ?? '') ? 2 : next !== undefined && '-?+'.includes(next) ? 1 : 0;
    // The brace count skips the character after each `{`, so `${DICT:-{}}` has no closing brace by
    // it; compose-go then keeps its pattern's match, whose default runs greedily to the last `}` on
    // the line: the value is `{}` (mathesar's compose files).
    if (close < 0 && nameOk && opLen) close = lastBraceOnLine(s, j + opLen, to);
    if (close < 0 || !nameOk || (j !== close && opLen === 0)) {
      st.errors++;
      if (st.errors <= MAX_INTERPOLATION_ERRORS) {
        const end = close < 0 ? Math.min(to, i + 2) : close + 1;
        model.errors.push(err('compose-interpolation', 'invalid interpolation: compose expects ${NAME}, ${NAME:-default} or ${NAME:?error}; write $$ for a literal $', { start: pos(i), end: pos(end) }));
      }
      if (close < 0) return;
      i = close;
      continue;
    }
    const op = opLen ? s.slice(j, j + opLen) : '';
    const interp: Interp = {
      name: s.slice(i + 2, j),
      range: { start: pos(i + 2), end: pos(j) },
      hasDefault: op.endsWith('-') || op.endsWith('+'),
      required: op.endsWith('?'),
    };
    model.interpolations.push(interp);
    // Defaults and alternatives may hold interpolations themselves (evaluated only when used).
    if (opLen && depth < 8) scanText(model, f, s, base, st, j + opLen, close, depth + 1);
    i = close;
  }
}

/** Compose's merge tag `!reset` (in an override file): the value is cleared, whatever is written after it. */
function isReset(node: unknown): boolean {
  return isScalar(node) && (node as { tag?: string }).tag === '!reset';
}
