// `orchard env [PATH]`: per twelve-factor app, every variable × every source (✓ provides, ✗ does
// not, ? cannot tell), with how the code reads it. Names only: a value is never printed.
import { appVariables, inTestCode, providedNames, satisfiedBy, type AppVariable } from '../model/appVariables';
import { buildOnlyEntry, buildOnlyWhere, hasDeploymentSource, onlySetBy } from '../model/sourcesKnown';
import type { App } from '../model/types';
import { displayPath, makePaint, table, type Style } from './format';
import { existsSync } from 'node:fs';
import { UsageError, type GlobalOptions } from './context';
import { loadWorkspace } from './workspace';

export interface EnvOptions extends GlobalOptions {
  format: 'text' | 'json';
  appRoot?: string[];
  exclude?: string[];
}

/**
 * How the code reads `name`; `when`: required only when one of these is set (every required read
 * sits under a presence test of them); `tests`: read only by test code, or required only there,
 * which is not the app's requirement (requiredNow).
 */
function readMark(app: App, name: string, roots: readonly string[] | undefined): { mark: 'required' | 'optional' | 'tests' | '-'; when?: string[] } {
  const reads = app.reads.filter((r) => r.name === name);
  if (reads.length === 0) return { mark: '-' };
  const inApp = reads.filter((r) => !inTestCode(r.uri, roots));
  if (inApp.length === 0) return { mark: 'tests' };
  const all = reads.filter((r) => r.read.required);
  if (all.length === 0) return { mark: 'optional' };
  const required = all.filter((r) => !inTestCode(r.uri, roots));
  if (required.length === 0) return { mark: 'tests' };
  if (required.every((r) => r.read.requiredWhen)) return { mark: 'required', when: [...new Set(required.flatMap((r) => r.read.requiredWhen ?? []))] };
  return { mark: 'required' };
}

function readText(m: ReturnType<typeof readMark>): string {
  return m.when ? `if ${m.when.join('/')}` : m.mark === 'tests' ? 'in tests' : m.mark;
}

function appTitle(app: App): string {
  const what = app.framework ? `${app.framework} charm` : app.kind === 'compose' ? 'compose service' : app.kind === 'configured' ? 'configured app' : 'app';
  return `${app.label} (${what}) at ${displayPath(app.root)}`;
}

export function envMatrix(apps: readonly App[], paint: (s: Style, t: string) => string, roots?: readonly string[]): string {
  const blocks: string[] = [];
  for (const app of apps) {
    const vars = appVariables(app, { hideUnreadBuiltins: true });
    const head = paint('bold', appTitle(app));
    if (vars.length === 0) {
      blocks.push(`${head}\n  no variables read or provided`);
      continue;
    }
    const rows: string[][] = [['variable', 'read', ...app.sources.map((s) => s.label)]];
    const provided = providedNames(vars);
    for (const v of vars) {
      const via = satisfiedBy(v, provided);
      rows.push([
        `${v.name}${v.sensitive ? ' (secret)' : ''}`,
        `${readText(readMark(app, v.name, roots))}${via.length ? ` (via ${via.join(', ')})` : ''}`,
        ...app.sources.map((s) => (v.provided.some((p) => p.source === s) ? '✓' : buildOnlyEntry(s, v.name) ? '✗ build only' : s.complete ? '✗' : '?')),
      ]);
    }
    const body = table(rows, paint)
      .split('\n')
      .map((l, i) => (i === 0 ? `  ${l}` : `  ${l.replace(/(?<=\s)✗(?=\s|$)/g, paint('red', '✗')).replace(/(?<=\s)✓(?=\s|$)/g, paint('green', '✓'))}`))
      .join('\n');
    const notes = app.sources.filter((s) => !s.complete).map((s) => `  ? ${s.label}: ${s.incompleteReason ?? 'not fully readable'}`);
    const builders = app.sources.filter((s) => vars.some((v) => buildOnlyEntry(s, v.name) && !v.provided.some((p) => p.source === s)));
    for (const s of builders) notes.push(`  build only: ${s.label} sets these for the build ${buildOnlyWhere([s])}; the running app does not get them`);
    if (app.sources.length === 0) notes.push('  no source of values found (charm, .env, compose, Helm values): where values come from is unknown');
    else if (!hasDeploymentSource(app.sources)) {
      const who = onlySetBy(app.sources);
      notes.push(`  only ${who} set${who.includes(' and ') ? '' : 's'} variables (no charm, .env, compose or Helm values): where the others come from is unknown`);
    }
    blocks.push([head, body, ...notes].join('\n'));
  }
  return blocks.join('\n\n');
}

export function envJson(apps: readonly App[], roots?: readonly string[]): string {
  return JSON.stringify(
    apps.map((app) => ({
      app: app.label,
      root: displayPath(app.root),
      kind: app.kind,
      framework: app.framework,
      sources: app.sources.map((s) => ({ label: s.label, kind: s.kind, file: displayPath(s.uri), complete: s.complete, incompleteReason: s.incompleteReason })),
      variables: withProvided(appVariables(app, { hideUnreadBuiltins: true })).map(({ v, provided }) => {
        const read = readMark(app, v.name, roots);
        const via = satisfiedBy(v, provided);
        return {
          name: v.name,
          sensitive: v.sensitive,
          read: read.mark,
          requiredWhen: read.when,
          ...(via.length ? { satisfiedBy: via } : {}),
          reads: v.reads.map((r) => ({ file: displayPath(r.uri), line: r.read.range.start.line + 1 })),
          providedBy: v.provided.map((p) => ({ source: p.source.label, file: displayPath(p.v.uri), line: p.v.range.start.line + 1, detail: p.v.detail })),
          ...buildOnlyJson(app, v),
        };
      }),
    })),
    null,
    2,
  );
}

export async function runEnv(target: string, opts: EnvOptions): Promise<number> {
  if (!existsSync(target)) throw new UsageError(`${target} does not exist`);
  const ws = await loadWorkspace(target, { appRoots: opts.appRoot, exclude: opts.exclude });
  const apps = ws.apps ?? [];
  if (opts.format === 'json') process.stdout.write(`${envJson(apps, ws.roots)}\n`);
  else if (apps.length === 0) process.stdout.write('no app reading environment variables found (Python reads, charm, .env, compose or Helm values)\n');
  else process.stdout.write(`${envMatrix(apps, makePaint(process.stdout), ws.roots)}\n`);
  return 0;
}

/** The sources that set a variable for the build only (and not for the running app), where they do. */
function buildOnlyJson(app: App, v: AppVariable): { buildOnlyIn?: { source: string; file: string; line: number }[] } {
  const at = app.sources.flatMap((s) => {
    const b = v.provided.some((p) => p.source === s) ? undefined : buildOnlyEntry(s, v.name);
    return b ? [{ source: s.label, file: displayPath(s.uri), line: b.range.start.line + 1 }] : [];
  });
  return at.length ? { buildOnlyIn: at } : {};
}

/** Each variable with the names the app's sources provide (computed once per app). */
function withProvided(vars: AppVariable[]): { v: AppVariable; provided: ReadonlySet<string> }[] {
  const provided = providedNames(vars);
  return vars.map((v) => ({ v, provided }));
}
