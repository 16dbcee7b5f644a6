// Every rule in one list, and the one function that runs them: severity overrides, `off`, stable
// ordering, and isolation (a rule that throws becomes one internal-error finding; the others still run).
import type { Finding, Rule, RuleContext, Severity } from './types';
import { missingInEnv } from './rules/missingInEnv';
import { unknownInEnv } from './rules/unknownInEnv';
import { strayParameter } from './rules/strayParameter';
import { replicationSourceMissing } from './rules/replicationSourceMissing';
import { mergeRefUndeclared } from './rules/mergeRefUndeclared';
import { mergeStringForm } from './rules/mergeStringForm';
import { figgyJsonDrift } from './rules/figgyJsonDrift';
import { replicateFromFigsKey } from './rules/replicateFromFigsKey';
import { replicatedNameTwice } from './rules/replicatedNameTwice';
import { nonFigAttribute } from './rules/nonFigAttribute';
import { duplicateDeclaration, duplicateReplicationDestination } from './rules/duplicates';
import { leadingSlashName } from './rules/leadingSlashName';
import { nameOutsideTwig } from './rules/nameOutsideTwig';
import { secretDestinationUndeclared } from './rules/secretDestinationUndeclared';
import { brokenMergeValue } from './rules/brokenMergeValue';
import { lazyLoadOutsideLocal } from './rules/lazyLoadOutsideLocal';
import { legacyKey } from './rules/legacyKey';
import { envParseError, parseError, PARSE_ERROR } from './rules/parseError';
import { staleReplica } from './rules/staleReplica';
import { ZERO_RANGE } from './rules/util';
import { envNotProvided } from './rules/env/notProvided';
import { envNameMismatch } from './rules/env/nameMismatch';
import { envUnused } from './rules/env/unused';
import { envInsecureDefault } from './rules/env/insecureDefault';
import { envEnvironmentLogged, envSecretLogged } from './rules/env/logged';
import { envLocalSecretsFile } from './rules/env/localSecretsFile';
import { envPlaceholderValue } from './rules/env/placeholderValue';
import { CREDENTIAL_RULES } from './rules/credentials';
import { CHARM_RULES } from './rules/env/charm';
import { settle } from './settle';

export const INTERNAL_ERROR = 'internal-error';

/** The Figgy rules (config.py, figgy.json, figgy-secrets.json against the stores). */
export const FIGGY_RULES: readonly Rule[] = [
  parseError,
  missingInEnv,
  unknownInEnv,
  strayParameter,
  replicationSourceMissing,
  staleReplica,
  brokenMergeValue,
  mergeRefUndeclared,
  mergeStringForm,
  figgyJsonDrift,
  replicateFromFigsKey,
  replicatedNameTwice,
  nonFigAttribute,
  duplicateDeclaration,
  duplicateReplicationDestination,
  leadingSlashName,
  nameOutsideTwig,
  secretDestinationUndeclared,
  lazyLoadOutsideLocal,
  legacyKey,
];

/** The twelve-factor rules: apps, their variables and sources. */
export const ENV_RULES: readonly Rule[] = [
  envParseError,
  envNotProvided,
  envNameMismatch,
  envUnused,
  envInsecureDefault,
  envSecretLogged,
  envEnvironmentLogged,
  envLocalSecretsFile,
  envPlaceholderValue,
  ...CHARM_RULES,
];

export const ALL_RULES: readonly Rule[] = [...FIGGY_RULES, ...ENV_RULES, ...CREDENTIAL_RULES];

export interface RunOptions {
  /** Skip rules that need backend state (untrusted workspace, no store configured). */
  parseOnly?: boolean;
  /** Rules to run instead of ALL_RULES (tests, plugins). */
  rules?: readonly Rule[];
}

function firstUri(ctx: RuleContext): string {
  const ws = ctx.workspace;
  const uris = [...ws.pythonFiles.map((m) => m.uri), ...ws.figgyJsonFiles.map((m) => m.uri), ...ws.secretsFiles.map((m) => m.uri)].sort();
  return uris[0] ?? '';
}

/** The order of `runRules` output: uri, start position, code, message (stable otherwise). */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export function runRules(ctx: RuleContext, opts: RunOptions = {}): Finding[] {
  const sev: Record<string, Severity> = ctx.settings.severities ?? {};
  const out: Finding[] = [];
  for (const rule of opts.rules ?? ALL_RULES) {
    if (sev[rule.code] === 'off') continue;
    if (rule.needsBackend && (opts.parseOnly || ctx.envStates.size === 0)) continue;
    let found: Finding[];
    try {
      found = rule.run(ctx);
      settle(found);
    } catch (e) {
      // The error's text may quote user data; only its class name is kept.
      const kind = e instanceof Error ? e.name : typeof e;
      out.push({
        code: INTERNAL_ERROR,
        severity: 'error',
        message: `Orchard's rule ${rule.code} failed internally (${kind}); its findings are missing, the other rules ran normally`,
        uri: firstUri(ctx),
        range: ZERO_RANGE,
      });
      continue;
    }
    for (const f of found) {
      // A finding's own code wins (parse errors carry theirs), then the rule's code.
      const o = sev[f.code] ?? (f.code !== rule.code ? sev[rule.code] : undefined);
      if (o === 'off') continue;
      out.push(o ? { ...f, severity: o } : f);
    }
  }
  return out.sort(compareFindings);
}

export interface RuleDoc {
  code: string;
  defaultSeverity: Rule['defaultSeverity'];
  description: string;
  needsBackend: boolean;
}

/** One entry per rule, in code order, for docs, `orchard rules` and the settings schema. */
export function ruleDocs(): RuleDoc[] {
  return ALL_RULES.map((r) => ({ code: r.code, defaultSeverity: r.defaultSeverity, description: r.description, needsBackend: r.needsBackend })).sort((a, b) =>
    a.code.localeCompare(b.code),
  );
}

export { PARSE_ERROR };
export { presenceOf } from './presence';
