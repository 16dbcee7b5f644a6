// `orchard check`: the engine over a folder tree and every requested environment.
import { gatherEnvStates } from '../analysis/engine';
import { runRules, ALL_RULES } from '../analysis/index';
import type { AnalysisSettings, EnvState, Finding, Severity } from '../analysis/types';
import { isListed, presenceOf } from '../analysis/presence';
import type { WorkspaceModel } from '../model/types';
import { normaliseTwig } from '../parse/paths';
import { UsageError, envConfigFor, importFolders, loadCliConfig, loadWorkspace, openStores, parseEnvList, walkTarget, type GlobalOptions, type LoadOptions } from './context';
import { CheckCache, cacheKey, cacheRoot, fingerprint, replayWalk, storeTokens, walkStamps, type CachedCounts, type CheckSummary } from './checkCache';
import { pour, streamSink, type Sink } from './sinks';
import type { OrchardConfig } from '../store/config';
import type { ParameterStore } from '../store/types';
import { formatJson, formatSarif, formatText, jsonChunks, makePaint, sarifChunks, summaryLine, table, textChunks, type Style } from './format';
import { VERSION } from './version';
import { stagedCredentials, writeBaseline } from './credentials';
import { CREDENTIAL_PREFIX } from '../analysis/rules/credentials';
import { displayPath } from './format';
import { toUri } from '../model/scan';
import { resolve as resolvePath } from 'node:path';

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
  /** `--no-cache` sets false: always parse and check everything. */
  cache?: boolean;
  /** Where the warm-check cache lives (default $ORCHARD_CACHE_DIR or $XDG_CACHE_HOME/orchard). */
  cacheDir?: string;
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

