// Reads a folder tree from disk and turns the files Orchard understands into parsed models.
// The only model-layer code that touches the file system; the LSP feeds open documents itself.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { initPython, parsePython } from '../parse/python';
import picomatch from 'picomatch';
import { classifyJsonText, importTarget, parseFiggyJson, mergeFiggyJson } from '../parse/figgyJson';
import { parseSecretsJson } from '../parse/secretsJson';
import type { FiggyJsonModel, ParseError, PythonConfigModel, SecretsJsonModel } from '../parse/types';

/** Folders never worth descending into. */
const SKIP_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', '.venv', 'venv', 'env', '__pycache__', '.tox', '.mypy_cache',
  '.pytest_cache', 'site-packages', 'dist', 'build', '.cache', '.e2e', '.idea', '.vscode-test',
]);

/** Files above this size are reported, not read: a config file that large is a mistake or not a config file. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type FileKind = 'python' | 'figgy-json' | 'secrets-json';

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
export function importedPaths(models: FiggyJsonModel[]): Set<string> {
  const out = new Set<string>();
  for (const m of models) {
    if (!m.uri.startsWith('file:')) continue;
    const file = toPath(m.uri).split(path.sep).join('/');
    for (const imp of m.imports) out.add(path.resolve(importTarget(file, imp.value)));
  }
  return out;
}

export interface ScanOptions {
  /** Globs of JSON files recognised by content (see jsonCandidateMatcher); default every *.json. */
  jsonFiles?: readonly string[];
}

export interface ScannedFiles {
  python: PythonConfigModel[];
  figgyJson: FiggyJsonModel[];
  secrets: SecretsJsonModel[];
  /** Files that could not be read at all (permissions, vanished). Never fatal. */
  unreadable: { uri: string; message: string }[];
}

export function toUri(filePath: string): string {
  return pathToFileURL(path.resolve(filePath)).href;
}

export function toPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

function sizeError(bytes: number): ParseError {
  return {
    code: 'file-too-large',
    message: `file not analysed: ${(bytes / 1024 / 1024).toFixed(1)} MiB is above Orchard's ${MAX_FILE_BYTES / 1024 / 1024} MiB limit for config files`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 'warning',
  };
}

/**
 * Every file of a kind Orchard parses under `root` (or `root` itself when it is such a file), sorted:
 * by name, and JSON files whose content decides (see ScanOptions.jsonFiles).
 */
export async function findConfigFiles(root: string, opts: ScanOptions = {}): Promise<string[]> {
  const candidate = jsonCandidateMatcher(opts.jsonFiles);
  const wanted = (p: string) => classifyFile(p) !== undefined || candidate(p);
  const out: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    if (depth > 25) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(p, depth + 1);
      } else if (e.isFile() && wanted(p)) out.push(p);
    }
  }
  const st = await fs.stat(root).catch(() => undefined);
  if (st?.isFile()) return wanted(root) ? [root] : [];
  await walk(root, 0);
  return out.sort();
}

