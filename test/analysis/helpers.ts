// Hand-built parser models for rule tests: the parsers' output shape, written directly, so rule tests
// do not depend on parser details. Fixture-based tests through the real parsers live beside these.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FailureKind } from '../../server/src/store/types';
import type {
  FigDecl,
  FigKind,
  FiggyJsonModel,
  FigStoreClass,
  Located,
  MergePart,
  ParseError,
  PythonConfigModel,
  Range,
  SecretsJsonModel,
} from '../../server/src/parse/types';
import type { EnvState, Finding, AnalysisSettings, RuleContext } from '../../server/src/analysis/types';
import type { ParameterMeta, StoreFailure } from '../../server/src/store/types';
import type { WorkspaceModel } from '../../server/src/model/types';

export function rng(line: number, start: number, end: number, endLine = line): Range {
  return { start: { line, character: start }, end: { line: endLine, character: end } };
}

/** A located string on `line` starting at column `col`, range covering its quotes. */
export function loc(value: string, line: number, col = 0): Located {
  return { value, range: rng(line, col, col + value.length + 2) };
}

export interface FigOpts {
  line: number;
  source?: string;
  pattern?: (string | { attr: string; objectId?: string } | { unknown: string })[] | string;
  uriEncode?: string[];
  argErrors?: ParseError[];
  noName?: boolean;
}

export function fig(attr: string, kind: FigKind, name: string, o: FigOpts): FigDecl {
  const line = o.line;
  let col = attr.length + 3 + kind.length + 1;
  const d: FigDecl = {
    attr,
    attrRange: rng(line, 4, 4 + attr.length),
    kind,
    objectId: `${attr}@${line}`,
    name: o.noName ? undefined : loc(name, line, col),
    range: rng(line, 4, 80),
    callRange: rng(line, 4 + attr.length + 3, 80),
    argErrors: o.argErrors ?? [],
  };
  col += name.length + 4;
  if (o.source !== undefined) {
    d.source = loc(o.source, line, col);
    col += o.source.length + 4;
  }
  if (typeof o.pattern === 'string') {
    d.pattern = { form: 'string', value: o.pattern, range: rng(line, col, col + o.pattern.length + 2) };
  } else if (o.pattern) {
    let c = col + 1;
    const parts: MergePart[] = o.pattern.map((p) => {
      const start = c;
      if (typeof p === 'string') {
        c += p.length + 4;
        return { kind: 'literal', value: p, range: rng(line, start, start + p.length + 2) };
      }
      if ('attr' in p) {
        c += p.attr.length + 2;
        return { kind: 'attr', attr: p.attr, range: rng(line, start, start + p.attr.length), ...(p.objectId ? { objectId: p.objectId } : {}) };
      }
      c += p.unknown.length + 2;
      return { kind: 'unknown', text: p.unknown, range: rng(line, start, start + p.unknown.length) };
    });
    d.pattern = { form: 'list', parts, range: rng(line, col, c) };
  }
  if (o.uriEncode) d.uriEncode = o.uriEncode.map((a, i) => ({ kind: 'attr', attr: a, range: rng(line + 1, i * 10, i * 10 + a.length) }));
  return d;
}

export function cls(className: string, twig: string | undefined, figs: FigDecl[], nonFigs: FigStoreClass['nonFigs'] = []): FigStoreClass {
  return {
    className,
    nameRange: rng(1, 6, 6 + className.length),
    range: rng(1, 0, 0, 100),
    twig: twig === undefined ? undefined : loc(twig, 2, 16),
    twigRange: rng(2, 4, 40),
    figs,
    nonFigs,
  };
}

export function py(uri: string, classes: FigStoreClass[], extra: Partial<PythonConfigModel> = {}): PythonConfigModel {
  return { uri, importsFiggy: true, classes, lazyLoadCalls: [], errors: [], ...extra };
}

export function fj(uri: string, m: Partial<FiggyJsonModel> = {}): FiggyJsonModel {
  return { uri, appFigs: [], sharedFigs: [], replicateFigs: [], mergedFigs: [], imports: [], legacyKeys: [], errors: [], ...m };
}

/** figgy.json merged value list from strings; `${...}` strings become refs. */
export function mergedList(line: number, items: string[]): { form: 'list'; parts: MergePart[]; range: Range } {
  const parts: MergePart[] = items.map((s, i) => {
    const m = /^\$\{([^}:]+)(:uri)?\}$/.exec(s);
    const range = rng(line + 1 + i, 8, 10 + s.length);
    return m ? { kind: 'ref', path: m[1], uri: Boolean(m[2]), range } : { kind: 'literal', value: s, range };
  });
  return { form: 'list', parts, range: rng(line, 50, 5, line + items.length + 1) };
}

export function secrets(uri: string, entries: [string, string][], startLine = 2): SecretsJsonModel {
  const vars = new Set<string>();
  for (const [s, d] of entries) for (const m of `${s}${d}`.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) vars.add(m[1]);
  return {
    uri,
    replicateFigs: entries.map(([s, d], i) => ({ source: loc(s, startLine + i, 4), dest: loc(d, startLine + i, s.length + 8) })),
    variables: [...vars],
    errors: [],
  };
}

export function meta(name: string, lastModified = '2024-01-01T00:00:00.000Z'): ParameterMeta {
  return { name, type: 'String', version: 1, lastModified };
}

