// figgy.json imports: each imported file read once, at most MAX_IMPORTS files and MAX_IMPORT_BYTES
// of text per figgy.json, a self-import a cycle, nothing outside the workspace folders unless the
// user allowed the folder. The reader is the caller's (model/scan.ts readConfigFile, the language
// server's open documents first).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { toPath, toUri } from './uris';
import { importTarget, mergeFiggyJson, parseFiggyJson } from '../parse/figgyJson';
import type { FiggyJsonModel, ParseError } from '../parse/types';
import type { ConfigRead } from './scan';

/** At most this many files are imported into one figgy.json (figgy-cli reads imports one level deep). */
export const MAX_IMPORTS = 64;
/** At most this much imported text per figgy.json, all imports together. */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;
/** Import problems reported one by one; beyond this they are counted in one summary. */
const MAX_IMPORT_ERRORS = 20;

export interface ImportPolicy {
  /**
   * Folders imports may read from (the workspace folders). A target outside all of them, after
   * resolving `..` and symbolic links, is refused and not read. Empty: the importing file's folder.
   */
  roots: string[];
  /** Extra folders the user allowed (`allowImportsFrom` in the user config, `--allow-imports-from`). */
  allowed?: string[];
}

/** Whether `child` is `parent` or below it. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

async function realOrResolved(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch {
    // Not on disk (an unsaved buffer, or missing): containment is then judged on the path as written.
    return path.resolve(p);
  }
}

/**
 * Resolves a figgy.json's `import` list (relative to the file) and merges the imported files in.
 * Each distinct file is read once; a file importing itself is a cycle (reported, not read); at most
 * MAX_IMPORTS files and MAX_IMPORT_BYTES of text are read; targets outside the policy's folders
 * (`..`, absolute paths, symbolic links out) are refused without being read, so nothing of theirs
 * (not even key names) reaches a finding. Imports of imported files are not followed (figgy-cli does
 * not follow them either), so the depth is one. `read` is injected so the language server can serve
 * open documents' unsaved text.
 */
export async function resolveImports(
  model: FiggyJsonModel,
  read: (filePath: string) => Promise<ConfigRead>,
  policy: ImportPolicy = { roots: [] },
): Promise<FiggyJsonModel> {
  if (model.imports.length === 0) return model;
  const file = toPath(model.uri);
  const dir = path.dirname(file);
  const selfReal = await realOrResolved(file);
  const rootList = policy.roots.length ? policy.roots : [dir];
  const roots = await Promise.all([...rootList, ...(policy.allowed ?? [])].map(realOrResolved));
  const imported: FiggyJsonModel[] = [];
  const errors: ParseError[] = [];
  const seen = new Set<string>();
  /** A list may name one file thousands of times: resolve each spelling once. */
  const reals = new Map<string, string>();
  let bytes = 0;
  let skipped = 0;
  let unreported = 0;
  for (const imp of model.imports) {
    const fail = (code: string, message: string, severity: ParseError['severity'] = 'error') => {
      if (errors.length < MAX_IMPORT_ERRORS) errors.push({ code, message, range: imp.range, severity });
      else unreported++;
    };
    if (typeof imp.value !== 'string' || imp.value === '' || imp.value.includes('\0')) {
      fail('json-import-unreadable', 'an import must name a file');
      continue;
    }
    // figgy-cli reads imports from the folder named after the file (figgy/figgy.json → figgy/figgy/).
    const target = path.resolve(importTarget(file.split(path.sep).join('/'), imp.value));
    const beside = path.resolve(dir, imp.value);
    let real = reals.get(target);
    if (real === undefined) reals.set(target, (real = await realOrResolved(target)));
    if (real === selfReal) {
      fail('json-import-cycle', `${imp.value} is this file itself: an import cycle; it is not read again`);
      continue;
    }
    if (!roots.some((r) => isInside(real, r))) {
      fail(
        'json-import-outside',
        `${imp.value} is outside the workspace folder${real !== target ? ' (through a symbolic link)' : ''}; Orchard does not read it (allow a folder with "allowImportsFrom" in your Orchard config or --allow-imports-from)`,
      );
      continue;
    }
    if (seen.has(real)) {
      fail('json-import-repeated', `${imp.value} is already imported above; each file is read once`, 'warning');
      continue;
    }
    seen.add(real);
    if (imported.length >= MAX_IMPORTS || bytes >= MAX_IMPORT_BYTES) {
      skipped++;
      continue;
    }
    // A file of that name beside this one: figgy-cli never reads it (a common mix-up). Only looked
    // at inside the allowed folders, like the import itself.
    const besideReadable = async () => beside !== target && roots.some((r) => isInside(beside, r)) && 'text' in (await read(beside));
    const r = await read(target);
    if ('text' in r) {
      bytes += r.text.length;
      if (bytes > MAX_IMPORT_BYTES) {
        skipped++;
        continue;
      }
      imported.push(parseFiggyJson(r.text, toUri(target)));
      if (await besideReadable()) {
        fail('json-import-beside', `figgy-cli reads ${imp.value} from ${path.relative(dir, target)}; the ${imp.value} next to ${path.basename(file)} is not read`, 'info');
      }
    } else {
      const why = 'error' in r ? r.error.message : r.unreadable;
      const folder = path.relative(dir, path.dirname(target)) || '.';
      fail(
        'json-import-unreadable',
        (await besideReadable())
          ? `figgy-cli reads ${imp.value} from ${folder}/ (the folder named after ${path.basename(file)} without .json), not from next to ${path.basename(file)}: the file there is ignored and figgy-cli stops (${why}); move it to ${path.relative(dir, target)}`
          : `cannot read imported file ${imp.value}: figgy-cli looks for it at ${path.relative(dir, target)} (${why})`,
      );
    }
  }
  if (unreported > 0) {
    errors.push({
      code: 'json-import-unreadable',
      message: `${unreported} more import problem(s) like the ones above are not listed one by one`,
      range: model.imports[model.imports.length - 1].range,
      severity: 'error',
    });
  }
  if (skipped > 0) {
    errors.push({
      code: 'json-import-limit',
      message: `${skipped} more import(s) not read: Orchard reads at most ${MAX_IMPORTS} files and ${MAX_IMPORT_BYTES / 1024 / 1024} MiB of imports per figgy.json`,
      range: model.imports[0].range,
      severity: 'error',
    });
  }
  let merged: FiggyJsonModel;
  try {
    merged = mergeFiggyJson(model, imported);
  } catch (e) {
    // Merging is pure and bounded by the caps above; should it still fail, say so instead of crashing.
    merged = { ...model, errors: [...model.errors, { code: 'json-import-unreadable', message: `imports could not be merged (${e instanceof Error ? e.name : 'error'})`, range: model.imports[0].range, severity: 'error' }] };
  }
  return errors.length ? { ...merged, errors: [...merged.errors, ...errors] } : merged;
}

