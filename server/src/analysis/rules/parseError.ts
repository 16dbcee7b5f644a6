// Parser errors (syntax, twig-unresolved, json-*...) become findings with their own code, so every
// problem reaches the user through one path and each code can be configured like a rule.
import type { Finding, Rule } from '../types';
import type { ParseError } from '../../parse/types';
import { isNameTwiceError } from './util';
import { ENV_LISTS, type EnvListModel } from '../../model/types';

export const PARSE_ERROR = 'parse-error';

function toFinding(uri: string, e: ParseError): Finding {
  // Errors inside an imported file carry that file's uri.
  const f: Finding = { code: e.code, severity: e.severity, message: e.message, uri: e.uri ?? uri, range: e.range };
  if (e.related?.length) f.related = e.related.map((r) => ({ uri: r.uri ?? uri, range: r.range, message: r.message }));
  return f;
}

export const parseError: Rule = {
  code: PARSE_ERROR,
  defaultSeverity: 'error',
  description: 'Problems found while parsing Figgy files (syntax, twig-unresolved, json-*, ...), reported under their own codes.',
  needsBackend: false,
  run(ctx) {
    const ws = ctx.workspace;
    const out: Finding[] = [];
    for (const py of ws.pythonFiles) {
      for (const e of py.errors) out.push(toFinding(py.uri, e));
      for (const cls of py.classes) {
        for (const fig of cls.figs) {
          // name-twice has its own rule with a fix; the others surface here.
          for (const e of fig.argErrors) if (!isNameTwiceError(e.code)) out.push(toFinding(py.uri, e));
        }
      }
    }
    for (const fj of ws.figgyJsonFiles) for (const e of fj.errors) out.push(toFinding(fj.uri, e));
    for (const s of ws.secretsFiles) for (const e of s.errors) out.push(toFinding(s.uri, e));
    return out;
  },
};

export const ENV_PARSE_ERROR = 'env-parse-error';

/** One finding per parse error object (each belongs to one file's model): unchanged files give the very same findings on every run. */
const envFindings = new WeakMap<ParseError, Finding>();

function envFinding(uri: string, e: ParseError): Finding {
  let f = envFindings.get(e);
  if (!f) envFindings.set(e, (f = toFinding(uri, e)));
  return f;
}

/**
 * The twelve-factor sources' and scanned files' parse errors (charm, `.env`, compose, Helm values, Dockerfiles, app.json, render.yaml, app specs;
 * skipped-file notices). A rule of its own because these files are not in the Figgy slices the
 * editor re-runs `parse-error` on (analysis/incremental.ts): this one runs over the whole workspace.
 */
export const envParseError: Rule = {
  code: ENV_PARSE_ERROR,
  defaultSeverity: 'error',
  description: 'Problems found while reading charm files, .env, compose, Helm values, Dockerfiles, Heroku app.json, Render Blueprints and DigitalOcean app specs, files skipped by the credential scan, and what of a .gitleaks.toml, .secrets.baseline, .gitguardian.yaml or .github/secret_scanning.yml cannot be applied (dotenv-syntax, dotenv-duplicate-key, compose-*, charm-*, app-json-*, render-env, binary-file, gitleaks-config, secrets-baseline, ggshield-config, secret-scanning-config, ...), reported under their own codes.',
  needsBackend: false,
  run(ctx) {
    const ws = ctx.workspace;
    const out: Finding[] = [];
    const env = ws.envFiles;
    for (const m of ENV_LISTS.flatMap((k): readonly EnvListModel[] => env?.[k] ?? [])) {
      for (const e of m.errors) out.push(envFinding(m.uri, e));
    }
    for (const c of ws.credentials ?? []) for (const e of c.notices) out.push(envFinding(c.uri, e));
    return out;
  },
};
