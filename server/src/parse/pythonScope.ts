// Names in a config.py: what imports bind (figgy's classes under every import form figgy-lib
// supports), which names the module binds anywhere (so a name used before its binding, or never
// bound, is the NameError Python raises at import), and Python's builtins.
import type { Node } from 'web-tree-sitter';
import type { FigKind } from './types';
import type { ConstEntry } from './pythonEval';
import type { SNode } from './pythonNode';
import { nodes, type Binding, type ModuleState, type Symbol } from './pythonCtx';

export const FIG_KINDS: readonly FigKind[] = ['AppFig', 'SharedFig', 'ReplicatedFig', 'MergeFig'];

/** Dotted paths of figgy-lib's classes (figgy/__init__.py re-exports them from the package root). */
const SYMBOL_PATHS = new Map<string, Symbol>([
  ...FIG_KINDS.flatMap((k): [string, Symbol][] => [
    [`figgy.figs.${k}`, k],
    [`figgy.${k}`, k],
    [`figgy.writer.${k}`, k],
  ]),
  ['figgy.fig_store.FigStore', 'FigStore'],
  ['figgy.FigStore', 'FigStore'],
  ['figgy.writer.FigStore', 'FigStore'],
]);

const str = (v: string): ConstEntry => ({ value: { t: 'str', v } });
const opaque = (why: string): ConstEntry => ({ why });

/**
 * What `from <module> import *` binds for figgy-lib 1.0.0's modules (none defines __all__, so every
 * public name: its classes, the modules and constants it imported). Names that are not figgy classes
 * get their value when it is a constant, else an opaque entry.
 */
const STAR_EXPORTS: Record<string, Record<string, Symbol | ConstEntry>> = {
  figgy: {
    FigStore: 'FigStore', AppFig: 'AppFig', SharedFig: 'SharedFig', ReplicatedFig: 'ReplicatedFig', MergeFig: 'MergeFig',
    FigService: opaque('a figgy-lib class'), ConfigWriter: opaque('a figgy-lib class'),
    fig_store: opaque('a module'), fig_svc: opaque('a module'), figs: opaque('a module'), utils: opaque('a module'), writer: opaque('a module'),
  },
  'figgy.figs': {
    AppFig: 'AppFig', SharedFig: 'SharedFig', ReplicatedFig: 'ReplicatedFig', MergeFig: 'MergeFig',
    Fig: opaque('a figgy-lib class'), FigService: opaque('a figgy-lib class'), ConfigurationMissingException: opaque('an exception class'),
    FIG_MISSING: str('FIG NOT SET'), ABC: opaque('a class'), List: opaque('a typing name'), Optional: opaque('a typing name'),
    Union: opaque('a typing name'), log: opaque('a logger'), logging: opaque('a module'), os: opaque('a module'),
  },
  'figgy.fig_store': {
    FigStore: 'FigStore', ENV_LOCAL_RUN: str('LOCAL_RUN'), FigService: opaque('a figgy-lib class'), List: opaque('a typing name'),
    dataclass: opaque('a function'), log: opaque('a logger'), logging: opaque('a module'),
  },
  'figgy.writer': {
    ConfigWriter: opaque('a figgy-lib class'), FigStore: 'FigStore', AppFig: 'AppFig', SharedFig: 'SharedFig', ReplicatedFig: 'ReplicatedFig',
    MergeFig: 'MergeFig', TWIG: str('twig'), APP_FIGS: str('app_figs'), REPLICATE_FIGS: str('replicate_figs'), SHARED_FIGS: str('shared_figs'),
    MERGED_FIGS: str('merged_figs'), OrderedDict: opaque('a class'), json: opaque('a module'),
  },
  'figgy.fig_svc': { FigService: opaque('a figgy-lib class'), ClientError: opaque('an exception class'), Optional: opaque('a typing name'), Utils: opaque('a class') },
};

