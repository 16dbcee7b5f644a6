// A sensitive setting with a hard-coded fallback in code: `SECRET_KEY = os.environ.get('SECRET_KEY',
// 'secret_key')`. A deployment that forgets the variable runs with a secret anyone can read in the
// repository. Reported on the default itself, which is what the fix removes. In test code (a
// conftest.py's `os.environ.get("API_PASSWORD", "test")`) and development settings (a settings
// package's `dev.py`, a django-configurations class only development, tests or a build use:
// parse/pythonEnvConfigClasses.ts) nothing is deployed: info, said so.
import type { Finding, Rule } from '../../types';
import { isPlaceholderValue } from '../../../parse/sensitive';
import { isIdentifierValue, isNotSecretShape } from '../../../parse/credentials/values';
import { classifyName } from '../../../parse/credentials/names';
import { isDevelopmentSettingsPath, isTestPath } from '../util';

const CODE = 'env-insecure-default';
/** Words of a value that stands in for a secret (`secret`, `dev-token`, `changeme`, `insecure-key`). */
const STAND_IN = /secret|token|pass|pwd|key|change[-_ ]?me|dummy|insecure|default/i;
/** A value that says no key is set (`NO_API_KEY`, `none`, `not-configured`, `disabled`). */
const NONE_SAID = /^(?:no|none|not[-_ ]?(?:set|configured|provided|given)|unset|missing|disabled)(?:[-_ ][\w-]{0,40})?$/i;

export const envInsecureDefault: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'A sensitive variable (SECRET, PASSWORD, TOKEN, KEY...) falls back to a hard-coded value in code when unset.',
  needsBackend: false,
  perApp: true,
  run(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const app of ctx.workspace.apps ?? []) {
      for (const r of app.reads) {
        const d = r.read.default;
        if (!r.sensitive || !d || typeof d.value !== 'string' || d.value === '') continue;
        // A number, a boolean, a path or a URL without credentials is a setting, not a secret.
        if (!isPlaceholderValue(d.value) && isNotSecretShape(d.value)) continue;
        // `LDAP_EMAIL_KEY` → "mail": on a key or token name a word is an identifier, not the key;
        // not on a secret's name (`SECRET_KEY` → "secret") nor a word that stands in for a secret.
        // Nor is a value that says there is none (`"NO_API_KEY"`, `"not-set"`): a client's key to
        // another service that fails until given, not a secret the app signs with.
        if (classifyName(r.name) !== 'password' && !/secret/i.test(r.name) && ((isIdentifierValue(d.value) && !STAND_IN.test(d.value)) || NONE_SAID.test(d.value))) continue;
        const key = `${r.uri}#${d.range.start.line}:${d.range.start.character}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const kind = isPlaceholderValue(d.value) ? 'a placeholder' : 'a hard-coded value';
        const lower = isTestPath(r.uri, ctx.workspace.roots) ? 'test code' : isDevelopmentSettingsPath(r.uri, ctx.workspace.roots) || r.read.devOnly ? 'development settings' : undefined;
        out.push({
          code: CODE,
          severity: lower ? 'info' : 'warning',
          message: `${r.name} falls back to ${kind} when the variable is unset: a deployment that forgets it runs with a secret written in the repository. Drop the default so start-up fails, or generate the value.${lower ? ` (${lower}: lower severity)` : ''}`,
          uri: r.uri,
          range: d.range,
          data: { fix: 'remove-default' },
        });
      }
    }
    return out;
  },
};
