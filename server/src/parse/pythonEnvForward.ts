// Helpers built on the module's own helpers: `def get_secret(name): return get_env(name + "_SECRET")`
// makes get_secret a helper reading `<name>_SECRET`, once get_env is known to read its parameter.
// Functions record such calls while they are walked (Forward); this resolves them at the end of
// the module, a few rounds deep.
import type { Walker } from './pythonEnvCtx';
import type { FnInfo } from './pythonEnvScope';

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