/** Modules whose attributes are figgy's modules (import figgy.figs as f → `f.AppFig`). */
const FIGGY_MODULES = new Set(['figgy', 'figgy.figs', 'figgy.fig_store', 'figgy.writer', 'figgy.fig_svc', 'figgy.utils']);

/** Python 3's builtins: a name among these is bound even when the module never binds it. */
export const BUILTINS = new Set(
  (
    'ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError BrokenPipeError BufferError ' +
    'BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError ' +
    'DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception ExceptionGroup False FileExistsError ' +
    'FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError IndexError ' +
    'InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError None ' +
    'NotADirectoryError NotImplemented NotImplementedError OSError OverflowError PendingDeprecationWarning PermissionError ' +
    'ProcessLookupError RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration StopIteration ' +
    'SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError UnboundLocalError UnicodeDecodeError ' +
    'UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError ' +
    '__build_class__ __debug__ __doc__ __import__ __loader__ __name__ __package__ __spec__ __file__ __cached__ __builtins__ ' +
    '__annotations__ __path__ abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile ' +
    'complex copyright credits delattr dict dir divmod enumerate eval exec exit filter float format frozenset getattr globals ' +
    'hasattr hash help hex id input int isinstance issubclass iter len license list locals map max memoryview min next object oct ' +
    'open ord pow print property quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple type ' +
    'vars zip'
  ).split(' '),
);

export function isFiggyModule(path: string): boolean {
  return path === 'figgy' || path.startsWith('figgy.');
}

function bindName(st: ModuleState, name: string, b: Binding, entry: ConstEntry): void {
  st.bindings.set(name, b);
  st.consts.set(name, entry);
}

function dotted(n: SNode | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'dotted_name') return nodes(n.namedChildren).map((c) => c.text).join('.');
  if (n.type === 'identifier') return n.text;
  return undefined;
}

export function bindingForPath(path: string): Binding {
  const sym = SYMBOL_PATHS.get(path);
  if (sym) return { kind: 'symbol', symbol: sym };
  return { kind: 'module', path };
}

/** Binds what an import statement binds, in the module's state. */
export function handleImport(st: ModuleState, n: Node): void {
  if (n.type === 'import_statement') {
    for (const name of nodes(n.childrenForFieldName('name'))) {
      if (name.type === 'aliased_import') {
        const path = dotted(name.childForFieldName('name'));
        const alias = name.childForFieldName('alias')?.text;
        if (!path || !alias) continue;
        if (isFiggyModule(path)) st.importsFiggy = true;
        bindName(st, alias, bindingForPath(path), opaque(`${alias} is a module`));
      } else {
        const path = dotted(name);
        if (!path) continue;
        if (isFiggyModule(path)) st.importsFiggy = true;
        // `import a.b.c` binds `a` to the top-level package.
        const head = path.split('.')[0];
        bindName(st, head, { kind: 'module', path: head }, opaque(`${head} is a module`));
      }
    }
    return;
  }
  const modNode = n.childForFieldName('module_name');
  const relative = modNode?.type === 'relative_import';
  const mod = modNode?.type === 'dotted_name' ? dotted(modNode) : undefined;
  const figgy = mod !== undefined && isFiggyModule(mod);
  if (figgy) st.importsFiggy = true;
  if (nodes(n.children).some((c) => c.type === 'wildcard_import')) {
    const exports = mod !== undefined ? STAR_EXPORTS[mod] : undefined;
    if (!exports) {
      st.unknownStar = true;
      return;
    }
    for (const [name, what] of Object.entries(exports)) {
      if (typeof what === 'string') bindName(st, name, { kind: 'symbol', symbol: what }, opaque(`${name} is a figgy-lib class`));
      else bindName(st, name, FIGGY_MODULES.has(`${mod}.${name}`) ? { kind: 'module', path: `${mod}.${name}` } : { kind: 'other' }, what);
    }
    return;
  }
  for (const name of nodes(n.childrenForFieldName('name'))) {
    const imported = dotted(name.type === 'aliased_import' ? name.childForFieldName('name') : name);
    const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : imported?.split('.')[0];
    if (!imported || !local) continue;
    const from = relative ? 'a relative import' : mod ?? 'an import';
    if (!figgy) {
      bindName(st, local, { kind: 'other' }, opaque(`${local} is imported from ${from}`));
      continue;
    }
    const b = bindingForPath(`${mod}.${imported}`);
    const star = STAR_EXPORTS[mod!]?.[imported];
    bindName(st, local, b, star && typeof star !== 'string' ? star : opaque(`${local} is imported from ${mod}`));
  }
}

