// Orchard's custom LSP messages, shared by the language server and the VS Code client.
//
// Plain types and string constants only (no vscode-languageserver import) so the client bundle
// can import this file directly. Invariant: no result here carries a parameter value except
// `orchard/parameter/reveal`, which the client asks for explicitly, once, for one parameter.
//
// Usage:
//   server: connection.onRequest(TreeChildrenRequest.method, (p: TreeChildrenParams) => ...)
//   client: client.sendRequest<TreeChildrenResult>(TreeChildrenRequest.method, params)
// or the typed maps `OrchardRequests` / `OrchardNotifications` below. The twelve-factor apps view's
// and credential messages are in protocolApps.ts, re-exported here.
import type { AppsResult, MoveCredentialParams, MoveCredentialResult } from './protocolApps';

export * from './protocolApps';

export type ParameterType = 'String' | 'SecureString';

/** Presence of one parameter in one environment. `unknown` (backend could not answer) is never `missing`. */
export type PresenceState = 'present' | 'missing' | 'unknown';

/** Why a backend could not answer; `message` never contains a value. */
export interface FailureInfo {
  kind: string;
  message: string;
  /** A command that may fix it, e.g. `aws sso login --profile figgy-dev`. */
  hint?: string;
}

/** Value-free metadata of a stored parameter. */
export interface ParameterInfo {
  path: string;
  type: ParameterType;
  version: number;
  /** ISO-8601 */
  lastModified: string;
  lastModifiedBy?: string;
  description?: string;
}

// ---------------------------------------------------------------------------------------------
// Initialisation and settings

/**
 * `initializationOptions` the client sends with `initialize`. Backend choices (store dir, AWS
 * profiles, endpoints) and value display are never read from `workspace/configuration` or
 * `didChangeConfiguration`: other clients pass project-local settings there. They come from the
 * user's Orchard config file, and from a client only as `machineSettings`, which the client builds
 * from settings a workspace cannot set (VS Code: `inspect(...).globalValue` of machine-scoped settings).
 */
export interface OrchardInitOptions {
  /**
   * VS Code workspace trust. Untrusted (false): parse-only rules, no backend access at all. A client
   * that does not send it (Neovim, Helix, Emacs) is trusted: the user started the server.
   */
  workspaceTrusted?: boolean;
  /** Active environments at start; the `orchard.environments` setting is used when absent. */
  environments?: string[];
  /** Settings from the user's own (machine) scope; see MachineSettings. */
  machineSettings?: MachineSettings;
}

/**
 * The settings that choose where requests and values go, or whether values are shown. Accepted
 * only from `initializationOptions.machineSettings` and `orchard/machineSettings`, never from
 * workspace settings.
 */
export interface MachineSettings {
  /** Backend per environment, as in the `orchard.backends` setting (layered over the user config file). */
  backends?: Record<string, unknown>;
  /** Directory of the embedded local store. */
  localStoreDir?: string;
  hover?: { values?: 'never' | 'plain' };
}

/** Section read through `workspace/configuration`. */
export const SETTINGS_SECTION = 'orchard';

/** Shape of the `orchard` settings section as the server reads it (every field optional). */
export interface OrchardSettings {
  /** Environments to check and show, in display order, e.g. ["dev","qa","prod"]. */
  environments?: string[];
  /** Per-rule severity overrides by rule code: error | warning | info | hint | off. */
  severity?: Record<string, 'error' | 'warning' | 'info' | 'hint' | 'off'>;
  /**
   * `never` (default): values always redacted. `plain`: String values shown; SecureString never.
   * Taken from MachineSettings only; a value here (workspace settings) is ignored.
   */
  hover?: {
    values?: 'never' | 'plain';
  };
  /** Seconds between background backend refreshes; 0 disables the timer. Default 60. */
  refreshInterval?: number;
  /** Backend configuration, passed to the store factory: only MachineSettings' value is used. */
  backends?: Record<string, unknown>;
  /** Directory of the embedded local store: only MachineSettings' value is used. */
  localStoreDir?: string;
  /**
   * JSON files (besides figgy.json and figgy-secrets.json) read as Figgy files when their top-level
   * keys are Figgy's: globs matched against the whole path. Default every `**\/*.json`; [] narrows to the two names.
   */
  figgyJsonFiles?: string[];
  /** Globs (gitignore syntax, from the workspace folder) of files and folders Orchard does not read. */
  exclude?: string[];
  /** Keep what parsing each file gave on disk (encrypted) so the next start-up parses only changed files. Default true. */
  parseCache?: boolean;
  apps?: {
    /** Folders that are twelve-factor apps (absolute or relative to the first workspace folder); empty: found automatically. */
    roots?: string[];
  };
}

