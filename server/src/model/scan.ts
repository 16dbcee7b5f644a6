// Reads a folder tree from disk and turns the files Orchard understands into parsed models.
// The only model-layer code that touches the file system; the LSP feeds open documents itself.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { initPython, parsePython } from '../parse/python';
import { parseFiggyJson, mergeFiggyJson } from '../parse/figgyJson';
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

/** Every file of a kind Orchard parses under `root` (or `root` itself when it is such a file), sorted. */
export async function findConfigFiles(root: string): Promise<string[]> {
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
      } else if (e.isFile() && classifyFile(p)) out.push(p);
    }
  }
  const st = await fs.stat(root).catch(() => undefined);
  if (st?.isFile()) return classifyFile(root) ? [root] : [];
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
  const dir = path.dirname(toPath(model.uri));
  const imported: FiggyJsonModel[] = [];
  const errors: ParseError[] = [];
  for (const imp of model.imports) {
    const target = path.resolve(dir, imp.value);
    const r = await read(target);
    if ('text' in r) {
      imported.push(parseFiggyJson(r.text, toUri(target)));
    } else {
      const why = 'error' in r ? r.error.message : r.unreadable;
      errors.push({ code: 'json-import-unreadable', message: `cannot read imported file ${imp.value}: ${why}`, range: imp.range, severity: 'error' });
    }
  }
  const merged = mergeFiggyJson(model, imported);
  return errors.length ? { ...merged, errors: [...merged.errors, ...errors] } : merged;
}

/** Scans a folder tree (or a single file) and parses every config file found. Never throws on bad files. */
export async function scanWorkspace(root: string): Promise<ScannedFiles> {
  await initPython();
  const files = await findConfigFiles(root);
  const out: ScannedFiles = { python: [], figgyJson: [], secrets: [], unreadable: [] };
  for (const f of files) {
    const kind = classifyFile(f)!;
    const uri = toUri(f);
    const r = await readConfigFile(f);
    if ('unreadable' in r) {
      out.unreadable.push({ uri, message: r.unreadable });
      continue;
    }
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
  return out;
}