/** What a callee / base-class expression refers to, when it is one of figgy's classes. */
export function resolveSymbol(st: ModuleState, n: SNode | null | undefined): Symbol | undefined {
  if (!n) return undefined;
  const type = n.type;
  if (type === 'identifier') {
    const b = st.bindings.get(n.text);
    if (b) return b.kind === 'symbol' ? b.symbol : undefined;
    // Unbound canonical name (import not visible): accept, it cannot be a different local class.
    return canonical(n.text);
  }
  if (type === 'attribute') {
    const parts: string[] = [];
    let cur: SNode | null = n;
    let curType: string | undefined = type;
    while (cur && curType === 'attribute') {
      const attr: SNode | null = cur.childForFieldName('attribute');
      if (!attr) return undefined;
      parts.unshift(attr.text);
      cur = cur.childForFieldName('object');
      curType = cur?.type;
    }
    if (!cur || curType !== 'identifier') return undefined;
    const b = st.bindings.get(cur.text);
    if (!b) {
      const known = bindingForPath([cur.text, ...parts].join('.'));
      if (known.kind === 'symbol') return known.symbol;
      // e.g. `fig_store.FigStore` whose import is not visible.
      return canonical(parts[parts.length - 1]);
    }
    if (b.kind !== 'module') return undefined;
    const known = bindingForPath([b.path, ...parts].join('.'));
    return known.kind === 'symbol' ? known.symbol : undefined;
  }
  return undefined;
}

function canonical(name: string): Symbol | undefined {
  if (name === 'FigStore') return 'FigStore';
  return (FIG_KINDS as readonly string[]).includes(name) ? (name as FigKind) : undefined;
}

/** Identifier targets of an assignment's left side (`a`, `a, b`, `(a, b)`, `[a, *b]`). */
export function flattenTargets(left: SNode): SNode[] {
  const type = left.type;
  if (type === 'identifier') return [left];
  return TARGET_LISTS.has(type) ? nodes(left.namedChildren).flatMap(flattenTargets) : [];
}

/** Left sides whose named children are targets in turn. */
const TARGET_LISTS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'as_pattern_target', 'list_splat_pattern']);

/**
 * Every name bound at module level (also inside if/try/with/for/while/match blocks, not inside
 * functions or classes), with the offset of its first binding. Used to tell a NameError (never
 * bound, or bound only after its use) from a name whose value is only known at run time.
 */