// Command ids the server puts into code actions and code lenses (the client implements them).
// Defined in features/ (which builds those actions) and re-exported here for the client.
export { ClientCommands } from '../features/commands';
export type { AddParameterCommandArgs, MoveCredentialCommandArgs, RunSyncCommandArgs } from '../features/commands';

// ---------------------------------------------------------------------------------------------
// Tree

/**
 * client → server. Lazy tree loading: the direct children of `prefix` in one environment.
 * `prefix` `/` lists root namespaces (`/app`, `/shared`, ...). Served from the backend cache
 * (listed on demand when that prefix has not been listed yet).
 */
export const TreeChildrenRequest = { method: 'orchard/tree/children' } as const;
export interface TreeChildrenParams {
  env: string;
  prefix: string;
}
export interface TreeNode {
  /** `folder` has children; `parameter` is a leaf (a path may be both: then two nodes are returned). */
  kind: 'folder' | 'parameter';
  /** Full path of the folder or parameter. */
  path: string;
  /** Last path segment, for the label. */
  label: string;
  /** Parameters only. */
  info?: ParameterInfo;
  /**
   * Parameters only: `declared` (some service declares it), `stray` (under a twig, declared by
   * nothing), `other` (outside every known twig), `missing` (declared, absent from a complete
   * listing of this environment: no `info`).
   */
  status?: 'declared' | 'stray' | 'other' | 'missing';
  /** Folders: number of parameters below, when known. */
  count?: number;
  /** Folders: declared parameters below that this environment lacks. */
  missing?: number;
}
export interface TreeChildrenResult {
  env: string;
  prefix: string;
  nodes: TreeNode[];
  /** Set when the listing failed or is partial: then missing nodes mean nothing. */
  failure?: FailureInfo;
}

// ---------------------------------------------------------------------------------------------
// Parameter details, reveal, put, delete

/** client → server. Metadata and history of one parameter in one environment, never values. */
export const ParameterDetailsRequest = { method: 'orchard/parameter/details' } as const;
export interface ParameterDetailsParams {
  env: string;
  path: string;
  /** Include the version history (value-free). Default true. */
  history?: boolean;
}
export interface HistoryItem {
  version: number;
  type: ParameterType;
  lastModified: string;
  lastModifiedBy?: string;
  description?: string;
  deleted?: boolean;
}
export interface ParameterDetailsResult {
  env: string;
  path: string;
  state: PresenceState;
  info?: ParameterInfo;
  failure?: FailureInfo;
  history?: HistoryItem[];
  /** Services and files that declare this path. */
  declaredBy: { serviceId: string; uri: string; line: number; attr?: string }[];
  /** When the path is a replication destination: its source. */
  replicatedFrom?: string;
  /** When the path is a replication source: destinations that copy it (any service). */
  replicatedTo: string[];
}

/**
 * client → server, only after the user explicitly asked (modal confirm) to see one value.
 * The only message whose result carries a value; the server never logs it or caches it.
 */
export const RevealValueRequest = { method: 'orchard/parameter/reveal' } as const;
export interface RevealValueParams {
  env: string;
  path: string;
}
export type RevealValueResult =
  | { state: 'found'; value: string; type: ParameterType; version: number }
  | { state: 'missing' }
  | { state: 'unknown'; failure: FailureInfo };

/**
 * client → server. Create or edit a parameter. With `overwrite: false` an existing parameter is
 * left alone and the answer is `exists`, so the client can ask "overwrite?" and resend.
 */
export const PutParameterRequest = { method: 'orchard/parameter/put' } as const;
export interface PutParameterParams {
  env: string;
  path: string;
  value: string;
  type: ParameterType;
  description?: string;
  overwrite: boolean;
}
export type PutParameterResult =
  | { ok: true; version: number }
  | { ok: false; reason: 'exists' }
  | { ok: false; reason: 'invalid-name'; message: string }
  | { ok: false; reason: 'untrusted' }
  | { ok: false; reason: 'failed'; failure: FailureInfo };

