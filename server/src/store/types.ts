// The one interface every backend implements (embedded local store, AWS SSM Parameter Store).
//
// Invariants:
// - "not found" and "could not tell" are different answers. A backend failure (access denied,
//   throttling, expired credentials, timeout, corrupt file) is reported as `unknown` with a reason,
//   never as absence, so no rule can turn a failure into a "missing" finding or a false sync plan.
// - Values are returned only by `getValues`, and SecureString values only when `decrypt` is true.
//   Everything else (listing, metadata, history) carries no value. Errors never embed values.

export type ParameterType = 'String' | 'SecureString';

export interface ParameterMeta {
  name: string;
  type: ParameterType;
  version: number;
  /** ISO-8601 */
  lastModified: string;
  lastModifiedBy?: string;
  description?: string;
  /** KMS key id/alias for SecureString (SSM); informational. */
  keyId?: string;
}

export type FailureKind =
  | 'access-denied'
  | 'throttled'
  | 'credentials'
  | 'network'
  | 'timeout'
  | 'corrupt'
  | 'invalid-name'
  | 'other';

/** Why a backend could not answer. `message` is safe to show: it never contains a value. */
export interface StoreFailure {
  kind: FailureKind;
  message: string;
  /** A command the user can run to fix it, e.g. `aws sso login --profile figgy-dev`. */
  hint?: string;
}

/** Result of asking about one name: found, definitely absent, or unknown (with why). */
export type Lookup<T> =
  | { state: 'found'; value: T }
  | { state: 'missing' }
  | { state: 'unknown'; failure: StoreFailure };

export interface ListResult {
  /** Parameters found under the prefix (may be partial when `failure` is set). */
  parameters: ParameterMeta[];
  /** Set when the listing could not be completed; then absence from `parameters` means nothing. */
  failure?: StoreFailure;
}

export interface ParameterValue {
  meta: ParameterMeta;
  /** Plain value; for SecureString only present when decrypted on request. */
  value?: string;
}

export interface HistoryEntry {
  version: number;
  type: ParameterType;
  lastModified: string;
  lastModifiedBy?: string;
  description?: string;
  /** Present only when asked to decrypt/reveal. */
  value?: string;
  /** true when this version is a deletion marker (local store keeps deletions in history). */
  deleted?: boolean;
}

export interface PutRequest {
  name: string;
  value: string;
  type: ParameterType;
  description?: string;
  /** Must be true to replace an existing parameter. Callers ask the user first. */
  overwrite: boolean;
  /** KMS key for SecureString (SSM only). */
  keyId?: string;
}

export type PutResult =
  | { ok: true; version: number }
  | { ok: false; reason: 'exists' }
  | { ok: false; reason: 'failed'; failure: StoreFailure };

export type DeleteResult =
  | { ok: true }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'failed'; failure: StoreFailure };

export interface Identity {
  /** e.g. `local:alice@host` or an STS ARN. */
  id: string;
  account?: string;
  description: string;
}

/** One environment's parameters (dev, qa, ...). A backend instance serves exactly one environment. */
export interface ParameterStore {
  readonly env: string;
  /** `local` or `ssm`. */
  readonly kind: string;
  /** Metadata for every parameter under `prefix` (recursive). No values. */
  list(prefix: string): Promise<ListResult>;
  /** Metadata for specific names, batched by the backend. */
  describe(names: string[]): Promise<Map<string, Lookup<ParameterMeta>>>;
  /** Values for specific names, batched. SecureString values only when `decrypt`. */
  getValues(names: string[], opts: { decrypt: boolean }): Promise<Map<string, Lookup<ParameterValue>>>;
  put(req: PutRequest): Promise<PutResult>;
  delete(name: string): Promise<DeleteResult>;
  history(name: string, opts: { decrypt: boolean }): Promise<Lookup<HistoryEntry[]>>;
  identity(): Promise<Lookup<Identity>>;
  /** A cheap token that changes whenever anything in the store changes (for live refresh). */
  changeToken(): Promise<string | undefined>;
  dispose?(): void | Promise<void>;
}
