// `orchard check`: the engine over a folder tree and every requested environment.
import { gatherEnvStates } from '../analysis/engine';
import { runRules, ALL_RULES } from '../analysis/index';
import type { AnalysisSettings, EnvState, Finding, Severity } from '../analysis/types';
import { presenceOf } from '../analysis/presence';
import type { WorkspaceModel } from '../model/types';
import { isUnderTwig } from '../parse/paths';
import { UsageError, importFolders, loadCliConfig, loadWorkspace, openStores, parseEnvList, type GlobalOptions } from './context';
import { formatJson, formatSarif, formatText, makePaint, summaryLine, table, type Style } from './format';
import { VERSION } from './version';
import { stagedCredentials, writeBaseline } from './credentials';
import { CREDENTIAL_PREFIX } from '../analysis/rules/credentials';
import { displayPath } from './format';
import { toUri } from '../model/scan';

export interface CheckOptions extends GlobalOptions {
  env?: string;
  format: 'text' | 'json' | 'sarif';
  failOn: 'error' | 'warning' | 'info' | 'never';
  severity?: string[];
  parseOnly?: boolean;
  matrix?: boolean;
  /** Only what git is about to commit, credentials only (pre-commit hook). */
  staged?: boolean;
  /** Accept today's credential findings in .orchard-baseline.json. */
  writeBaseline?: boolean;
  exclude?: string[];
  appRoot?: string[];
}

const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint', 'off'];
const RANK: Record<string, number> = { error: 3, warning: 2, info: 1, hint: 0 };

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

/** Runs the whole check; shared by `check` and `demo`. */
export async function check(path: string, opts: CheckOptions): Promise<CheckResult> {
  const cfg = loadCliConfig(opts);
  const envs = parseEnvList(opts.env, cfg);
  const severities = parseSeverityOverrides(opts.severity);
  const ws = await loadWorkspace(path, { pairing: opts.pairing, allowImportsFrom: importFolders(cfg, opts), jsonFiles: opts.jsonFiles, exclude: opts.exclude, appRoots: opts.appRoot });
  let envStates = new Map<string, EnvState>();
  // Only Figgy services need a parameter store; an app-only or credentials-only tree never opens one.
  if (!opts.parseOnly && ws.services.length > 0) {
    const stores = openStores(cfg, envs, opts);
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

export function exitCodeFor(r: CheckResult, failOn: CheckOptions['failOn']): number {
  const threshold = failOn === 'never' ? Infinity : RANK[failOn];
  if (r.findings.some((f) => RANK[f.severity] >= threshold)) return 1;
  // The service's own namespace could not be read: nothing was verified, so do not report success.
  const unreadable = [...r.envStates.values()].some((st) => r.ws.services.some((s) => s.twig && !st.listedPrefixes.some((p) => isUnderTwig(p, s.twig!))));
  return unreadable ? 2 : 0;
}

export async function runCheck(path: string, opts: CheckOptions): Promise<number> {
  const out = process.stdout;
  if (opts.staged) {
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
  const r = await check(path, opts);
  if (opts.writeBaseline) {
    const b = await writeBaseline(path, r.ws, parseSeverityOverrides(opts.severity)['env-insecure-default'] !== 'off');
    process.stderr.write(`${displayPath(toUri(b.file))}: ${b.total} accepted credential finding(s) (${b.added} new, ${b.dropped} no longer found)\n`);
    r.findings = r.findings.filter((f) => !f.code.startsWith(CREDENTIAL_PREFIX));
  }
  if (opts.format === 'json') out.write(formatJson(r.findings) + '\n');
  else if (opts.format === 'sarif') out.write(formatSarif(r.findings, ALL_RULES, VERSION) + '\n');
  else {
    const paint = makePaint(out);
    const apps = r.ws.apps?.length ?? 0;
    if (r.ws.services.length === 0 && apps === 0 && !(r.ws.credentials ?? []).some((c) => c.findings.length)) out.write('no Figgy service, no app reading environment variables and no credential found\n');
    if (r.findings.length) out.write(formatText(r.findings, paint) + '\n');
    if (opts.matrix && !opts.parseOnly) out.write('\n' + presenceMatrix(r, paint) + '\n');
    const services = r.ws.services.length;
    const what = [services ? `${services} service(s), environments ${r.envs.join(', ')}` : '', apps ? `${apps} app(s)` : ''].filter(Boolean).join(', ') || 'nothing to check';
    out.write(`\n${what}: ${summaryLine(r.findings)}\n`);
  }
  return exitCodeFor(r, opts.failOn);
}