/**
 * client → server. Delete one parameter. Refused when the parameter is a replication source
 * that still has destinations (as figgy-cli does), listing them.
 */
export const DeleteParameterRequest = { method: 'orchard/parameter/delete' } as const;
export interface DeleteParameterParams {
  env: string;
  path: string;
}
export type DeleteParameterResult =
  | { ok: true }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'replication-source'; destinations: string[] }
  | { ok: false; reason: 'untrusted' }
  | { ok: false; reason: 'failed'; failure: FailureInfo };

// ---------------------------------------------------------------------------------------------
// Compare across environments

/**
 * client → server. Presence/equality matrix of parameters across environments. Equality is
 * decided on the server by hashing values; only group numbers are returned, never values or hashes.
 */
export const CompareRequest = { method: 'orchard/compare' } as const;
export interface CompareParams {
  /** Default: the active environments. */
  envs?: string[];
  /** Compare everything under this prefix (e.g. a twig) ... */
  prefix?: string;
  /** ... or exactly these paths. */
  paths?: string[];
}
export interface CompareCell {
  state: PresenceState;
  type?: ParameterType;
  version?: number;
  /**
   * Present cells only: environments with the same value in this row share the same group
   * number (0, 1, ...). Absent when the value could not be read.
   */
  group?: number;
}
export interface CompareRow {
  path: string;
  /** Keyed by environment. */
  cells: Record<string, CompareCell>;
  /** true when every environment has it with the same value; undefined when unknown somewhere. */
  allEqual?: boolean;
}
export interface CompareResult {
  envs: string[];
  rows: CompareRow[];
  failures: { env: string; failure: FailureInfo }[];
}

// ---------------------------------------------------------------------------------------------
// Sync

/**
 * client → server. What `sync` would do per environment: parameters to create (declared but
 * missing), strays (under the twig, declared by nothing), and what could not be checked.
 */
export const SyncPlanRequest = { method: 'orchard/sync/plan' } as const;
export interface SyncPlanParams {
  /** Default: every service in the workspace. */
  serviceId?: string;
  /** Default: the active environments. */
  envs?: string[];
}
export interface SyncCreateItem {
  path: string;
  serviceId: string;
  origin: string;
  /** Suggests SecureString. */
  likelySecret: boolean;
  /** Declaration site, for "show me". */
  uri?: string;
  line?: number;
  /** Replication / merge destinations are filled by Figgy, the client may skip asking for them. */
  source?: string;
}
export interface SyncEnvPlan {
  env: string;
  create: SyncCreateItem[];
  stray: string[];
  /** Declared paths whose presence could not be determined. */
  unknown: string[];
  /** Missing but not ours to create (a shared secret, a copy whose source is missing), with why. */
  blocked?: { path: string; reason: string }[];
  failure?: FailureInfo;
}
export interface SyncPlanResult {
  plans: SyncEnvPlan[];
}

/**
 * client → server. Create the given parameters in one environment, values supplied by the client
 * (asked from the user per parameter). Never overwrites: existing ones come back as `exists`.
 */
export const SyncApplyRequest = { method: 'orchard/sync/apply' } as const;
export interface SyncApplyItem {
  path: string;
  value: string;
  type: ParameterType;
  description?: string;
}
export interface SyncApplyParams {
  env: string;
  items: SyncApplyItem[];
}
export interface SyncApplyResult {
  env: string;
  results: { path: string; result: PutParameterResult }[];
}

// ---------------------------------------------------------------------------------------------
// Environments, status, refresh, trust

/** client → server. Change the active environments (the status-bar picker). Diagnostics are recomputed. */
export const SetEnvironmentsRequest = { method: 'orchard/environments/set' } as const;
export interface SetEnvironmentsParams {
  envs: string[];
}
export interface SetEnvironmentsResult {
  envs: string[];
}

