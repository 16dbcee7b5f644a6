// `orchard check`'s engine side: parse, build, read the stores, run the rules. check.ts answers an
// unchanged tree from the warm-check cache without loading any of this (dist/engine.js).
import { gatherEnvStates } from '../analysis/engine';
import { runRules, ALL_RULES } from '../analysis/index';
import type { AnalysisSettings, EnvState, Finding, Severity } from '../analysis/types';
import { isListed, presenceOf } from '../analysis/presence';
import type { WorkspaceModel } from '../model/types';
import { normaliseTwig } from '../parse/paths';
import { UsageError, loadCliConfig, openStores, parseEnvList } from './context';
import { loadWorkspace, type LoadOptions } from './workspace';
import type { CheckSummary } from './checkCache';
import type { Sink } from './sinks';
import type { OrchardConfig } from '../store/config';
import type { ParameterStore } from '../store/types';
import { displayPath, formatJson, formatSarif, formatText, makePaint, table, type Style } from './format';
import { VERSION } from './version';
import { stagedCredentials, writeBaseline } from './credentials';
import { CREDENTIAL_PREFIX } from '../analysis/rules/credentials';
import { toUri } from '../model/uris';
import { emit, loadOptions, render, summaryExitCode, type CheckOptions } from './check';

const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint', 'off'];

export function parseSeverityOverrides(items: string[] | undefined): Record<string, Severity> {
  const out: Record<string, Severity> = {};
  const codes = new Set(ALL_RULES.map((r) => r.code));
  for (const item of items ?? []) {
    const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(item);
    if (!m) throw new UsageError('--severity expects rule=level, e.g. missing-in-env=warning');
    if (!codes.has(m[1])) throw new UsageError(`unknown rule "${m[1]}" (see: orchard rules)`);
    if (!SEVERITIES.includes(m[2] as Severity)) throw new UsageError(`unknown severity "${m[2]}" (error|warning|info|hint|off)`);
    out[m[1]] = m[2] as Severity;
  }
  return out;
}

export interface CheckResult {
  ws: WorkspaceModel;
  envStates: Map<string, EnvState>;
  findings: Finding[];
  envs: string[];
}

/**
 * What a caller already has: the walk, the config, the stores it opened. Stores are disposed once
 * read, given ones too (their loaded data would otherwise stay in memory through the rules and
 * the output: 10-25 MiB more at 10,000 services); a disposed store reads again if used.
 */
export type CheckGiven = Pick<LoadOptions, 'walk' | 'onScanned' | 'parseCache'> & { cfg?: OrchardConfig; stores?: Map<string, ParameterStore> };

/** Runs the whole check; shared by `check` and `demo`. */
export async function check(path: string, opts: CheckOptions, given: CheckGiven = {}): Promise<CheckResult> {
  const { cfg = loadCliConfig(opts), stores: opened, ...scan } = given;
  const envs = parseEnvList(opts.env, cfg);
  const severities = parseSeverityOverrides(opts.severity);
  const ws = await loadWorkspace(path, { ...loadOptions(cfg, opts), ...scan });
  let envStates = new Map<string, EnvState>();
  // Only Figgy services need a parameter store; an app-only or credentials-only tree never opens one.
  if (!opts.parseOnly && ws.services.length > 0) {
    const stores = opened ?? openStores(cfg, envs, opts);
    try {
      envStates = await gatherEnvStates(ws, stores);
    } finally {
      await Promise.all([...stores.values()].map((s) => s.dispose?.()));
    }
  }
  const settings: AnalysisSettings = { envs, severities };
  const findings = runRules({ workspace: ws, envStates, settings }, { parseOnly: opts.parseOnly });
  return { ws, envStates, findings, envs };
}

/** What the output needs from a full result. */
export function summarize(r: CheckResult): CheckSummary {
  return {
    findings: r.findings,
    envs: r.envs,
    services: r.ws.services.length,
    apps: r.ws.apps?.length ?? 0,
    credentials: (r.ws.credentials ?? []).some((c) => c.findings.length > 0),
    unreadable: [...r.envStates.values()].some((st) => r.ws.services.some((s) => s.twig && !isListed(st, normaliseTwig(s.twig)))),
  };
}

const MARK: Record<string, [string, Style]> = { present: ['✓', 'green'], missing: ['✗', 'red'], unknown: ['?', 'yellow'] };

/** Parameter × environment presence matrix for every service. */
export function presenceMatrix(r: CheckResult, paint: (s: Style, t: string) => string): string {
  const blocks: string[] = [];
  for (const s of r.ws.services) {
    if (!s.twig || s.expected.size === 0) continue;
    const rows: string[][] = [[s.twig, 'kind', ...r.envs]];
    for (const p of [...s.expected.values()].sort((a, b) => a.path.localeCompare(b.path))) {
      const rel = p.path.startsWith(s.twig + '/') ? p.path.slice(s.twig.length + 1) : p.path;
      rows.push([rel, p.origin, ...r.envs.map((e) => {
        const st = presenceOf(r.envStates.get(e)!, p.path).state;
        return `${MARK[st][0]} ${st}`;
      })]);
    }
    // Paint after padding so ANSI codes do not disturb the widths.
    const lines = table(rows, paint).split('\n');
    blocks.push(
      lines
        .map((line, i) => (i === 0 ? line : line.replace(/[✓✗?] (present|missing|unknown)/g, (cell, w: string) => paint(MARK[w][1], cell))))
        .join('\n'),
    );
  }
  return blocks.join('\n\n');
}

/** The check without the warm cache (--no-cache, --matrix, --write-baseline, imports from outside PATH); returns the exit code. */
export async function checkUncached(target: string, opts: CheckOptions, paint: ReturnType<typeof makePaint>, out: Sink): Promise<number> {
  const full = await check(target, opts);
  const r = summarize(full);
  if (opts.writeBaseline) {
    const b = await writeBaseline(target, full.ws, parseSeverityOverrides(opts.severity)['env-insecure-default'] !== 'off');
    process.stderr.write(`${displayPath(toUri(b.file))}: ${b.total} accepted credential finding(s) (${b.added} new, ${b.dropped} no longer found)\n`);
    r.findings = r.findings.filter((f) => !f.code.startsWith(CREDENTIAL_PREFIX));
  }
  const matrix = opts.matrix && !opts.parseOnly ? presenceMatrix(full, paint) : undefined;
  await emit(render(r, opts, paint, { rules: () => ALL_RULES, matrix }), out);
  return summaryExitCode(r, opts.failOn);
}

/** `check --staged`: only what git is about to commit, credentials only (pre-commit hook). */
export async function checkStaged(path: string, opts: CheckOptions, out: NodeJS.WriteStream): Promise<number> {
  const s = await stagedCredentials(path);
  // On stderr, so JSON and SARIF on stdout stay machine-readable.
  for (const k of s.skipped) process.stderr.write(`${displayPath(k.uri)}: staged but not scanned for credentials: ${k.why}\n`);
  if (opts.format === 'json') out.write(formatJson(s.findings) + '\n');
  else if (opts.format === 'sarif') out.write(formatSarif(s.findings, ALL_RULES, VERSION) + '\n');
  else {
    if (s.findings.length) out.write(formatText(s.findings, makePaint(out)) + '\n');
    out.write(`staged files: ${s.findings.length ? `${s.findings.length} plaintext credential(s); the commit should not go in (accept a finding with an "orchard: allow" comment or orchard check --write-baseline)` : 'no plaintext credential'}\n`);
  }
  return s.findings.length ? 1 : 0;
}
