// A generator of config.py files from the grammar Orchard supports, each with the names and the
// figgy.json bytes figgy-lib produces for it, computed here independently of Orchard's code: every
// expression is generated together with its value, and the store is rendered with the rules of
// figgy-lib's Fig.name, FigStore.figs and ConfigWriter written out again in plain form. Strings are
// printable ASCII, so JSON.stringify(…, null, 4) is byte-identical to Python's json.dumps(…, indent=4).
// scripts/oracle/check-generator.ts runs samples through the real figgy-lib to check these expectations.
import fc from 'fast-check';

export interface Expr {
  py: string;
  value: string;
}

interface IntExpr {
  py: string;
  value: number;
}

type Kind = 'AppFig' | 'SharedFig' | 'ReplicatedFig' | 'MergeFig';

/** One Fig object (one constructor call). */
interface FigObj {
  id: number;
  kind: Kind;
  name: Expr;
  source?: string;
  /** Literal strings, or references to earlier Fig objects by id. */
  pattern?: ({ lit: Expr } | { ref: number; py: string })[];
  uri?: { ref: number; py: string }[];
}

/** A statement of a class body: `ATTR = <new Fig>` or `ATTR = <existing Fig>` (alias). */
interface Stmt {
  attr: string;
  obj: number;
  alias?: string;
}

export interface Program {
  source: string;
  /** figgy-lib's full name of each Fig attribute of the store `Figs` (dir() names). */
  names: Record<string, string>;
  /** What ConfigWriter writes for `Figs`. */
  json: string;
}

const WORD = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
const MIXED = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,5}$/);

function quote(s: string): string {
  return JSON.stringify(s); // ASCII words only: a valid Python literal too
}

/** Python-source expressions over the module constants in `env`, each with its value. */
function strExpr(env: { name: string; value: string }[], ints: { name: string; value: number }[]): fc.Arbitrary<Expr> {
  // Single quotes: an atom may sit inside an f-string's {} (double-quoted), which Python 3.11 allows only so.
  const lit = MIXED.map((w) => ({ py: `'${w}'`, value: w }));
  const ref = env.length ? fc.constantFrom(...env).map((c) => ({ py: c.name, value: c.value })) : lit;
  const atom = fc.oneof(lit, ref);
  const intAtom: fc.Arbitrary<IntExpr> = ints.length
    ? fc.oneof(fc.integer({ min: 0, max: 999 }).map((n) => ({ py: String(n), value: n })), fc.constantFrom(...ints).map((c) => ({ py: c.name, value: c.value })))
    : fc.integer({ min: 0, max: 999 }).map((n) => ({ py: String(n), value: n }));
  return fc.oneof(
    atom,
    fc.tuple(atom, atom).map(([a, b]) => ({ py: `${a.py} + "/" + ${b.py}`, value: `${a.value}/${b.value}` })),
    fc.tuple(atom, intAtom, fc.integer({ min: 1, max: 5 })).map(([a, n, w]) => ({
      py: `f"{${a.py}}-{${n.py}:0${w}d}"`,
      value: `${a.value}-${String(n.value).padStart(w, '0')}`,
    })),
    fc.tuple(atom, fc.integer({ min: 0, max: 8 })).map(([a, w]) => ({ py: `f"[{${a.py}:>${w}}]"`, value: `[${a.value.padStart(w, ' ')}]` })),
    fc.tuple(atom, atom).map(([a, b]) => ({ py: `"%s.%s" % (${a.py}, ${b.py})`, value: `${a.value}.${b.value}` })),
    fc.tuple(atom, intAtom).map(([a, n]) => ({ py: `"{}/{n:03d}".format(${a.py}, n=${n.py})`, value: `${a.value}/${String(n.value).padStart(3, '0')}` })),
    atom.map((a) => ({ py: `${a.py}.lower()`, value: a.value.toLowerCase() })),
    atom.map((a) => ({ py: `${a.py}.upper()`, value: a.value.toUpperCase() })),
    atom.map((a) => ({ py: `("  " + ${a.py} + " ").strip()`, value: a.value })),
    fc.tuple(atom, fc.constantFrom('a', '-', '_')).map(([a, ch]) => ({ py: `${a.py}.replace(${quote(ch)}, "x")`, value: a.value.split(ch).join('x') })),
    fc.tuple(atom, atom).map(([a, b]) => ({ py: `"/".join([${a.py}, ${b.py}])`, value: `${a.value}/${b.value}` })),
  );
}

/** figgy-lib's Fig.name, written out again: kept when it starts with the twig, else put under it. */
function libName(twig: string, name: string): string | null {
  if (!twig) return null;
  if (name.startsWith(twig)) return name;
  return `${twig.replace(/\/+$/, '')}/${name.replace(/^\/+/, '')}`;
}

const KINDS: Kind[] = ['AppFig', 'SharedFig', 'ReplicatedFig', 'MergeFig'];