export interface StateOpts {
  params?: (string | ParameterMeta)[];
  listed?: string[];
  missing?: string[];
  failures?: { prefix: string; failure: StoreFailure }[];
  broken?: string[];
}

export function state(env: string, o: StateOpts = {}): EnvState {
  return {
    env,
    params: new Map((o.params ?? []).map((p) => (typeof p === 'string' ? meta(p) : p)).map((m) => [m.name, m])),
    listedPrefixes: o.listed ?? [],
    knownMissing: new Set(o.missing ?? []),
    failures: o.failures ?? [],
    brokenMerges: new Set(o.broken ?? []),
  };
}

export function ctx(workspace: WorkspaceModel, states: EnvState[] = [], settings: Partial<AnalysisSettings> = {}): RuleContext {
  return {
    workspace,
    envStates: new Map(states.map((s) => [s.env, s])),
    settings: { envs: states.map((s) => s.env), severities: {}, ...settings },
  };
}

/** Compact view of findings for assertions: code@line:col-col. */
export function brief(fs: Finding[]): string[] {
  return fs.map((f) => `${f.code}@${f.uri.split('/').pop()}:${f.range.start.line}:${f.range.start.character}-${f.range.end.character}`);
}

export const DENIED: StoreFailure = { kind: 'access-denied', message: 'AccessDenied: role dev may not read /dba', hint: 'use the dba role' };

// --- The demo service of the spec, by hand -------------------------------------------------------------
export const PY_URI = 'file:///repo/svc/src/config.py';
export const FJ_URI = 'file:///repo/svc/figgy/figgy.json';
export const SEC_URI = 'file:///repo/svc/figgy/figgy-secrets.json';
export const TWIG = '/app/demo-service';

export function demoClass(over: { figs?: FigDecl[]; twig?: string } = {}): FigStoreClass {
  return cls(
    'Figs',
    over.twig ?? TWIG,
    over.figs ?? [
      fig('SECRET_ADMIRER', 'AppFig', 'secret-admirer', { line: 10 }),
      fig('SQL_USER', 'SharedFig', 'replicated/sql/user', { line: 11 }),
      fig('SQL_PASSWORD', 'SharedFig', 'replicated/sql/password', { line: 12 }),
      fig('SQL_HOSTNAME', 'ReplicatedFig', 'replicated/sql/hostname', { line: 13, source: '/shared/resources/dbs/fig-db/dns' }),
      fig('SQL_CONN', 'MergeFig', 'replicated/sql-connection', {
        line: 14,
        pattern: ['mysql://', { attr: 'SQL_USER' }, ':', { attr: 'SQL_PASSWORD' }, '@', { attr: 'SQL_HOSTNAME' }],
        uriEncode: ['SQL_USER', 'SQL_PASSWORD'],
      }),
    ],
  );
}

export function demoJson(over: Partial<FiggyJsonModel> = {}): FiggyJsonModel {
  return fj(FJ_URI, {
    twig: loc(TWIG, 1, 12),
    appFigs: [loc(`${TWIG}/secret-admirer`, 2, 16)],
    sharedFigs: [loc(`${TWIG}/replicated/sql/user`, 3, 19), loc(`${TWIG}/replicated/sql/password`, 4, 19)],
    replicateFigs: [{ source: loc('/shared/resources/dbs/fig-db/dns', 6, 8), dest: loc(`${TWIG}/replicated/sql/hostname`, 6, 44) }],
    mergedFigs: [
      {
        dest: loc(`${TWIG}/replicated/sql-connection`, 8, 8),
        value: mergedList(8, [
          'mysql://',
          `\${${TWIG}/replicated/sql/user:uri}`,
          ':',
          `\${${TWIG}/replicated/sql/password:uri}`,
          '@',
          `\${${TWIG}/replicated/sql/hostname}`,
        ]),
      },
    ],
    ...over,
  });
}

export function demoSecrets(): SecretsJsonModel {
  return secrets(SEC_URI, [
    ['/dba/secrets/mysql/${SERVICE_NAME}/user', '/app/${SERVICE_NAME}/replicated/sql/user'],
    ['/dba/secrets/mysql/${SERVICE_NAME}/password', '/app/${SERVICE_NAME}/replicated/sql/password'],
  ]);
}

export const DEMO_PATHS = [
  `${TWIG}/secret-admirer`,
  `${TWIG}/replicated/sql/user`,
  `${TWIG}/replicated/sql/password`,
  `${TWIG}/replicated/sql/hostname`,
  `${TWIG}/replicated/sql-connection`,
];

/** Every file under `dir`, recursively. */
export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Env states of a rule fixture (`state.json`: per env params, listed prefixes, missing, broken, failures). */
export function loadState(file: string): EnvState[] {
  if (!existsSync(file)) return [];
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { params?: string[]; listed?: string[]; missing?: string[]; broken?: string[]; failures?: { prefix: string; kind: FailureKind; message: string }[] }>;
  return Object.entries(raw).map(([env, s]) => ({
    env,
    params: new Map((s.params ?? []).map((p) => [p, meta(p)])),
    listedPrefixes: s.listed ?? [],
    knownMissing: new Set(s.missing ?? []),
    failures: (s.failures ?? []).map((f) => ({ prefix: f.prefix, failure: { kind: f.kind, message: f.message } })),
    brokenMerges: new Set(s.broken ?? []),
  }));
}
