// A local override file for development secrets (Diffgram's `secrets.py`, `local_settings.py`) must
// never be committed: it sets real values. Reported when git tracks it, or when `.gitignore` does not
// cover it (the next `git add .` commits it). Outside a git work tree nothing can be told.
import type { Finding, Rule } from '../../types';
import { isSensitiveName } from '../../../parse/sensitive';
import { ZERO_RANGE } from '../util';
import { fileNameOf } from '../../../model/uris';

const CODE = 'env-local-secrets-file';

/** File names used for local, uncommitted settings overrides. */
export function isLocalSecretsFileName(uri: string): boolean {
  const base = uri.slice(uri.lastIndexOf('/') + 1).toLowerCase();
  return /^(\.?secrets?|local_settings|settings_local|secret_settings|settings_secret|local_secrets|secrets_local|credentials)\.py$/.test(base) || /_secrets?\.py$/.test(base);
}

export const envLocalSecretsFile: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'A secrets.py-style local override file that sets secrets is committed to git or not covered by .gitignore.',
  needsBackend: false,
  run(ctx) {
    const ws = ctx.workspace;
    const status = ws.gitStatus;
    if (!status) return [];
    const out: Finding[] = [];
    for (const f of ws.pythonFiles) {
      if (!isLocalSecretsFileName(f.uri)) continue;
      const sets = (f.env?.writes ?? []).filter((w) => w.name.name && isSensitiveName(w.name.name));
      const consts = (f.env?.consts ?? []).filter((c) => isSensitiveName(c.name));
      if (sets.length === 0 && consts.length === 0) continue;
      const st = status.get(f.uri);
      if (st !== 'tracked' && st !== 'untracked') continue;
      const names = [...new Set([...sets.map((w) => w.name.name!), ...consts.map((c) => c.name)])];
      const base = fileNameOf(f.uri);
      out.push({
        code: CODE,
        severity: st === 'tracked' ? 'error' : 'warning',
        message:
          st === 'tracked'
            ? `${base} sets ${names.slice(0, 3).join(', ')}${names.length > 3 ? '…' : ''} and is committed to git: remove it from the repository (git rm --cached) and add it to .gitignore`
            : `${base} sets ${names.slice(0, 3).join(', ')}${names.length > 3 ? '…' : ''} but .gitignore does not cover it: the next "git add ." commits it`,
        uri: f.uri,
        range: ZERO_RANGE,
        data: { fix: 'gitignore', file: f.uri },
      });
    }
    return out;
  },
};
