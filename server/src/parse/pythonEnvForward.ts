// A function's parameters, and helpers built on the module's own helpers: `def get_secret(name):
// return get_env(name + "_SECRET")` makes get_secret a helper reading `<name>_SECRET`, once get_env
// is known to read its parameter. Functions record such calls while they are walked (Forward); this
// resolves them at the end of the module, a few rounds deep, and puts the facts in source order.
import type { Range } from './types';
import type { SNode } from './pythonNode';
import type { Walker } from './pythonEnvCtx';
import { kids } from './pythonEnvNames';
import { visit } from './pythonEnvReads';
import type { FnInfo, Scope } from './pythonEnvScope';

const MAX_FORWARD_ROUNDS = 5;

/** `def get_secret(name): return get_env(name + "_SECRET")`: helpers built on the module's own helpers. */
export function resolveForwards(w: Walker, fns: readonly FnInfo[], moduleFns: ReadonlyMap<string, FnInfo>): void {
  for (let round = 0; round < MAX_FORWARD_ROUNDS; round++) {
    let changed = false;
    for (const fn of fns) {
      for (const f of fn.forwards) {
        const target = moduleFns.get(f.callee);
        if (!target?.helper || target === fn) continue;
        for (const r of target.helper.reads) {
          if (r.param !== f.argIndex) continue;
          const entry = {
            param: f.param,
            paramName: f.paramName,
            prefix: f.prefix + r.prefix,
            suffix: r.suffix + f.suffix,
            via: r.via,
            required: r.required,
            parse: f.parse !== 'unknown' ? f.parse : r.parse,
            ...(r.defaultParam === f.argIndex + 1 && f.defaultParam !== undefined ? { defaultParam: f.defaultParam } : {}),
          };
          if (!fn.helper) {
            fn.helper = { name: fn.name, qualifiedName: fn.qualifiedName, range: fn.nameRange, reads: [] };
            w.push('helpers', fn.helper);
          }
          if (fn.helper.reads.some((x) => JSON.stringify(x) === JSON.stringify(entry))) continue;
          fn.helper.reads.push(entry);
          changed = true;
        }
      }
    }
    if (!changed) return;
  }
}

/** Parameters by call-site position (`self` / `cls` of methods not counted); defaults are read at def time. */
export function bindParams(w: Walker, outer: Scope, fscope: Scope, params: SNode, isMethod: boolean): void {
  let index = 0;
  let first = true;
  for (const p of kids(params)) {
    let name: string | undefined;
    let positional = true;
    if (p.type === 'identifier') name = p.text;
    else if (p.type === 'typed_parameter') name = kids(p).find((k) => k.type === 'identifier')?.text;
    else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      name = p.childForFieldName('name')?.text;
      const v = p.childForFieldName('value');
      if (v) visit(w, outer, v);
    } else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
      positional = false;
      name = kids(p).find((k) => k.type === 'identifier')?.text;
    } else continue;
    if (!name) continue;
    if (first && isMethod) {
      first = false;
      fscope.bindings.set(name, { k: 'other' });
      continue;
    }
    first = false;
    if (!positional) {
      fscope.bindings.set(name, { k: 'other' });
      continue;
    }
    fscope.bindings.set(name, { k: 'param', index, name });
    fscope.fn?.params.set(name, index);
    index++;
  }
}

function byRange(a: { range: Range }, b: { range: Range }): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** The end of a module: its constants, helpers built on its helpers, and every list in source order. */
export function finishFacts(w: Walker, fns: readonly FnInfo[], moduleFns: ReadonlyMap<string, FnInfo>): void {
  const f = w.facts;
  for (const [name, c] of w.consts) f.consts.push({ name, value: c.value, range: c.range });
  resolveForwards(w, fns, moduleFns);
  f.consts.sort(byRange);
  f.reads.sort(byRange);
  f.helpers.sort(byRange);
  f.dynamicReads.sort((a, b) => byRange({ range: a }, { range: b }));
  f.dynamicWrites.sort((a, b) => byRange({ range: a }, { range: b }));
}