export function collectModuleNames(root: Node): Map<string, number> {
  const out = new Map<string, number>();
  const add = (n: SNode | null | undefined, at = n?.startIndex ?? 0): void => {
    if (!n) return;
    for (const t of flattenTargets(n)) if (!out.has(t.text)) out.set(t.text, at);
  };
  const visit = (n: Node): void => {
    switch (n.type) {
      case 'import_statement':
      case 'import_from_statement':
        for (const c of nodes(n.childrenForFieldName('name'))) {
          if (c.type === 'aliased_import') add(c.childForFieldName('alias'), n.startIndex);
          else if (c.type === 'dotted_name') add(c.namedChildren[0], n.startIndex);
        }
        return;
      case 'function_definition':
      case 'class_definition':
        add(n.childForFieldName('name'), n.startIndex);
        return;
      case 'decorated_definition': {
        const def = n.childForFieldName('definition');
        if (def) visit(def);
        return;
      }
      case 'assignment':
      case 'augmented_assignment': {
        // The value runs first: `A = A + 1` needs A bound before.
        const right = n.childForFieldName('right');
        if (right) visit(right);
        add(n.childForFieldName('left'), n.endIndex);
        return;
      }
      case 'for_statement':
        add(n.childForFieldName('left'), n.startIndex);
        break;
      case 'as_pattern':
        add(n.childForFieldName('alias')?.namedChildren[0] ?? n.childForFieldName('alias'), n.startIndex);
        break;
      case 'named_expression':
        add(n.childForFieldName('name'), n.endIndex);
        break;
      case 'except_clause': {
        const kids = nodes(n.namedChildren);
        const asIdx = nodes(n.children).findIndex((c) => c.type === 'as');
        if (asIdx >= 0) add(nodes(n.children)[asIdx + 1], n.startIndex);
        for (const k of kids) visit(k);
        return;
      }
      case 'lambda':
        return;
      case 'expression_statement':
        // Statements bind through their assignments; a walrus deeper in an expression is rare enough
        // to be looked for only where one is written.
        for (const c of nodes(n.namedChildren)) {
          if (c.type === 'assignment' || c.type === 'augmented_assignment') visit(c);
          else if (c.text.includes(':=')) visit(c);
        }
        return;
    }
    for (const c of nodes(n.namedChildren)) visit(c);
  };
  for (const c of nodes(root.namedChildren)) visit(c);
  return out;
}

/** Why an unbound name fails: Python's NameError (an error) or a value Orchard cannot see (a warning). */
export interface Unbound {
  severity: 'error' | 'warning';
  code: 'name-undefined' | 'name-before-definition' | 'name-unresolved';
  message: string;
}

/**
 * Classifies a name the evaluator found unbound at `offset`. `laterInClass`: class-body names bound
 * after this point (a class body runs top to bottom); `where`: "class Figs" or "module level".
 */
export function classifyUnbound(
  st: ModuleState,
  name: string,
  offset: number,
  where: string,
  lineOf: (offset: number) => number,
  laterInClass?: Set<string>,
  inherited?: Map<string, string>,
): Unbound {
  if (laterInClass?.has(name)) {
    return {
      severity: 'error',
      code: 'name-before-definition',
      message: `${name} is used before it is defined in ${where}; Python raises NameError at import. Move this statement below ${name}.`,
    };
  }
  const base = inherited?.get(name);
  if (base) {
    return {
      severity: 'error',
      code: 'name-undefined',
      message: `${name} is an attribute of base class ${base}, not a name in the body of ${where}; Python raises NameError at import (write ${base}.${name})`,
    };
  }
  if (BUILTINS.has(name)) {
    return { severity: 'warning', code: 'name-unresolved', message: `${name} is a Python builtin, not a value Orchard evaluates` };
  }
  const at = st.moduleNames.get(name);
  if (at !== undefined && at > offset) {
    return {
      severity: 'error',
      code: 'name-undefined',
      message: `${name} is bound only later in the file (line ${lineOf(at) + 1}); ${where} runs at import before that, so Python raises NameError: name '${name}' is not defined`,
    };
  }
  if (at !== undefined || st.unknownStar) {
    return {
      severity: 'warning',
      code: 'name-unresolved',
      message: st.unknownStar && at === undefined ? `${name} may come from a \`from ... import *\`; its value is not known statically` : `${name} has no static value here`,
    };
  }
  return { severity: 'error', code: 'name-undefined', message: `${name} is not defined anywhere in this file; Python raises NameError: name '${name}' is not defined at import` };
}

export function figKindOf(st: ModuleState, call: SNode): FigKind | undefined {
  if (call.type !== 'call') return undefined;
  const sym = resolveSymbol(st, call.childForFieldName('function'));
  return sym && sym !== 'FigStore' ? sym : undefined;
}
