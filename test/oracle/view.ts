// What Orchard makes of one file, in the shape the figgy-lib / figgy-cli oracles report it
// (scripts/oracle/*.py), so the two can be compared: the verdict (any error finding of the
// parse-level rules in the file or the files it imports), the full names and the figgy.json bytes.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parsePython } from '../../server/src/parse/python';
import { importTarget, parseFiggyJson } from '../../server/src/parse/figgyJson';
import { parseSecretsJson } from '../../server/src/parse/secretsJson';
import { buildWorkspace } from '../../server/src/model/build';
import { classifyByContent, readConfigFile, resolveImports } from '../../server/src/model/scan';
import { toUri } from '../../server/src/model/uris';
import { configPyDecls, figKey, storeFigs } from '../../server/src/model/decls';
import { renderFiggyJsonChecked } from '../../server/src/model/figgyJsonWriter';
import { classTwig } from '../../server/src/model/decls';
import { runRules } from '../../server/src/analysis';
import type { Finding } from '../../server/src/analysis/types';
import type { WorkspaceModel } from '../../server/src/model/types';
import type { FiggyJsonModel } from '../../server/src/parse/types';

export type Verdict = 'ok' | 'error';

/** figgy-lib's answer for one config.py (lib_oracle.py). */
export interface LibAnswer {
  verdict: Verdict;
  stage?: 'import' | 'store';
  error?: string;
  classes: { class: string; twig?: unknown; names?: Record<string, string | null>; json?: string; error?: string }[];
}

/** figgy-cli validate's answer for one figgy JSON file (cli_oracle.py). */
export interface CliAnswer {
  verdict: Verdict;
  error?: string;
  namespace?: string;
  names?: string[];
}

/** figgy-cli sync --replication-only's answer for an owner's file (cli_oracle.py --replication-only). */
export interface ReplicationAnswer {
  verdict: Verdict;
  error?: string;
  replicate_figs?: Record<string, string>;
}

export interface OrchardPyView {
  verdict: Verdict;
  errors: Finding[];
  classes: { class: string; twig?: string; names: Record<string, string | null>; unresolved: string[]; json: string; problems: string[] }[];
}

export interface OrchardJsonView {
  kind: 'figgy-json' | 'secrets-json' | undefined;
  verdict: Verdict;
  errors: Finding[];
  namespace?: string;
  names: string[];
  replicateFigs: Record<string, string>;
}

function parseOnlyFindings(ws: WorkspaceModel): Finding[] {
  return runRules({ workspace: ws, envStates: new Map(), settings: { envs: [], severities: {} } }, { parseOnly: true });
}

function errorsIn(findings: Finding[], uris: Set<string>): Finding[] {
  return findings.filter((f) => f.severity === 'error' && uris.has(f.uri));
}

export function viewPython(file: string, text = readFileSync(file, 'utf8')): OrchardPyView {
  const uri = toUri(file);
  const m = parsePython(text, uri);
  const ws = buildWorkspace({ python: [m], figgyJson: [], secrets: [] });
  const errors = errorsIn(parseOnlyFindings(ws), new Set([uri]));
  const classes: OrchardPyView['classes'] = [];
  for (const s of ws.services) {
    const cls = s.configPy?.cls;
    if (!cls) continue;
    const twig = classTwig(cls);
    // figgy-lib's names: None for every Fig when the TWIG is empty.
    const names: Record<string, string | null> = {};
    if (twig === '') for (const f of storeFigs(cls)) names[figKey(f)] = null;
    for (const d of configPyDecls(uri, cls)) if (d.attr) names[d.attr] = d.path;
    const unresolved = cls.figs.filter((f) => !f.name).map((f) => f.attr);
    const r = twig === undefined ? { text: '', problems: ['TWIG unknown'] } : renderFiggyJsonChecked(cls, twig);
    classes.push({ class: cls.className, twig, names, unresolved, json: r.text, problems: r.problems });
  }
  return { verdict: errors.length ? 'error' : 'ok', errors, classes };
}