/** client → server. Active environments, backend kind and identity per environment (status bar). */
export const StatusRequest = { method: 'orchard/status' } as const;
export type StatusParams = Record<string, never>;
export interface EnvStatus {
  env: string;
  /** `local`, `ssm`, or `none` when no backend (untrusted workspace). */
  backendKind: string;
  /** e.g. `local:alice@host` or an STS ARN. */
  identity?: string;
  identityDescription?: string;
  failure?: FailureInfo;
  /** ISO-8601 time of the last successful refresh of the cache. */
  lastRefresh?: string;
  /** Declared parameters missing in this environment over every service (the sync plan's count, = its errors in Problems); absent when not known. */
  missing?: number;
}
export interface StatusResult {
  envs: EnvStatus[];
  trusted: boolean;
  /** Services found in the workspace. */
  services: { id: string; twig?: string; root: string }[];
}

/** client → server. Re-read backend state now (the Refresh command) and recompute diagnostics. */
export const RefreshRequest = { method: 'orchard/refresh' } as const;
export interface RefreshParams {
  /** Default: all active environments. */
  envs?: string[];
}
export interface RefreshResult {
  refreshed: string[];
  failures: { env: string; failure: FailureInfo }[];
}

/** client → server notification. Workspace trust was granted (VS Code does not restart us). */
export const TrustChangedNotification = { method: 'orchard/trustChanged' } as const;
export interface TrustChangedParams {
  trusted: boolean;
}

/** client → server notification. The user's machine-scoped settings changed (VS Code: user settings only). */
export const MachineSettingsNotification = { method: 'orchard/machineSettings' } as const;
export type MachineSettingsParams = MachineSettings;

/**
 * server → client notification. Backend state changed (timer refresh, store change token,
 * a put/delete through us); the client refreshes the tree and status bar. Carries no values.
 */
export const BackendChangedNotification = { method: 'orchard/backendChanged' } as const;
export interface BackendChangedParams {
  envs: string[];
  reason: 'refresh' | 'watcher' | 'write' | 'settings' | 'trust';
}

// ---------------------------------------------------------------------------------------------
// Typed maps for helpers on either side

export interface OrchardRequests {
  'orchard/tree/children': { params: TreeChildrenParams; result: TreeChildrenResult };
  'orchard/parameter/details': { params: ParameterDetailsParams; result: ParameterDetailsResult };
  'orchard/parameter/reveal': { params: RevealValueParams; result: RevealValueResult };
  'orchard/parameter/put': { params: PutParameterParams; result: PutParameterResult };
  'orchard/parameter/delete': { params: DeleteParameterParams; result: DeleteParameterResult };
  'orchard/compare': { params: CompareParams; result: CompareResult };
  'orchard/sync/plan': { params: SyncPlanParams; result: SyncPlanResult };
  'orchard/sync/apply': { params: SyncApplyParams; result: SyncApplyResult };
  'orchard/environments/set': { params: SetEnvironmentsParams; result: SetEnvironmentsResult };
  'orchard/status': { params: StatusParams; result: StatusResult };
  'orchard/refresh': { params: RefreshParams; result: RefreshResult };
  'orchard/apps': { params: Record<string, never>; result: AppsResult };
  'orchard/credential/move': { params: MoveCredentialParams; result: MoveCredentialResult };
  'orchard/figgyJson/regenerate': { params: RegenerateFiggyJsonParams; result: RegenerateFiggyJsonResult };
}

export interface OrchardNotifications {
  'orchard/trustChanged': TrustChangedParams;
  'orchard/machineSettings': MachineSettingsParams;
  'orchard/backendChanged': BackendChangedParams;
}

/**
 * client → server. What figgy.json ConfigWriter would write for the service `uri` belongs to (its
 * config.py, figgy.json or any file under it): the palette's Regenerate command. The client
 * replaces the whole file with `content` (or creates it), so no range can go stale in between.
 */
export const RegenerateFiggyJsonRequest = { method: 'orchard/figgyJson/regenerate' } as const;
export interface RegenerateFiggyJsonParams {
  uri: string;
}
export type RegenerateFiggyJsonResult =
  | { ok: true; target: string; create: boolean; content: string; summary: string; configPy: string }
  | { ok: false; reason: 'matches'; target: string; configPy: string }
  | { ok: false; reason: 'no-service' | 'no-figgy-class' | 'runtime-names' | 'unreadable'; message: string };
