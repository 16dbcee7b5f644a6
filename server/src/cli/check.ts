// `orchard check`: the command line side. An unchanged tree, settings and local store are answered
// from the warm-check cache (checkCache.ts) with only this and the light modules loaded; anything
// else loads the engine (engine.ts → checkFull.ts; in the bundles dist/engine.js, required on first
// use) to parse, build and run the rules.
import type { Finding, Rule } from '../analysis/types';
import { envConfigFor, importFolders, loadCliConfig, openStores, parseEnvList, type GlobalOptions } from './context';
import type { LoadOptions } from './workspace';
import { CheckCache, cacheKey, cacheRoot, fingerprint, replayWalk, storeTokens, walkStamps, type CachedCounts, type CheckSummary } from './checkCache';
import { copyFile, pour, streamSink, type Sink } from './sinks';
import type { OrchardConfig } from '../store/config';
import type { ParameterStore } from '../store/types';
import { jsonChunks, makePaint, sarifChunks, summaryLine, textChunks } from './format';
import { VERSION } from './version';
import { engine } from './lazyEngine';
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

const RANK: Record<string, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export function loadOptions(cfg: OrchardConfig, opts: CheckOptions): LoadOptions {
  return {
    pairing: opts.pairing,
    allowImportsFrom: importFolders(cfg, opts),
    jsonFiles: opts.jsonFiles,
    exclude: opts.exclude,
    appRoots: opts.appRoot,
    // Unchanged files are not parsed again (model/parseCache.ts), unless --no-cache.
    parseCache: opts.cache === false ? false : { dir: cacheRoot(opts.cacheDir) },
  };
}

export function exitCodeFor(r: Pick<CachedCounts, 'severities' | 'unreadable'>, failOn: CheckOptions['failOn']): number {
  const threshold = failOn === 'never' ? Infinity : RANK[failOn];
  if (r.severities.some((sev) => RANK[sev] >= threshold)) return 1;
  // The service's own namespace could not be read: nothing was verified, so do not report success.
  return r.unreadable ? 2 : 0;
}

/** What rendering needs beyond the summary: the rules (SARIF), the presence matrix (--matrix, full checks only). */
export interface RenderExtras {
  rules: () => readonly Rule[];
  matrix?: string;
}

/**
 * Everything `check` prints on stdout for a result, in pieces (a finding each): at 10,000 services
 * the JSON alone is 87 MB, and a string of it and its bytes on the way out were a third of the
 * CLI's peak memory.
 */
export function* render(r: CheckSummary, opts: CheckOptions, paint: ReturnType<typeof makePaint>, extras: RenderExtras): Generator<string> {
  if (opts.format === 'json') {
    yield* jsonChunks(r.findings);
    yield '\n';
    return;
  }
  if (opts.format === 'sarif') {
    yield* sarifChunks(r.findings, extras.rules(), VERSION);
    yield '\n';
    return;
  }
  if (r.services === 0 && r.apps === 0 && !r.credentials) yield 'no Figgy service, no app reading environment variables and no credential found\n';
  if (r.findings.length) {
    yield* textChunks(r.findings, paint);
    yield '\n';
  }
  if (extras.matrix !== undefined) yield '\n' + extras.matrix + '\n';
  // (Files with credentials and no app or service: the summary names them, not "nothing to check".)
  const what = [r.services ? `${r.services} service(s), environments ${r.envs.join(', ')}` : '', r.apps ? `${r.apps} app(s)` : ''].filter(Boolean).join(', ') || (r.credentials ? 'credentials' : 'nothing to check');
  yield `\n${what}: ${summaryLine(r.findings)}\n`;
}

/** Writes the result to `out` and, when `keep` is given, to the cache as it goes. */
export async function emit(pieces: Iterable<string>, out: Sink, keep?: Sink): Promise<void> {
  await pour(pieces, keep ? [out, keep] : [out]);
  await keep?.commit?.();
}

/** The exit code of a full result. */
export function summaryExitCode(r: CheckSummary, failOn: CheckOptions['failOn']): number {
  return exitCodeFor({ severities: r.findings.map((f: Finding) => f.severity), unreadable: r.unreadable }, failOn);
}

/**
 * `check` through the warm cache (checkCache.ts): an unchanged tree, settings and local store are
 * answered from disk, output included, without loading the engine. Flags that need the whole model
 * (--matrix) or write (--write-baseline), imports allowed from outside the tree, and --no-cache run
 * the full check. Returns the exit code; the output goes to `out`.
 *
 * `--severity` is checked against the rules by the engine, before it walks: a hit needs no check,
 * since the cache key holds the flags and only a check that accepted them saved an entry.
 */
async function checkOutput(target: string, opts: CheckOptions, paint: ReturnType<typeof makePaint>, colour: boolean, out: Sink): Promise<number> {
  if (opts.cache === false || opts.matrix || opts.writeBaseline) return engine().checkUncached(target, opts, paint, out);
  const cfg = loadCliConfig(opts);
  const envs = parseEnvList(opts.env, cfg);
  const load = loadOptions(cfg, opts);
  if (load.allowImportsFrom?.length) return engine().checkUncached(target, opts, paint, out);
  const { format: _f, failOn: _o, cache: _c, cacheDir: _d, ...decisive } = opts;
  const cache = new CheckCache(cacheRoot(opts.cacheDir), cacheKey(target, { decisive, cfg, envs, stores: envs.map((e) => envConfigFor(cfg, e, opts)) }));
  // Output depends on the format, colour and (relative paths) the working folder.
  const variant = JSON.stringify([opts.format, colour, process.cwd()]);
  const prev = await cache.load();
  // The last walk again when no folder it listed changed (checkCache.ts replayWalk), else a walk.
  const walkedAt = Date.now();
  const replay = replayWalk(prev, resolvePath(target));
  if (!replay) engine().parseSeverityOverrides(opts.severity);
  const walk = replay?.walk ?? (await engine().walkTarget(target, load));
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
        // Bytes in, bytes out: no decoding of what is only copied to stdout.
        try {
          await copyFile(stored, out);
        } finally {
          await stored.close().catch(() => undefined);
        }
        return exit;
      }
      const findings = await cache.findings();
      if (findings) {
        await emit(render({ ...hit, findings }, opts, paint, { rules: () => engine().ALL_RULES }), out, await cache.outputSink(variant));
        return exit;
      }
    }
    const before = opts.parseOnly ? {} : await tokens();
    const e = engine();
    let beyond: string[] = [];
    // The stores opened for their tokens are the check's: each opens (and warns) once.
    const full = await e.check(target, opts, { cfg, walk, stores, onScanned: (sc) => (beyond = sc.readBeyondWalk ?? []) });
    const r = e.summarize(full);
    const usesStores = !opts.parseOnly && r.services > 0;
    // Stamped after the check: anything changed since the walk started is then not trusted.
    const saved = (!usesStores || before) && (await cache.save(fp, replay?.stamps ?? walkStamps(walk, walkedAt), beyond, usesStores && before ? before : {}, r));
    await emit(render(r, opts, paint, { rules: () => e.ALL_RULES }), out, saved ? await cache.outputSink(variant) : undefined);
    return summaryExitCode(r, opts.failOn);
  } finally {
    if (stores) await Promise.all([...stores.values()].map((st) => st.dispose?.()));
  }
}

export async function runCheck(path: string, opts: CheckOptions): Promise<number> {
  const out = process.stdout;
  if (opts.staged) return engine().checkStaged(path, opts, out);
  const paint = makePaint(out);
  return checkOutput(path, opts, paint, paint('red', 'x') !== 'x', streamSink(out, out.fd));
}
