// Reads a folder tree from disk and turns the files Orchard understands into parsed models.
// With walk.ts, git.ts and figgyImports.ts, the model-layer code that touches the file system;
// the LSP feeds open documents itself.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { toPath, toUri } from './uris';
import { LIMITS, readRegularFile, readRegularFileSync, type ReadOutcome } from '../fsread';
import { allowlistCandidates, allowlistsFor, loadAllowlists, type Allowlists } from './allowlists';
import { initTerraformFor } from '../parse/terraform';
import { initPython, parsePython } from '../parse/python';
import picomatch from 'picomatch';
import { classifyJsonText, importTarget, parseFiggyJson } from '../parse/figgyJson';
import { parseSecretsJson } from '../parse/secretsJson';
import type { FiggyJsonModel, ParseError, PythonConfigModel, SecretsJsonModel } from '../parse/types';
import type { EnvFiles, EnvListModel, FileCredentials } from './types';
import { classifyEnvFile, envListOf, envModelOf, unreadDotenv, withoutRepeatedNotices, type EnvFileKind, type EnvFileModel } from './files';
import { isRelevantPython, runParseJob, type FileKind, type ParseJob, type ParseOutcome } from './parseJob';
import { MIN_POOL_JOBS, POOL_AHEAD, POOL_AHEAD_BYTES, ParsePool, type Ticket } from './parsePool';
import { ParseCache } from './parseCache';
import { MAX_WALK_FILES, gitStatusOf, ignoredBeyondWalk, walkWorkspace, type WalkResult } from './walk';
import { composeEnvFiles } from './composeBuild';


/** Files above this size are reported, not read: a config file that large is a mistake or not a config file. */
export const MAX_FILE_BYTES = LIMITS.configFile;

export type { FileKind };
export { isRelevantPython };