export async function viewJson(file: string): Promise<OrchardJsonView> {
  const uri = toUri(file);
  const text = readFileSync(file, 'utf8');
  const kind = classifyByContent(file, text) as OrchardJsonView['kind'];
  const empty: OrchardJsonView = { kind, verdict: 'ok', errors: [], names: [], replicateFigs: {} };
  if (kind === 'secrets-json') {
    const m = parseSecretsJson(text, uri);
    const ws = buildWorkspace({ python: [], figgyJson: [], secrets: [m] });
    const errors = errorsIn(parseOnlyFindings(ws), new Set([uri]));
    const replicateFigs: Record<string, string> = {};
    for (const r of m.replicateFigs) replicateFigs[r.source.value] = r.dest.value;
    return { ...empty, verdict: errors.length ? 'error' : 'ok', errors, replicateFigs };
  }
  if (kind !== 'figgy-json') return { ...empty, verdict: 'ok' };
  const m: FiggyJsonModel = await resolveImports(parseFiggyJson(text, uri), readConfigFile);
  const ws = buildWorkspace({ python: [], figgyJson: [m], secrets: [] });
  const uris = new Set([uri, ...m.imports.map((i) => toUri(path.resolve(importTarget(file, i.value))))]);
  const errors = errorsIn(parseOnlyFindings(ws), uris);
  const s = ws.services[0];
  return {
    ...empty,
    verdict: errors.length ? 'error' : 'ok',
    errors,
    namespace: s?.twig,
    names: s ? [...s.expected.keys()].sort() : [],
  };
}

/** Why Orchard and figgy-lib disagree on a config.py, or undefined when they agree. */
export function comparePython(lib: LibAnswer, o: OrchardPyView): string | undefined {
  if (lib.verdict !== o.verdict) {
    const why = o.errors.map((e) => `${e.code}: ${e.message}`).join(' | ');
    return `verdict: figgy-lib ${lib.verdict}${lib.error ? ` (${lib.error})` : ''}${lib.classes.find((c) => c.error)?.error ?? ''}, Orchard ${o.verdict}${why ? ` (${why})` : ''}`;
  }
  if (lib.verdict === 'error') return undefined;
  for (const c of lib.classes) {
    const mine = o.classes.find((x) => x.class === c.class.split('.').pop());
    if (!mine) return `class ${c.class}: Orchard does not see it`;
    const want = JSON.stringify(Object.entries(c.names ?? {}).sort());
    const got = JSON.stringify(Object.entries(mine.names).sort());
    if (want !== got) return `class ${c.class}: names differ: figgy-lib ${want}, Orchard ${got}`;
    if (c.json !== mine.json) return `class ${c.class}: figgy.json bytes differ${mine.problems.length ? ` (${mine.problems.join('; ')})` : ''}`;
  }
  const extra = o.classes.filter((x) => !lib.classes.some((c) => c.class.split('.').pop() === x.class));
  if (extra.length) return `Orchard sees classes figgy-lib does not create: ${extra.map((x) => x.class).join(', ')}`;
  return undefined;
}

/** Why Orchard and figgy-cli disagree on a figgy JSON file, or undefined when they agree. */
export function compareJson(cli: CliAnswer | undefined, repl: ReplicationAnswer | undefined, o: OrchardJsonView): string | undefined {
  if (o.kind === undefined) return 'Orchard does not read this file';
  const why = o.errors.map((e) => `${e.code}: ${e.message}`).join(' | ');
  if (o.kind === 'secrets-json') {
    if (!repl) return 'no replication-only answer';
    if (repl.verdict !== o.verdict) return `verdict: figgy-cli --replication-only ${repl.verdict}${repl.error ? ` (${repl.error})` : ''}, Orchard ${o.verdict}${why ? ` (${why})` : ''}`;
    if (repl.verdict === 'error') return undefined;
    const want = JSON.stringify(Object.entries(repl.replicate_figs ?? {}).sort());
    const got = JSON.stringify(Object.entries(o.replicateFigs).sort());
    return want === got ? undefined : `replicate_figs differ: figgy-cli ${want}, Orchard ${got}`;
  }
  if (!cli) return 'no validate answer';
  if (cli.verdict !== o.verdict) return `verdict: figgy-cli ${cli.verdict}${cli.error ? ` (${cli.error})` : ''}, Orchard ${o.verdict}${why ? ` (${why})` : ''}`;
  if (cli.verdict === 'error') return undefined;
  const want = JSON.stringify(cli.names ?? []);
  const got = JSON.stringify(o.names);
  return want === got ? undefined : `names differ: figgy-cli ${want}, Orchard ${got}`;
}