/** Runs the whole check; shared by `check` and `demo`. `scan` passes a walk already done and sees the scan. */
export async function check(path: string, opts: CheckOptions, scan: Pick<LoadOptions, 'walk' | 'onScanned'> & { cfg?: OrchardConfig } = {}): Promise<CheckResult> {
  const cfg = scan.cfg ?? loadCliConfig(opts);
  const envs = parseEnvList(opts.env, cfg);
  const severities = parseSeverityOverrides(opts.severity);
  const ws = await loadWorkspace(path, { ...loadOptions(cfg, opts), ...scan });
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

function loadOptions(cfg: OrchardConfig, opts: CheckOptions): LoadOptions {
  return { pairing: opts.pairing, allowImportsFrom: importFolders(cfg, opts), jsonFiles: opts.jsonFiles, exclude: opts.exclude, appRoots: opts.appRoot };
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

export function exitCodeFor(r: Pick<CachedCounts, 'severities' | 'unreadable'>, failOn: CheckOptions['failOn']): number {
  const threshold = failOn === 'never' ? Infinity : RANK[failOn];
  if (r.severities.some((sev) => RANK[sev] >= threshold)) return 1;
  // The service's own namespace could not be read: nothing was verified, so do not report success.
  return r.unreadable ? 2 : 0;
}

/**
 * Everything `check` prints on stdout for a result, in pieces (a finding each): at 10,000 services
 * the JSON alone is 87 MB, and a string of it and its bytes on the way out were a third of the
 * CLI's peak memory. The matrix needs the whole model: `full`.
 */
function* render(r: CheckSummary, opts: CheckOptions, paint: ReturnType<typeof makePaint>, full?: CheckResult): Generator<string> {
  if (opts.format === 'json') {
    yield* jsonChunks(r.findings);
    yield '\n';
    return;
  }
  if (opts.format === 'sarif') {
    yield* sarifChunks(r.findings, ALL_RULES, VERSION);
    yield '\n';
    return;
  }
  if (r.services === 0 && r.apps === 0 && !r.credentials) yield 'no Figgy service, no app reading environment variables and no credential found\n';
  if (r.findings.length) {
    yield* textChunks(r.findings, paint);
    yield '\n';
  }
  if (opts.matrix && !opts.parseOnly && full) yield '\n' + presenceMatrix(full, paint) + '\n';
  const what = [r.services ? `${r.services} service(s), environments ${r.envs.join(', ')}` : '', r.apps ? `${r.apps} app(s)` : ''].filter(Boolean).join(', ') || 'nothing to check';
  yield `\n${what}: ${summaryLine(r.findings)}\n`;
}

/** Writes the result to `out` and, when `keep` is given, to the cache as it goes. */
async function emit(pieces: Iterable<string>, out: Sink, keep?: Sink): Promise<void> {
  await pour(pieces, keep ? [out, keep] : [out]);
  await keep?.commit?.();
}

/**
 * `check` through the warm cache (checkCache.ts): an unchanged tree, settings and local store are
 * answered from disk, output included. Flags that need the whole model (--matrix) or write
 * (--write-baseline), imports allowed from outside the tree, and --no-cache run the full check.
 * Returns the exit code; the output goes to `out`.
 */
async function checkOutput(target: string, opts: CheckOptions, paint: ReturnType<typeof makePaint>, colour: boolean, out: Sink): Promise<number> {
  const uncached = async () => {
    const full = await check(target, opts);
    const r = summarize(full);
    if (opts.writeBaseline) {
      const b = await writeBaseline(target, full.ws, parseSeverityOverrides(opts.severity)['env-insecure-default'] !== 'off');
      process.stderr.write(`${displayPath(toUri(b.file))}: ${b.total} accepted credential finding(s) (${b.added} new, ${b.dropped} no longer found)\n`);
      r.findings = r.findings.filter((f) => !f.code.startsWith(CREDENTIAL_PREFIX));
    }
    await emit(render(r, opts, paint, full), out);
    return exitCodeFor({ severities: r.findings.map((f) => f.severity), unreadable: r.unreadable }, opts.failOn);
  };
  if (opts.cache === false || opts.matrix || opts.writeBaseline) return uncached();
  const cfg = loadCliConfig(opts);
  const envs = parseEnvList(opts.env, cfg);
  parseSeverityOverrides(opts.severity);
  const load = loadOptions(cfg, opts);
  if (load.allowImportsFrom?.length) return uncached();
  const { format: _f, failOn: _o, cache: _c, cacheDir: _d, ...decisive } = opts;
  const cache = new CheckCache(cacheRoot(opts.cacheDir), cacheKey(target, { decisive, cfg, envs, stores: envs.map((e) => envConfigFor(cfg, e, opts)) }));
  // Output depends on the format, colour and (relative paths) the working folder.
  const variant = JSON.stringify([opts.format, colour, process.cwd()]);
  const prev = await cache.load();
  // The last walk again when no folder it listed changed (checkCache.ts replayWalk), else a walk.
  const walkedAt = Date.now();
  const replay = replayWalk(prev, resolvePath(target));
  const walk = replay?.walk ?? (await walkTarget(target, load));
  const fp = fingerprint(walk, prev);
  let stores: Map<string, ParameterStore> | undefined;
  const tokens = () => storeTokens((stores ??= openStores(cfg, envs, opts)));
  try {
    const hit = await cache.hit(fp, tokens);
    if (hit) {
      const exit = exitCodeFor(hit, opts.failOn);
      if (!replay) await cache.restampWalk(() => walkStamps(walk, walkedAt));
      const stored = await cache.output(variant);
      if (stored) {
        // Bytes in, bytes out: no decoding of what is only copied to stdout. In 1 MiB reads: with
        // 64 KiB ones a warm check of 2,000 services (10.5 MB of JSON) waited ~60 ms on 160 reads.
        try {
          for await (const chunk of stored.createReadStream({ autoClose: false, highWaterMark: 1 << 20 })) await out.write(chunk as Buffer);
        } finally {
          await stored.close().catch(() => undefined);
        }
        return exit;
      }
      const findings = await cache.findings();
      if (findings) {
        await emit(render({ ...hit, findings }, opts, paint), out, await cache.outputSink(variant));
        return exit;
      }
    }
    const before = opts.parseOnly ? {} : await tokens();
    let beyond: string[] = [];
    const full = await check(target, opts, { cfg, walk, onScanned: (sc) => (beyond = sc.readBeyondWalk ?? []) });
    const r = summarize(full);
    const usesStores = !opts.parseOnly && r.services > 0;
    // Stamped after the check: anything changed since the walk started is then not trusted.
    const saved = (!usesStores || before) && (await cache.save(fp, replay?.stamps ?? walkStamps(walk, walkedAt), beyond, usesStores && before ? before : {}, r));
    await emit(render(r, opts, paint, full), out, saved ? await cache.outputSink(variant) : undefined);
    return exitCodeFor({ severities: r.findings.map((f) => f.severity), unreadable: r.unreadable }, opts.failOn);
  } finally {
    if (stores) await Promise.all([...stores.values()].map((st) => st.dispose?.()));
  }
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
  const paint = makePaint(out);
  return checkOutput(path, opts, paint, paint('red', 'x') !== 'x', streamSink(out));
}
