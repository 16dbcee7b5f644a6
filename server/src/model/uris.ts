// File paths ↔ file: URIs, the model's file identities. Kept apart from scan.ts so that what only
// prints paths (the CLI's output, its warm-check path) does not load the parsers.
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { decodePercent } from '../parse/text';

export function toUri(filePath: string): string {
  return pathToFileURL(path.resolve(filePath)).href;
}

export function toPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** The folder of a uri (`file:///a/b.py` → `file:///a`). */
export function dirOf(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i < 0 ? '' : uri.slice(0, i);
}

/** A uri's last segment as people read it: what labels and messages show. */
export function fileNameOf(uri: string): string {
  return decodePercent(uri.slice(uri.lastIndexOf('/') + 1));
}

/** Whether `uri` is the folder `folder` or below it. */
export function isUnder(uri: string, folder: string): boolean {
  return uri === folder || uri.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
}

/** The innermost of `roots` (workspace folder uris) holding `uri`, without a trailing slash; undefined when none does. */
export function innermostRoot(uri: string, roots: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const r of roots) {
    const root = r.replace(/\/+$/, '');
    if ((uri === root || uri.startsWith(`${root}/`)) && root.length > (best?.length ?? -1)) best = root;
  }
  return best;
}
