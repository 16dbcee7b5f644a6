// What rules read and what they return. Rules are pure: (context) → findings.
import type { ParameterMeta, StoreFailure } from '../store/types';
import type { SourceRef, WorkspaceModel } from '../model/types';
import type { Range } from '../parse/types';

export type Severity = 'error' | 'warning' | 'info' | 'hint' | 'off';

/** What a backend told us about one environment, gathered before rules run (rules never do I/O). */
export interface EnvState {
  env: string;
  /** Metadata of every parameter seen (twig listings and looked-up sources). */
  params: Map<string, ParameterMeta>;
  /** Prefixes listed completely: absence of a path under one of these means "missing". */
  listedPrefixes: string[];
  /** Names looked up one by one (batched) and found absent. */
  knownMissing: Set<string>;
  /** Prefixes or names that could not be read, with why. Anything under them is "unknown". */
  failures: { prefix: string; failure: StoreFailure }[];
  /** Merged parameters whose stored value holds Figgy's "Cannot complete merge key" text. */
  brokenMerges: Set<string>;
}

export type Presence =
  | { state: 'present'; meta: ParameterMeta }
  | { state: 'missing' }
  | { state: 'unknown'; failure?: StoreFailure };

export interface RelatedInfo extends SourceRef {
  message: string;
}

/** Data a code action needs to fix a finding; plain JSON. */
export type FixData =
  | {
      fix: 'add-parameter';
      path: string;
      envs: string[];
      likelySecret: boolean;
      /** How the parameter comes to exist: only `app` (and a replication source) is typed in by the user. */
      origin?: import('../model/types').ExpectedOrigin | 'replication-source';
    }
  | { fix: 'merge-to-list'; dest: string }
  | { fix: 'rename-key'; from: string; to: string }
  /** Replace the JSON string at the finding's range (quotes included) with `value`. */
  | { fix: 'replace-string'; value: string }
  | { fix: 'replicated-args' }
  | { fix: 'declare-shared'; path: string; serviceId: string }
  | { fix: 'regenerate-figgy-json'; serviceId: string }
  | { fix: 'prune'; paths: string[]; env: string }
  // Twelve-factor apps
  | { fix: 'add-variable'; name: string; appId: string; sensitive: boolean }
  | { fix: 'rename-read'; to: string }
  | { fix: 'remove-default' }
  | { fix: 'wrap-bool'; ranges: Range[] }
  | { fix: 'remove-entry'; name: string; appId: string }
  | { fix: 'option-to-secret'; option: string }
  | { fix: 'gitignore'; file: string }
  // Plaintext credentials
  | { fix: 'move-credential'; detector: string; keyName?: string; context: string; fingerprint: string };

export interface Finding {
  /** Stable rule code, e.g. `missing-in-env`. */
  code: string;
  severity: Exclude<Severity, 'off'>;
  message: string;
  uri: string;
  range: Range;
  /** Environments this finding is about (for per-env rules). */
  envs?: string[];
  related?: RelatedInfo[];
  data?: FixData;
  /** Rendered as "unnecessary"/"deprecated" in editors. */
  tags?: ('unnecessary' | 'deprecated')[];
}

export interface AnalysisSettings {
  /** Environments to check, in display order. */
  envs: string[];
  /** Per-rule severity overrides; `off` disables a rule. */
  severities: Record<string, Severity>;
  /** Whether the run is local (lazy_load rule is quiet then). */
  localRun?: boolean;
}

export interface RuleContext {
  workspace: WorkspaceModel;
  /** Per environment, in `settings.envs` order. Empty when no backend is configured or trusted. */
  envStates: Map<string, EnvState>;
  settings: AnalysisSettings;
}

export interface Rule {
  code: string;
  defaultSeverity: Exclude<Severity, 'off'>;
  /** One line for docs and `orchard rules`. */
  description: string;
  /** Whether the rule needs backend state (skipped in untrusted workspaces / parse-only runs). */
  needsBackend: boolean;
  /**
   * The rule reads nothing of its context but `workspace.apps` (no settings, no env states), and
   * what it finds for an app depends on that app alone (no de-duplication across apps): the
   * incremental analyzer may then run it one app at a time and keep an unchanged app's findings.
   */
  perApp?: boolean;
  run(ctx: RuleContext): Finding[];
}
