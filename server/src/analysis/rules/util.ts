// Small helpers shared by the rules. Pure.
import type { EnvState, Finding, RelatedInfo, RuleContext } from '../types';
import type { Range } from '../../parse/types';
import type { Decl } from '../../model/decls';
import type { ExpectedOrigin, Service, SourceRef } from '../../model/types';
import { sameList } from '../../model/identity';
import { fileNameOf } from '../../model/uris';

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Environments that have state, in the user's display order (then any others, sorted). */
export function orderedEnvStates(ctx: RuleContext): EnvState[] {
  const out: EnvState[] = [];
  for (const env of ctx.settings.envs) {
    const st = ctx.envStates.get(env);
    if (st) out.push(st);
  }
  const rest = [...ctx.envStates.keys()].filter((e) => !ctx.settings.envs.includes(e)).sort();
  for (const env of rest) out.push(ctx.envStates.get(env)!);
  return out;
}

/**
 * A parameter's other declarations as related information: every site after the first (where its
 * finding is), except one on the first's own line. The message is one string per file name, not one
 * per finding (tens of thousands of findings at 2,000 services).
 */
export function alsoDeclaredAt(declaredAt: readonly SourceRef[]): RelatedInfo[] {
  const [first, ...rest] = declaredAt;
  const out: RelatedInfo[] = [];
  for (const r of rest) {
    if (r.uri === first.uri && r.range.start.line === first.range.start.line) continue;
    const file = fileNameOf(r.uri);
    let message = ALSO_DECLARED.get(file);
    if (message === undefined) {
      message = `also declared here (${file})`;
      if (ALSO_DECLARED.size < 1000) ALSO_DECLARED.set(file, message);
    }
    out.push({ uri: r.uri, range: r.range, message });
  }
  return out;
}
const ALSO_DECLARED = new Map<string, string>();

/** `qa`, `qa and prod`, `dev, qa and prod`. */
export function listEnvs(envs: string[]): string {
  if (envs.length <= 1) return envs.join('');
  return `${envs.slice(0, -1).join(', ')} and ${envs[envs.length - 1]}`;
}

/** How a declaration is named in messages: `Figs.SQL_USER` or `app_figs entry`. */
export function declLabel(d: Decl, service?: Service): string {
  if (d.from === 'config.py') return `${service?.configPy?.cls.className ?? 'FigStore'}.${d.attr}`;
  return `${JSON_KEY[d.origin]} entry`;
}

export const JSON_KEY: Record<Exclude<ExpectedOrigin, 'merge-ref'>, string> = {
  app: 'app_figs',
  shared: 'shared_figs',
  replicated: 'replicate_figs',
  merged: 'merged_figs',
  'replicate-from': 'replicate_from.parameters',
};

export const PY_KIND: Record<Exclude<ExpectedOrigin, 'merge-ref' | 'replicate-from'>, string> = {
  app: 'AppFig',
  shared: 'SharedFig',
  replicated: 'ReplicatedFig',
  merged: 'MergeFig',
};

export function rangeKey(uri: string, r: Range): string {
  return `${uri}:${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;
}

/** The twig site of a service: config.py TWIG first, else figgy.json `twig`. */
export function twigSite(service: Service): { uri: string; range: Range } | undefined {
  const cls = service.configPy?.cls;
  if (cls?.twig) return { uri: service.configPy!.model.uri, range: cls.twig.range };
  if (cls?.twigRange) return { uri: service.configPy!.model.uri, range: cls.twigRange };
  const t = service.figgyJson?.twig ?? service.figgyJson?.derivedTwig;
  if (t) return { uri: t.uri ?? service.figgyJson!.uri, range: t.range };
  if (cls) return { uri: service.configPy!.model.uri, range: cls.nameRange };
  if (service.figgyJson) return { uri: service.figgyJson.uri, range: ZERO_RANGE };
  return undefined;
}

/** argErrors that mean "ReplicatedFig got `name` twice" (the parser's code for the seed's TypeError). */
export function isNameTwiceError(code: string): boolean {
  return code === 'replicated-name-twice';
}

export function makeFinding(f: Omit<Finding, 'severity'> & { severity?: Finding['severity'] }, severity: Finding['severity']): Finding {
  return { ...f, severity: f.severity ?? severity };
}

/** The twig set of the last call, kept while the twigs are the same: its identity says "unchanged". */
let lastTwigs: { list: string[]; set: ReadonlySet<string> } = { list: [], set: new Set() };

/** Every service's twig, as a set that is the very same object while the twigs do not change. */
export function serviceTwigs(services: readonly { twig?: string }[]): ReadonlySet<string> {
  const list: string[] = [];
  for (const s of services) if (s.twig) list.push(s.twig);
  if (sameList(lastTwigs.list, list)) return lastTwigs.set;
  lastTwigs = { list, set: new Set(list) };
  return lastTwigs.set;
}

// Which files are test code, judged below their workspace folder (model/testPaths.ts, shared with the app model).
export { belowRoot, isDevelopmentSettingsPath, isProjectTemplatePath, isTestPath } from '../../model/testPaths';