export const programArb: fc.Arbitrary<Program> = fc
  .record({
    consts: fc.array(MIXED, { minLength: 1, maxLength: 4 }),
    ints: fc.array(fc.integer({ min: 0, max: 99 }), { maxLength: 2 }),
    unpack: fc.boolean(),
    seed: fc.integer(),
  })
  .chain(({ consts, ints, unpack }) => {
    const env = consts.map((v, i) => ({ name: `C${i}`, value: v }));
    const intEnv = ints.map((v, i) => ({ name: `N${i}`, value: v }));
    if (unpack) env.push({ name: 'U0', value: 'left' }, { name: 'U1', value: 'right' });
    const e = strExpr(env, intEnv);
    const service = WORD;
    const twigShape = fc.constantFrom('plain', 'slash', 'noleading', 'fstring');
    const nameShape = fc.constantFrom('relative', 'leading', 'double', 'under', 'nested');
    const figSpec = fc.record({
      kind: fc.constantFrom(...KINDS),
      shape: nameShape,
      name: e,
      shared: fc.nat(3),
      pattern: fc.array(fc.oneof(e.map((x) => ({ lit: x })), fc.nat(6).map((k) => ({ back: k }))), { minLength: 1, maxLength: 5 }),
      uri: fc.array(fc.nat(6), { maxLength: 2 }),
      alias: fc.boolean(),
    });
    return fc.record({
      service,
      twigShape,
      figs: fc.array(figSpec, { minLength: 1, maxLength: 7 }),
      inherit: fc.constantFrom('none', 'base-twig', 'sub-twig'),
      split: fc.nat(3),
      override: fc.boolean(),
      moduleFig: fc.boolean(),
    }).map((p) => build(env, intEnv, unpack, p));
  });

interface Plan {
  service: string;
  twigShape: string;
  figs: { kind: Kind; shape: string; name: Expr; shared: number; pattern: ({ lit: Expr } | { back: number })[]; uri: number[]; alias: boolean }[];
  inherit: string;
  split: number;
  override: boolean;
  moduleFig: boolean;
}