/** Which parser a file name calls for (figgy.json in any of the CLI's search locations, or anywhere). */
export function classifyFile(filePath: string): FileKind | undefined {
  const base = path.basename(filePath);
  if (base === 'figgy-secrets.json') return 'secrets-json';
  if (base === 'figgy.json') return 'figgy-json';
  if (base.endsWith('.py')) return 'python';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// JSON files recognised by content (any name: ci-config.json, figgy-dba.json, data_repl_conf.json...)

/** Default for `orchard.figgyJsonFiles`: every JSON file is checked for Figgy keys. */
export const DEFAULT_JSON_FILES: readonly string[] = ['**/*.json'];

/**
 * Which JSON files (other than figgy.json / figgy-secrets.json, always read) are checked for Figgy
 * content: globs matched against the file's whole path (`**\/ci-config.json`, `**\/deploy/*.json`).
 * An empty list narrows recognition to the two standard names.
 */
export function jsonCandidateMatcher(globs: readonly string[] = DEFAULT_JSON_FILES): (filePath: string) => boolean {
  const valid = globs.filter((g) => typeof g === 'string' && g.trim() !== '');
  if (valid.length === 0) return () => false;
  const isMatch = picomatch([...valid], { dot: true });
  return (filePath) => filePath.endsWith('.json') && isMatch(filePath.split(path.sep).join('/').replace(/^[A-Za-z]:/, '').replace(/^\/+/, ''));
}

/** A file's kind from its name, or for another JSON file the matcher accepts, from its content. */
export function classifyByContent(filePath: string, text: string, isCandidate: (p: string) => boolean = jsonCandidateMatcher()): FileKind | undefined {
  return classifyFile(filePath) ?? (isCandidate(filePath) ? classifyJsonText(text) : undefined);
}

/**
 * Paths of files that other figgy JSON files import (where figgy-cli reads them): such a file is
 * part of the importing one, never a service of its own.
 */
const importedMemo = new WeakMap<FiggyJsonModel, string[]>();

/** Files the models import (absolute paths). Per model once: the language server asks on every keystroke. */
export function importedPaths(models: FiggyJsonModel[]): Set<string> {
  const out = new Set<string>();
  for (const m of models) {
    if (!m.uri.startsWith('file:') || m.imports.length === 0) continue;
    let paths = importedMemo.get(m);
    if (!paths) {
      const file = toPath(m.uri).split(path.sep).join('/');
      paths = m.imports.map((imp) => path.resolve(importTarget(file, imp.value)));
      importedMemo.set(m, paths);
    }
    for (const p of paths) out.add(p);
  }
  return out;
}

export interface ScanOptions {
  /** Globs of JSON files recognised by content (see jsonCandidateMatcher); default every *.json. */
  jsonFiles?: readonly string[];
  /** Folders outside the scanned root that figgy.json imports may read. */
  allowImportsFrom?: string[];
  /** Globs (gitignore syntax) of files and folders not to read at all. */
  exclude?: readonly string[];
  /** Scan files for plaintext credentials (default true). */
  credentials?: boolean;
  /** List folders and read files synchronously (the CLI: nothing else runs meanwhile; see WalkOptions.syncIo). */
  syncIo?: boolean;
  /** The walk of `root`, when the caller already did it (`walkConfigFiles`, same options). */
  walk?: WalkResult;
  /**
   * Where parsing runs: the caller's pool (the caller closes it), none (`false`: this thread only),
   * or by default a pool of worker threads started for a tree of MIN_POOL_JOBS files or more.
   */
  pool?: ParsePool | false;
  /** Outcomes of earlier scans (model/parseCache.ts): unchanged files are not parsed again; saved when the scan ends. */
  cache?: ParseCache;
}

export interface ScannedFiles {
  python: PythonConfigModel[];
  figgyJson: FiggyJsonModel[];
  secrets: SecretsJsonModel[];
  /** Files that could not be read at all (permissions, vanished). Never fatal. */
  unreadable: { uri: string; message: string }[];
  /** Twelve-factor sources: charms, `.env`, compose, Helm values. */
  env: EnvFiles;
  /** Credentials found per file (files with none are left out). */
  credentials: FileCredentials[];
  /** The scanned folder(s), as uris. */
  roots: string[];
  /** git's view of Python and `.env` files (absent outside a work tree). */
  gitStatus?: Map<string, 'tracked' | 'ignored' | 'untracked'>;
  /** Fingerprints accepted in the root's baseline file. */
  baseline?: Set<string>;
  /** Files read besides the walked ones (figgy.json imports, the baseline file): absolute paths. */
  readBeyondWalk?: string[];
}

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function sizeError(bytes: number): ParseError {
  return {
    code: 'file-too-large',
    message: `file not analysed: ${(bytes / 1024 / 1024).toFixed(1)} MiB is above Orchard's ${MAX_FILE_BYTES / 1024 / 1024} MiB limit for config files`,
    range: FILE_START,
    severity: 'warning',
  };
}

/**
 * Every file Orchard reads under `root` (or `root` itself when it is such a file), sorted: Figgy
 * files by name, JSON files whose content decides (see ScanOptions.jsonFiles), and the
 * twelve-factor / credential kinds (model/files.ts), `.gitignore` and excludes honoured.
 */
export async function findConfigFiles(root: string, opts: ScanOptions = {}): Promise<string[]> {
  return (await walkConfigFiles(root, opts)).files;
}

/** Like findConfigFiles, with what `.gitignore` / the excludes cover and what git tracks. */
export function walkConfigFiles(root: string, opts: ScanOptions = {}): Promise<WalkResult> {
  const candidate = jsonCandidateMatcher(opts.jsonFiles);
  return walkWorkspace(root, { wanted: (p) => classifyFile(p) !== undefined || candidate(p), exclude: opts.exclude, syncIo: opts.syncIo });
}

/** What reading a config file gave: its text, a size error to show in its place, or why it could not be read. */
export type ConfigRead = { text: string } | ConfigFailure;
export type ConfigFailure = { error: ParseError } | { unreadable: string };

/** Reads a regular file unless it is too large; FIFOs, devices and directories are refused, never waited on. */
export async function readConfigFile(filePath: string): Promise<ConfigRead> {
  return configRead(await readRegularFile(filePath, { maxBytes: MAX_FILE_BYTES }));
}

/** readConfigFile for the scan: never rejects. */
function readForScan(f: string): Promise<ConfigRead> {
  return readConfigFile(f).catch((e: unknown): ConfigRead => ({ unreadable: e instanceof Error ? e.message : String(e) }));
}

/** readConfigFile without the thread pool (the CLI: see ScanOptions.syncIo). */
export function readConfigFileSync(filePath: string): ConfigRead {
  try {
    return configRead(readRegularFileSync(filePath, { maxBytes: MAX_FILE_BYTES }));
  } catch (e) {
    return { unreadable: e instanceof Error ? e.message : String(e) };
  }
}

/** Why a file named to be read (a compose `env_file`) was not: too large, or not readable (a FIFO, denied). */
export function notReadError(r: ConfigFailure): ParseError {
  return 'error' in r ? r.error : { code: 'file-unreadable', message: `env_file not read: ${r.unreadable}`, range: FILE_START, severity: 'warning' };
}

/** A read's outcome as the scan takes it (a file too large is a parse error in its place). */
export function configRead(r: ReadOutcome): ConfigRead {
  if (r.ok) return { text: r.text };
  if (r.reason === 'too-large') return { error: sizeError(r.size ?? MAX_FILE_BYTES + 1) };
  return { unreadable: r.reason === 'unreadable' || r.reason === 'missing' ? (r.code ?? r.message) : r.message };
}

/** Parses one file of a known kind from its text. Pure apart from the already-initialised parsers. */
export function parseFile(kind: FileKind, text: string, uri: string): PythonConfigModel | FiggyJsonModel | SecretsJsonModel {
  switch (kind) {
    case 'python':
      return parsePython(text, uri);
    case 'figgy-json':
      return parseFiggyJson(text, uri);
    case 'secrets-json':
      return parseSecretsJson(text, uri);
  }
}

import { isInside, resolveImports, type ImportPolicy } from './figgyImports';

export { MAX_IMPORTS, MAX_IMPORT_BYTES, isInside, resolveImports, type ImportPolicy } from './figgyImports';

/** The accepted credentials file at a workspace root (`orchard check --write-baseline`). */
export const BASELINE_FILE = '.orchard-baseline.json';

/** Fingerprints listed in a baseline file's text; malformed files accept nothing (never crash). */
export function parseBaseline(text: string): Set<string> {
  try {
    const j = JSON.parse(text) as { findings?: { fingerprint?: unknown }[] };
    return new Set((j.findings ?? []).map((f) => f.fingerprint).filter((x): x is string => typeof x === 'string'));
  } catch {
    return new Set();
  }
}

/**
 * Scans a folder tree (or a single file) and parses every file Orchard reads: Figgy declarations,
 * Python settings, charms, `.env`, compose, Helm values, CI files and sources (credentials). Never
 * throws on bad files. Imports may read inside `root` (its folder when it is a file) and
 * `allowImportsFrom`.
 */
/** Files read concurrently during a scan: enough to keep the disk busy, bounded in memory (each ≤ MAX_FILE_BYTES). */
const READ_AHEAD = 32;

export async function scanWorkspace(root: string, opts: ScanOptions = {}): Promise<ScannedFiles> {
  await initPython();
  const candidate = jsonCandidateMatcher(opts.jsonFiles);
  const walk = opts.walk ?? (await walkConfigFiles(root, opts));
  // Terraform files are read with a grammar of their own, loaded only when the tree holds one.
  await initTerraformFor(walk.files);
  const isFile = (await fs.stat(root).catch(() => undefined))?.isFile() ?? false;
  const rootDir = isFile ? path.dirname(path.resolve(root)) : path.resolve(root);
  const policy: ImportPolicy = { roots: [rootDir], allowed: opts.allowImportsFrom };
  const out: ScannedFiles = {
    python: [],
    figgyJson: [],
    secrets: [],
    unreadable: [],
    env: { charms: [], dotenv: [], compose: [], helm: [] },
    credentials: [],
    roots: [toUri(rootDir)],
  };
  const status = new Map<string, 'tracked' | 'ignored' | 'untracked'>();
  const allowlists = opts.credentials === false ? undefined : await loadAllowlists(rootDir, walk.top);
  // Parsing runs on worker threads as well as this one when the tree is large (model/parsePool.ts);
  // reads run ahead of the parsing (one await per file left the CPU idle for 40% of a cold check).
  // Files are still handled in walk order, so results stay deterministic. A large tree goes through
  // the pool also without workers (ORCHARD_PARSE_WORKERS=0, one core): its time slices give the
  // event loop a turn, where V8's garbage collector finishes the marking it started (2,000
  // services on one thread peaked at 159-166 MiB without the turns, 147-153 with them).
  const own = opts.pool === undefined && walk.files.length >= MIN_POOL_JOBS ? new ParsePool() : undefined;
  const pool = opts.pool || own;
  const ahead = pool ? POOL_AHEAD : READ_AHEAD;
  const prepared = new Map<number, Promise<Prepared>>();
  let aheadBytes = 0;
  const prepare = async (i: number): Promise<Prepared> => {
    const f = walk.files[i];
    const r = opts.syncIo ? readConfigFileSync(f) : await readForScan(f);
    const named = classifyFile(f);
    const p: Prepared = { uri: toUri(f), named, envKind: named ? undefined : classifyEnvFile(f), r };
    if ('text' in r) {
      const job: ParseJob = { uri: p.uri, text: r.text, named, jsonCandidate: !named && candidate(f), envKind: p.envKind, ...secretsScan(opts.credentials !== false && !walk.ignored.has(f), allowlists, f) };
      if (opts.cache) {
        p.key = ParseCache.keyOf(job);
        p.cached = opts.cache.lookup(job, p.key);
      }
      if (!p.cached) p.job = pool ? pool.submit(job) : job;
      aheadBytes += r.text.length;
    }
    return p;
  };
  try {
    for (let i = 0; i < walk.files.length; i++) {
      // Read ahead up to `ahead` files or POOL_AHEAD_BYTES of text; file i always.
      for (let j = i; j < Math.min(walk.files.length, i + ahead) && (j === i || aheadBytes < POOL_AHEAD_BYTES); j++) if (!prepared.has(j)) prepared.set(j, prepare(j));
      const p = await prepared.get(i)!;
      prepared.delete(i);
      if ('text' in p.r) aheadBytes -= p.r.text.length;
      await addScanned(out, status, walk.files[i], p, pool, policy, walk, opts.cache);
    }
  } finally {
    await own?.close();
  }
  const named = await addComposeEnvFiles(out, status, rootDir, walk, opts, policy, allowlists);
  await opts.cache?.save();
  // A file another one imports belongs to that one (unless it has a standard name).
  const imported = importedPaths(out.figgyJson);
  out.readBeyondWalk = [...imported, path.join(rootDir, BASELINE_FILE), ...allowlistCandidates(rootDir, walk.top), ...named];
  const standalone = (m: { uri: string }) => !imported.has(toPath(m.uri)) || classifyFile(toPath(m.uri)) !== undefined;
  out.figgyJson = out.figgyJson.filter(standalone);
  out.secrets = out.secrets.filter(standalone);
  if (walk.tracked) out.gitStatus = status;
  const baseline = await readRegularFile(path.join(rootDir, BASELINE_FILE), { maxBytes: LIMITS.configFile });
  if (baseline.ok) out.baseline = parseBaseline(baseline.text);
  if (walk.truncated) out.unreadable.push({ uri: toUri(rootDir), message: `more than ${MAX_WALK_FILES} files: the rest of the folder was not read` });
  return out;
}

/**
 * The files compose's `env_file` entries name under the root that the walk did not read, because
 * no convention names them (lemur's `docker/lemur-env`): read as compose reads them, as `.env`
 * files (model/composeBuild.ts composeEnvFiles). Returns every such path named, read or absent (a
 * warm check is not trusted once one appears).
 */
async function addComposeEnvFiles(out: ScannedFiles, status: Map<string, 'tracked' | 'ignored' | 'untracked'>, rootDir: string, walk: WalkResult, opts: ScanOptions, policy: ImportPolicy, allowlists: Allowlists | undefined): Promise<string[]> {
  const named = [...composeEnvFiles(out.env.compose, out.env.dotenv)].map(toPath).filter((f) => isInside(f, rootDir) && f !== rootDir);
  if (named.length === 0) return named;
  // (Read already by the walk when it is of a kind the walk reads: not again.)
  const walked = new Set(walk.files);
  for (const f of named.sort()) {
    if (walked.has(f)) continue;
    const st = await fs.stat(f).catch(() => undefined);
    // (Not there: the app's sources say so. A folder is not a file compose can read either.)
    if (!st || st.isDirectory()) continue;
    const ignored = ignoredBeyondWalk(f, rootDir, walk, opts.exclude);
    const w = ignored ? { ...walk, ignored: new Set([f]) } : walk;
    const r = opts.syncIo ? readConfigFileSync(f) : await readForScan(f);
    const uri = toUri(f);
    if (!('text' in r)) {
      addEnvFile(out, unreadDotenv(uri, notReadError(r)));
      continue;
    }
    const job: ParseJob = { uri, text: r.text, envKind: 'dotenv', composeEnv: true, ...secretsScan(opts.credentials !== false && !ignored, allowlists, f) };
    await addScanned(out, status, f, { uri, named: undefined, envKind: 'dotenv', r, job }, undefined, policy, w, undefined);
  }
  return named;
}

/** Whether a file is scanned for credentials, and what other scanners' files allow in it (model/allowlists.ts). */
export function secretsScan(scan: boolean, allowlists: Allowlists | undefined, file: string): Pick<ParseJob, 'scanSecrets' | 'credentialAllow'> {
  const allow = scan ? allowlistsFor(allowlists, file) : undefined;
  if (allow === 'skip') return { scanSecrets: false };
  return allow ? { scanSecrets: scan, credentialAllow: allow } : { scanSecrets: scan };
}

/** A file read for the scan, with its parse job (queued in the pool, or to run here). */
interface Prepared {
  uri: string;
  named: FileKind | undefined;
  /** The twelve-factor / credential kind of the path (when it is not a Figgy name). */
  envKind: EnvFileKind | undefined;
  r: ConfigRead;
  job?: ParseJob | Ticket;
  /** The parse cache's key of the job, and its outcome when the cache had it (no job then). */
  key?: string;
  cached?: ParseOutcome;
}

/** One file's models into the scan's lists (in walk order). */
async function addScanned(out: ScannedFiles, status: Map<string, 'tracked' | 'ignored' | 'untracked'>, f: string, p: Prepared, pool: ParsePool | undefined, policy: ImportPolicy, walk: WalkResult, cache: ParseCache | undefined): Promise<void> {
  const { uri, r } = p;
  const st = gitStatusOf(walk, f);
  let outcome: ParseOutcome;
  if (p.cached) outcome = p.cached;
  else if ('text' in r) {
    outcome = pool && p.job && 'settle' in p.job ? await pool.result(p.job) : runParseJob(p.job as ParseJob);
    if (cache && p.key) cache.remember(uri, p.key, outcome);
  } else {
    // Not read (gone, denied) or too large to read: said once, in the file's own place.
    if ('unreadable' in r) {
      if (p.named || p.envKind) out.unreadable.push({ uri, message: r.unreadable });
      return;
    }
    if (p.envKind) {
      out.credentials.push({ uri, findings: [], notices: [r.error] });
      return;
    }
    if (!p.named) return;
    const model = parseFile(p.named, '', uri);
    // A file too large to read is reported as that alone, not also as an empty document.
    model.errors = [r.error];
    outcome = p.named === 'python' ? { kind: 'python', model: model as PythonConfigModel, relevant: true } : ({ kind: p.named, model } as ParseOutcome);
  }
  switch (outcome.kind) {
    case 'none':
      return;
    case 'env':
      if (st && p.envKind === 'dotenv') status.set(uri, st);
      addEnvFile(out, outcome.env);
      return;
    case 'python': {
      const py = outcome.model;
      // A config.py that cannot be read is reported like an unreadable figgy.json, not passed over.
      const kept = outcome.relevant || (path.basename(f) === 'config.py' && py.errors.some((e) => e.code === 'binary-file'));
      if (kept) out.python.push(py);
      if (st) status.set(uri, st);
      // A skipped file (binary) is said once: by the Python model when it is kept, else by the scanner.
      if (outcome.credentials) out.credentials.push(withoutRepeatedNotices(outcome.credentials, kept ? py.errors : []));
      return;
    }
    case 'figgy-json':
      out.figgyJson.push(await resolveImports(outcome.model, readConfigFile, policy));
      return;
    case 'secrets-json':
      out.secrets.push(outcome.model);
  }
}

/** Languages whose programs read environment variables Orchard does not follow. */
const OTHER_CODE = /(?:\.(?:sh|bash|zsh|ksh|[cm]?js|jsx|[cm]?ts|tsx|go|rb|php|java|kt|kts|scala|rs|cs|groovy|pl|lua|ex|exs)|\/docker-entrypoint[^/]*|\/entrypoint[^/]*)$/i;

/** Files a twelve-factor / credential parse yields, into the scan's lists. */
export function addEnvFile(out: Pick<ScannedFiles, 'env' | 'credentials'>, m: EnvFileModel): void {
  const model = envModelOf(m);
  const list = envListOf(m.kind);
  if (model && list) ((out.env[list] ??= []) as EnvListModel[]).push(model);
  if (m.kind === 'source' && OTHER_CODE.test(m.uri)) (out.env.code ??= []).push(m.uri);
  if (m.kind === 'source' && /\/Chart\.ya?ml$/.test(m.uri)) (out.env.charts ??= []).push(m.uri.slice(0, m.uri.lastIndexOf('/')));
  if (m.credentials.findings.length || m.credentials.notices.length) out.credentials.push(m.credentials);
}