/** Reads a file unless it is too large; returns the text or the reason it was not read. */
export async function readConfigFile(filePath: string): Promise<{ text: string } | { error: ParseError } | { unreadable: string }> {
  try {
    const st = await fs.stat(filePath);
    if (st.size > MAX_FILE_BYTES) return { error: sizeError(st.size) };
    return { text: await fs.readFile(filePath, 'utf8') };
  } catch (e) {
    return { unreadable: (e as NodeJS.ErrnoException).code ?? 'read failed' };
  }
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

/** True when a Python model is worth keeping in the workspace index. */
export function isRelevantPython(m: PythonConfigModel): boolean {
  return m.importsFiggy || m.classes.length > 0 || m.lazyLoadCalls.length > 0;
}

/**
 * Resolves a figgy.json's `import` list (relative to the file) and merges the imported files in.
 * `read` is injected so the language server can serve open documents' unsaved text.
 */
export async function resolveImports(
  model: FiggyJsonModel,
  read: (filePath: string) => Promise<{ text: string } | { error: ParseError } | { unreadable: string }>,
): Promise<FiggyJsonModel> {
  if (model.imports.length === 0) return model;
  const file = toPath(model.uri);
  const imported: FiggyJsonModel[] = [];
  const errors: ParseError[] = [];
  for (const imp of model.imports) {
    // figgy-cli reads imports from the folder named after the file (figgy/figgy.json → figgy/figgy/).
    const target = path.resolve(importTarget(file.split(path.sep).join('/'), imp.value));
    const r = await read(target);
    const beside = path.resolve(path.dirname(file), imp.value);
    if ('text' in r) {
      imported.push(parseFiggyJson(r.text, toUri(target)));
      // A file of that name next to this one too: figgy-cli never reads it (a common mix-up).
      if (beside !== target && 'text' in (await read(beside))) {
        errors.push({
          code: 'json-import-beside',
          message: `figgy-cli reads ${imp.value} from ${path.relative(path.dirname(file), target)}; the ${imp.value} next to ${path.basename(file)} is not read`,
          range: imp.range,
          severity: 'info',
        });
      }
    } else {
      const why = 'error' in r ? r.error.message : r.unreadable;
      const besideExists = beside !== target && 'text' in (await read(beside));
      const folder = path.relative(path.dirname(file), path.dirname(target)) || '.';
      const message = besideExists
        ? `figgy-cli reads ${imp.value} from ${folder}/ (the folder named after ${path.basename(file)} without .json), not from next to ${path.basename(file)}: the file there is ignored and figgy-cli stops (${why}); move it to ${path.relative(path.dirname(file), target)}`
        : `cannot read imported file ${imp.value}: figgy-cli looks for it at ${path.relative(path.dirname(file), target)} (${why})`;
      errors.push({ code: 'json-import-unreadable', message, range: imp.range, severity: 'error' });
    }
  }
  const merged = mergeFiggyJson(model, imported);
  return errors.length ? { ...merged, errors: [...merged.errors, ...errors] } : merged;
}

/** Scans a folder tree (or a single file) and parses every config file found. Never throws on bad files. */
export async function scanWorkspace(root: string, opts: ScanOptions = {}): Promise<ScannedFiles> {
  await initPython();
  const files = await findConfigFiles(root, opts);
  const candidate = jsonCandidateMatcher(opts.jsonFiles);
  const out: ScannedFiles = { python: [], figgyJson: [], secrets: [], unreadable: [] };
  for (const f of files) {
    const named = classifyFile(f);
    const uri = toUri(f);
    const r = await readConfigFile(f);
    if ('unreadable' in r) {
      if (named) out.unreadable.push({ uri, message: r.unreadable });
      continue;
    }
    // Other JSON files are Figgy files only when their content says so.
    const kind = named ?? ('text' in r ? classifyByContent(f, r.text, candidate) : undefined);
    if (!kind) continue;
    const model = parseFile(kind, 'text' in r ? r.text : '', uri);
    // A file too large to read is reported as that alone, not also as an empty document.
    if ('error' in r) model.errors = [r.error];
    if (kind === 'python') {
      const py = model as PythonConfigModel;
      if (isRelevantPython(py) || 'error' in r) out.python.push(py);
    } else if (kind === 'figgy-json') {
      out.figgyJson.push(await resolveImports(model as FiggyJsonModel, readConfigFile));
    } else {
      out.secrets.push(model as SecretsJsonModel);
    }
  }
  // A file another one imports belongs to that one (unless it has a standard name).
  const imported = importedPaths(out.figgyJson);
  const standalone = (m: { uri: string }) => !imported.has(toPath(m.uri)) || classifyFile(toPath(m.uri)) !== undefined;
  out.figgyJson = out.figgyJson.filter(standalone);
  out.secrets = out.secrets.filter(standalone);
  return out;
}