function build(env: { name: string; value: string }[], ints: { name: string; value: number }[], unpack: boolean, p: Plan): Program {
  const lines = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', ''];
  for (const c of env) if (!c.name.startsWith('U')) lines.push(`${c.name} = ${quote(c.value)}`);
  for (const c of ints) lines.push(`${c.name} = ${c.value}`);
  if (unpack) lines.push('U0, U1 = "left", "right"');
  lines.push(`SERVICE = ${quote(p.service)}`);

  let twigPy: string;
  let twig: string;
  switch (p.twigShape) {
    case 'slash':
      twigPy = `"/app/" + SERVICE + "/"`;
      twig = `/app/${p.service}/`;
      break;
    case 'noleading':
      twigPy = `"app/%s" % SERVICE`;
      twig = `app/${p.service}`;
      break;
    case 'fstring':
      twigPy = `f"/app/{SERVICE}"`;
      twig = `/app/${p.service}`;
      break;
    default:
      twigPy = `"/app/" + SERVICE`;
      twig = `/app/${p.service}`;
  }

  const objs: FigObj[] = [];
  const stmts: Stmt[] = [];
  const sources = ['/shared/db/host', '/shared/db/port', '/shared/cache/url', '/shared/db/host'];
  let moduleFigId: number | undefined;
  if (p.moduleFig) {
    moduleFigId = objs.length;
    objs.push({ id: moduleFigId, kind: 'SharedFig', name: { py: '"module/fig"', value: 'module/fig' } });
    lines.push('MODULE_FIG = SharedFig("module/fig")');
  }
  p.figs.forEach((f, i) => {
    const attr = `F${i}`;
    if (f.alias && stmts.length) {
      const target = stmts[f.shared % stmts.length];
      stmts.push({ attr, obj: target.obj, alias: target.attr });
      return;
    }
    let name: Expr;
    switch (f.shape) {
      case 'leading':
        name = { py: `"/" + ${f.name.py}`, value: `/${f.name.value}` };
        break;
      case 'double':
        name = { py: `"//" + ${f.name.py}`, value: `//${f.name.value}` };
        break;
      case 'under':
        name = { py: quote(`${twig.replace(/\/$/, '')}/${f.name.value}`), value: `${twig.replace(/\/$/, '')}/${f.name.value}` };
        break;
      case 'nested':
        name = { py: `"sub/" + (${f.name.py})`, value: `sub/${f.name.value}` };
        break;
      default:
        name = f.name;
    }
    const obj: FigObj = { id: objs.length, kind: f.kind, name };
    if (f.kind === 'ReplicatedFig') obj.source = sources[f.shared];
    if (f.kind === 'MergeFig') {
      const earlier = [...stmts];
      obj.pattern = f.pattern.map((el) => {
        if ('lit' in el || earlier.length === 0) return { lit: 'lit' in el ? el.lit : { py: '"x"', value: 'x' } };
        if (moduleFigId !== undefined && el.back === 6) return { ref: moduleFigId, py: 'MODULE_FIG' };
        const s = earlier[el.back % earlier.length];
        return { ref: s.obj, py: s.attr };
      });
      obj.uri = f.uri.filter(() => earlier.length > 0).map((k) => {
        const s = earlier[k % earlier.length];
        return { ref: s.obj, py: s.attr };
      });
    }
    objs.push(obj);
    stmts.push({ attr, obj: obj.id });
  });

  // Inheritance: the first `split` statements go to a base class; the subclass may re-bind one of them.
  // A subclass body reaches base attributes as `Base.ATTR` (a bare name would be a NameError).
  const split = p.inherit === 'none' ? 0 : Math.min(p.split, stmts.length);
  const baseStmts = stmts.slice(0, split);
  const subStmts = stmts.slice(split);
  const baseAttrs = new Set(baseStmts.map((s) => s.attr));
  const overrides: Stmt[] = [];
  if (split > 0 && p.override && baseStmts.length) {
    const id = objs.length;
    objs.push({ id, kind: 'AppFig', name: { py: '"override"', value: 'override' } });
    overrides.push({ attr: baseStmts[0].attr, obj: id });
  }

  const render = (s: Stmt, inSub: boolean): string => {
    const ref = (a: string) => (inSub && baseAttrs.has(a) ? `Base.${a}` : a);
    if (s.alias !== undefined) return `    ${s.attr} = ${ref(s.alias)}`;
    const o = objs[s.obj];
    switch (o.kind) {
      case 'AppFig':
        return `    ${s.attr} = AppFig(${o.name.py})`;
      case 'SharedFig':
        return `    ${s.attr} = SharedFig(${o.name.py})`;
      case 'ReplicatedFig':
        return `    ${s.attr} = ReplicatedFig(${o.name.py}, ${quote(o.source!)})`;
      case 'MergeFig': {
        const pat = o.pattern!.map((x) => ('lit' in x ? x.lit.py : x.py === 'MODULE_FIG' ? x.py : ref(x.py))).join(', ');
        const uri = o.uri!.length ? `, uri_encode=[${o.uri!.map((u) => ref(u.py)).join(', ')}]` : '';
        return `    ${s.attr} = MergeFig(${o.name.py}, [${pat}]${uri})`;
      }
    }
  };
  lines.push('', '');
  if (split > 0) {
    lines.push('class Base(FigStore):');
    if (p.inherit === 'base-twig') lines.push(`    TWIG = ${twigPy}`);
    lines.push(...baseStmts.map((s) => render(s, false)), '', '');
    lines.push('class Figs(Base):');
    if (p.inherit === 'sub-twig') lines.push(`    TWIG = ${twigPy}`);
  } else {
    lines.push('class Figs(FigStore):', `    TWIG = ${twigPy}`);
  }
  lines.push(...subStmts.map((s) => render(s, true)), ...overrides.map((s) => render(s, true)));
  if (subStmts.length === 0 && overrides.length === 0) lines.push('    pass');
  lines.push('');

  // The store: dir() of Figs, the last binding of each attribute, subclass first.
  const dir = new Map<string, number>();
  for (const s of baseStmts) dir.set(s.attr, s.obj);
  for (const s of [...subStmts, ...overrides]) dir.set(s.attr, s.obj);
  const attached = new Set(dir.values());
  const nameOfObj = (id: number): string | null => (attached.has(id) ? libName(twig, objs[id].name.value) : null);
  const attrs = [...dir.keys()].sort();
  const names: Record<string, string> = {};
  const app: (string | null)[] = [];
  const shared: (string | null)[] = [];
  const repl: Record<string, string | null> = {};
  const merged: Record<string, string[]> = {};
  for (const a of attrs) {
    const o = objs[dir.get(a)!];
    const n = nameOfObj(o.id);
    if (n !== null) names[a] = n;
    if (o.kind === 'AppFig') app.push(n);
    else if (o.kind === 'SharedFig') shared.push(n);
    else if (o.kind === 'ReplicatedFig') repl[o.source!] = n;
    else {
      merged[n ?? 'null'] = o.pattern!.map((x) => {
        if ('lit' in x) return x.lit.value;
        const pn = nameOfObj(x.ref);
        const uri = o.uri!.some((u) => u.ref === x.ref || nameOfObj(u.ref) === pn);
        return `\${${pn ?? 'None'}${uri ? ':uri' : ''}}`;
      });
    }
  }
  const json = JSON.stringify({ twig, app_figs: app, replicate_figs: repl, shared_figs: shared, merged_figs: merged }, null, 4);
  return { source: lines.join('\n'), names, json };
}
