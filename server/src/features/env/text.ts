// Text helpers of the twelve-factor features.
import { fileNameOf } from '../../model/uris';
import { decodePercent } from '../../parse/text';

export const REDACTED_VALUE = '••••••';

/** Markdown-safe inline code for names and paths (never for secret values). */
export function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s}${ticks}`;
}

/** A file uri relative to a folder uri (`app/settings.py`), or its file name when outside it. */
export function relPath(root: string, uri: string): string {
  const r = root.endsWith('/') ? root : `${root}/`;
  return uri.startsWith(r) ? decodePercent(uri.slice(r.length)) : fileNameOf(uri);
}

/** A provided value's detail shown beside its source's label, without saying the label again (`.env (compose web env_file)` beside `.env`: `compose web env_file`; `.env` beside `.env`: nothing). */
export function besideLabel(detail: string, label: string): string {
  if (detail === label) return '';
  return detail.startsWith(`${label} (`) && detail.endsWith(')') ? detail.slice(label.length + 2, -1) : detail;
}
