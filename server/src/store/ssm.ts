// AWS Systems Manager Parameter Store backend: one SSM client (and one STS client) per environment.
//
// Cost model (what a full check of one service costs): DescribeParameters with a recursive Path
// filter, 50 a page, so ⌈N/50⌉ calls for N parameters; lookups of names outside the twig go through
// DescribeParameters `Name Equals` with 50 names a call (no values travel); values only through
// GetParameters, 10 names a call, decrypted only when asked. Never one call per parameter.
//
// Failure model: every AWS/SDK failure becomes `unknown` with a StoreFailure, never "missing".
// Batches that are refused with AccessDenied are split (by namespace root, then in halves) so one
// unreadable prefix (e.g. `/dba/...` for a developer role) does not poison the other names.
import { createHash } from 'node:crypto';
import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterHistoryCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
  type SSMClientConfig,
  type ParameterMetadata,
  type ParameterStringFilter,
} from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { validateParameterName } from '../parse/paths';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS, MAX_MAX_ATTEMPTS, type SsmEnvConfig } from './config';
import { CREDENTIAL_ERROR, mapAwsError, type ErrorContext } from './ssmErrors';
import type {
  DeleteResult,
  HistoryEntry,
  Identity,
  ListResult,
  Lookup,
  ParameterMeta,
  ParameterStore,
  ParameterType,
  ParameterValue,
  PutRequest,
  PutResult,
  StoreFailure,
} from './types';

type CredentialsOption = NonNullable<SSMClientConfig['credentials']>;
type AwsCredentialIdentityProvider = Extract<CredentialsOption, (...args: never[]) => unknown>;
type AwsCredentialIdentity = Exclude<CredentialsOption, AwsCredentialIdentityProvider>;

/** AWS limits. */
export const DESCRIBE_PAGE_SIZE = 50;
export const FILTER_VALUES_MAX = 50;
export const GET_PARAMETERS_MAX = 10;
/** How many batch requests of one operation may be in flight at once (avoids self-throttling). */
const BATCH_CONCURRENCY = 4;
/** Guards against a server that never stops paginating. */
const MAX_PAGES = 10_000;
/** changeToken re-lists at most this many recently listed prefixes. */
const MAX_WATCHED_PREFIXES = 64;

export interface SsmStoreOptions {
  env: string;
  config: SsmEnvConfig;
  /** Overrides the credential chain (tests, embedding). The default is the standard Node chain for `profile`. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * changeToken asks AWS at most this often (ms), however often it is polled; in between it returns
   * the last token. Protects the account's API rate from a fast editor poll. Default 15000.
   */
  minChangeCheckMs?: number;
}

/** The SDK writes some warnings straight to the console unless given a logger; library code stays quiet. */
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Wraps a provider so anything it throws is recognisably a credentials problem. */
function tagCredentialErrors(p: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  return async (props) => {
    try {
      return await p(props);
    } catch (e) {
      if (e && typeof e === 'object') (e as Record<symbol, unknown>)[CREDENTIAL_ERROR] = true;
      throw e;
    }
  };
}

/** Names allowed to be *read*: AWS's rules except the reserved-prefix one (public `/aws/...` params are readable). */
function readableNameProblem(name: string): string | undefined {
  return validateParameterName(name.replace(/^(\/?)(aws|ssm)/i, '$1x'));
}

function rootOf(name: string): string {
  const m = /^\/?([^/]*)/.exec(name);
  return m ? m[1] : name;
}

function commonPrefix(names: string[]): string {
  if (names.length === 1) return names[0];
  const split = names.map((n) => n.split('/'));
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const seg = split[0][i];
    if (seg === undefined || !split.every((s) => s[i] === seg) || i >= split[0].length - 1) break;
    out.push(seg);
  }
  const p = out.join('/');
  return p ? `${names.length} parameters under ${p}` : `${names.length} parameters`;
}

function toType(t: string | undefined): ParameterType {
  return t === 'SecureString' ? 'SecureString' : 'String';
}

function iso(d: Date | undefined): string {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : new Date(0).toISOString();
}

function toMeta(p: ParameterMetadata): ParameterMeta {
  const meta: ParameterMeta = { name: p.Name ?? '', type: toType(p.Type), version: p.Version ?? 0, lastModified: iso(p.LastModifiedDate) };
  // moto reports "N/A" when it does not know; an unknown user is better left out.
  if (p.LastModifiedUser && p.LastModifiedUser !== 'N/A') meta.lastModifiedBy = p.LastModifiedUser;
  if (p.Description) meta.description = p.Description;
  if (p.KeyId) meta.keyId = p.KeyId;
  return meta;
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

/** Splits a refused batch: first by namespace root (how Figgy roles are scoped), then in halves. */
function splitBatch(names: string[]): string[][] {
  const roots = new Map<string, string[]>();
  for (const n of names) {
    const r = rootOf(n);
    roots.set(r, [...(roots.get(r) ?? []), n]);
  }
  if (roots.size > 1) return [...roots.values()];
  const mid = Math.ceil(names.length / 2);
  return [names.slice(0, mid), names.slice(mid)];
}

function codeOf(e: unknown): string | undefined {
  return e && typeof e === 'object' ? ((e as { name?: string }).name ?? undefined) : undefined;
}

export class SsmStore implements ParameterStore {
  readonly kind = 'ssm';
  readonly env: string;
  /** Exposed so callers (tests, diagnostics) can attach middleware, e.g. call counting. */
  readonly ssm: SSMClient;
  readonly sts: STSClient;
  private readonly cfg: SsmEnvConfig;
  private readonly timeoutMs: number;
  private readonly watched: string[] = [];
  private readonly minChangeCheckMs: number;
  private lastCheck: { at: number; token: string | undefined; key: string } | undefined;
  private pendingDescribe: { names: Set<string>; result: Promise<Map<string, Lookup<ParameterMeta>>> } | undefined;

  constructor(opts: SsmStoreOptions) {
    this.env = opts.env;
    this.cfg = opts.config;
    this.timeoutMs = opts.config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.minChangeCheckMs = opts.minChangeCheckMs ?? 15_000;
    const maxAttempts = Math.min(Math.max(opts.config.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 1), MAX_MAX_ATTEMPTS);
    const handler = () =>
      new NodeHttpHandler({
        connectionTimeout: this.timeoutMs,
        requestTimeout: this.timeoutMs,
        // Without this the handler only prints a warning when the timeout passes.
        throwOnRequestTimeout: true,
      });
    const region = opts.config.region;
    const endpoint = opts.config.endpoint;
    const base: AwsCredentialIdentity | AwsCredentialIdentityProvider =
      opts.credentials ?? fromNodeProviderChain({ ...(opts.config.profile ? { profile: opts.config.profile } : {}), logger: quietLogger });
    let creds: AwsCredentialIdentityProvider =
      typeof base === 'function' ? base : async () => base;
    if (opts.config.roleArn) {
      creds = fromTemporaryCredentials({
        params: {
          RoleArn: opts.config.roleArn,
          RoleSessionName: `orchard-${opts.env}`.slice(0, 64),
          ...(opts.config.externalId ? { ExternalId: opts.config.externalId } : {}),
        },
        masterCredentials: creds,
        clientConfig: { region, endpoint, maxAttempts, retryMode: 'adaptive', requestHandler: handler(), profile: opts.config.profile },
      });
    }
    const credentials = tagCredentialErrors(creds);
    const common = { region, endpoint, credentials, maxAttempts, retryMode: 'adaptive', profile: opts.config.profile };
    this.ssm = new SSMClient({ ...common, requestHandler: handler() });
    this.sts = new STSClient({ ...common, requestHandler: handler() });
  }

  private ctx(subject: string, redact?: string[]): ErrorContext {
    return { subject: `${subject} in ${this.env}`, profile: this.cfg.profile, roleArn: this.cfg.roleArn, timeoutMs: this.timeoutMs, redact };
  }

  private fail(err: unknown, subject: string, redact?: string[]): StoreFailure {
    return mapAwsError(err, this.ctx(subject, redact));
  }

  /** Paginates DescribeParameters for one filter set; returns what it got and, if it stopped early, why. */
  private async describePages(filters: ParameterStringFilter[], subject: string): Promise<{ items: ParameterMetadata[]; failure?: StoreFailure }> {
    const items: ParameterMetadata[] = [];
    let token: string | undefined;
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      try {
        const r = await this.ssm.send(new DescribeParametersCommand({ ParameterFilters: filters, MaxResults: DESCRIBE_PAGE_SIZE, NextToken: token }));
        items.push(...(r.Parameters ?? []));
        token = r.NextToken;
      } catch (e) {
        return { items, failure: this.fail(e, subject) };
      }
      if (!token) return { items };
      if (seen.has(token)) return { items, failure: { kind: 'other', message: `${subject} in ${this.env}: the server repeated a page token; listing stopped` } };
      seen.add(token);
    }
    return { items, failure: { kind: 'other', message: `${subject} in ${this.env}: more than ${MAX_PAGES} pages; listing stopped` } };
  }

  async list(prefix: string): Promise<ListResult> {
    const p = prefix === '' || /^\/+$/.test(prefix) ? '/' : prefix.replace(/\/+$/, '');
    const problem = p === '/' ? undefined : readableNameProblem(p);
    if (problem || !p.startsWith('/')) {
      return { parameters: [], failure: { kind: 'invalid-name', message: `cannot list "${prefix}": ${problem ?? 'a listing prefix must start with "/"'}` } };
    }
    this.watch(p);
    // The Path filter returns only what is *below* the path; a parameter named exactly like the
    // prefix is looked up by name, coalesced with other lookups of the same tick (one call for all).
    const self = p === '/' ? undefined : this.describeCoalesced([p]);
    const { items, failure } = await this.describePages([{ Key: 'Path', Option: 'Recursive', Values: [p] }], `listing ${p}`);
    const under = p === '/' ? (n: string) => n.startsWith('/') : (n: string) => n.startsWith(`${p}/`);
    // Filter client-side too: emulators differ (moto's Path "/" also returns non-hierarchical names).
    const parameters = items.filter((x) => x.Name && under(x.Name)).map(toMeta);
    let fail = failure;
    if (self) {
      const s = (await self).get(p);
      if (s?.state === 'found') parameters.unshift(s.value);
      else if (s?.state === 'unknown' && !fail) fail = s.failure;
    }
    return fail ? { parameters, failure: fail } : { parameters };
  }

  private watch(p: string): void {
    const i = this.watched.indexOf(p);
    if (i >= 0) this.watched.splice(i, 1);
    this.watched.push(p);
    if (this.watched.length > MAX_WATCHED_PREFIXES) this.watched.shift();
  }

  /** Lookups asked for in the same tick share DescribeParameters calls. */
  private describeCoalesced(names: string[]): Promise<Map<string, Lookup<ParameterMeta>>> {
    let batch = this.pendingDescribe;
    if (!batch) {
      const set = new Set<string>();
      const result = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        if (this.pendingDescribe?.names === set) this.pendingDescribe = undefined;
        return this.describeNow([...set]);
      });
      batch = { names: set, result };
      this.pendingDescribe = batch;
    }
    for (const n of names) batch.names.add(n);
    return batch.result;
  }

  describe(names: string[]): Promise<Map<string, Lookup<ParameterMeta>>> {
    const wanted = [...new Set(names)];
    return this.describeCoalesced(wanted).then((all) => new Map(wanted.map((n) => [n, all.get(n) ?? { state: 'missing' as const }])));
  }

  private async describeNow(names: string[]): Promise<Map<string, Lookup<ParameterMeta>>> {
    const out = new Map<string, Lookup<ParameterMeta>>();
    const valid: string[] = [];
    for (const n of names) {
      const problem = readableNameProblem(n);
      if (problem) out.set(n, { state: 'unknown', failure: { kind: 'invalid-name', message: `"${n}" cannot be a parameter name: ${problem}` } });
      else valid.push(n);
    }
    // Sorted so names of one namespace share batches; a refused batch is then split cleanly.
    const batches = chunk(valid.sort(), FILTER_VALUES_MAX);
    const run = async (batch: string[]): Promise<void> => {
      const subject = commonPrefix(batch);
      const { items, failure } = await this.describePages([{ Key: 'Name', Option: 'Equals', Values: batch }], `looking up ${subject}`);
      if (failure) {
        if (failure.kind === 'access-denied' && batch.length > 1) {
          await Promise.all(splitBatch(batch).map(run));
          return;
        }
        for (const n of batch) out.set(n, { state: 'unknown', failure });
        return;
      }
      const found = new Map(items.filter((x) => x.Name).map((x) => [x.Name!, toMeta(x)]));
      for (const n of batch) {
        const m = found.get(n);
        out.set(n, m ? { state: 'found', value: m } : { state: 'missing' });
      }
    };
    await pool(batches.map((b) => () => run(b)), BATCH_CONCURRENCY);
    return out;
  }

  async getValues(names: string[], opts: { decrypt: boolean }): Promise<Map<string, Lookup<ParameterValue>>> {
    const out = new Map<string, Lookup<ParameterValue>>();
    const valid: string[] = [];
    for (const n of new Set(names)) {
      const problem = readableNameProblem(n);
      if (problem) out.set(n, { state: 'unknown', failure: { kind: 'invalid-name', message: `"${n}" cannot be a parameter name: ${problem}` } });
      else valid.push(n);
    }
    // Grouped by namespace root first: roles are scoped by root, so a refused root stays isolated.
    const byRoot = new Map<string, string[]>();
    for (const n of valid.sort()) byRoot.set(rootOf(n), [...(byRoot.get(rootOf(n)) ?? []), n]);
    const batches = [...byRoot.values()].flatMap((g) => chunk(g, GET_PARAMETERS_MAX));
    const run = async (batch: string[]): Promise<void> => {
      try {
        const r = await this.ssm.send(new GetParametersCommand({ Names: batch, WithDecryption: opts.decrypt }));
        const got = new Map<string, ParameterValue>();
        for (const p of r.Parameters ?? []) {
          if (!p.Name) continue;
          const type = toType(p.Type);
          const meta: ParameterMeta = { name: p.Name, type, version: p.Version ?? 0, lastModified: iso(p.LastModifiedDate) };
          // A SecureString's value is dropped unless decryption was asked for: without it AWS sends
          // ciphertext, and emulators (moto) send something that contains the plain text.
          const v: ParameterValue = { meta };
          if (p.Value !== undefined && (type === 'String' || opts.decrypt)) v.value = p.Value;
          got.set(p.Name, v);
        }
        for (const n of batch) {
          const v = got.get(n);
          out.set(n, v ? { state: 'found', value: v } : { state: 'missing' });
        }
      } catch (e) {
        const failure = this.fail(e, `reading ${commonPrefix(batch)}`);
        if (failure.kind === 'access-denied' && batch.length > 1) {
          await Promise.all(splitBatch(batch).map(run));
          return;
        }
        for (const n of batch) out.set(n, { state: 'unknown', failure });
      }
    };
    await pool(batches.map((b) => () => run(b)), BATCH_CONCURRENCY);
    return out;
  }

  async put(req: PutRequest): Promise<PutResult> {
    this.lastCheck = undefined;
    const problem = validateParameterName(req.name);
    if (problem) return { ok: false, reason: 'failed', failure: { kind: 'invalid-name', message: `cannot write "${req.name}": ${problem}` } };
    const keyId = req.type === 'SecureString' ? (req.keyId ?? this.cfg.kmsKeyId) : undefined;
    const allowed = this.cfg.allowedKmsKeys;
    if (keyId && allowed && allowed.length && !allowed.includes(keyId)) {
      return { ok: false, reason: 'failed', failure: { kind: 'other', message: `cannot write "${req.name}" in ${this.env}: KMS key "${keyId}" is not one of the keys allowed for this environment (${allowed.join(', ')})` } };
    }
    try {
      const r = await this.ssm.send(
        new PutParameterCommand({
          Name: req.name,
          Value: req.value,
          Type: req.type,
          Overwrite: req.overwrite,
          ...(req.description !== undefined ? { Description: req.description } : {}),
          ...(keyId ? { KeyId: keyId } : {}),
        }),
      );
      return { ok: true, version: r.Version ?? 0 };
    } catch (e) {
      if (codeOf(e) === 'ParameterAlreadyExists') return { ok: false, reason: 'exists' };
      return { ok: false, reason: 'failed', failure: this.fail(e, `writing ${req.name}`, [req.value, req.description ?? ''].filter(Boolean)) };
    }
  }

  async delete(name: string): Promise<DeleteResult> {
    this.lastCheck = undefined;
    const problem = readableNameProblem(name);
    if (problem) return { ok: false, reason: 'failed', failure: { kind: 'invalid-name', message: `cannot delete "${name}": ${problem}` } };
    try {
      await this.ssm.send(new DeleteParameterCommand({ Name: name }));
      return { ok: true };
    } catch (e) {
      if (codeOf(e) === 'ParameterNotFound') return { ok: false, reason: 'missing' };
      return { ok: false, reason: 'failed', failure: this.fail(e, `deleting ${name}`) };
    }
  }

  async history(name: string, opts: { decrypt: boolean }): Promise<Lookup<HistoryEntry[]>> {
    const problem = readableNameProblem(name);
    if (problem) return { state: 'unknown', failure: { kind: 'invalid-name', message: `"${name}" cannot be a parameter name: ${problem}` } };
    const entries: HistoryEntry[] = [];
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const r = await this.ssm.send(new GetParameterHistoryCommand({ Name: name, WithDecryption: opts.decrypt, MaxResults: 50, NextToken: token }));
        for (const h of r.Parameters ?? []) {
          const e: HistoryEntry = { version: h.Version ?? 0, type: toType(h.Type), lastModified: iso(h.LastModifiedDate) };
          if (h.LastModifiedUser && h.LastModifiedUser !== 'N/A') e.lastModifiedBy = h.LastModifiedUser;
          if (h.Description) e.description = h.Description;
          // History values only on an explicit reveal, String ones included (they are old values).
          if (opts.decrypt && h.Value !== undefined) e.value = h.Value;
          entries.push(e);
        }
        token = r.NextToken;
        if (!token) break;
      }
    } catch (e) {
      if (codeOf(e) === 'ParameterNotFound') return { state: 'missing' };
      return { state: 'unknown', failure: this.fail(e, `reading the history of ${name}`) };
    }
    entries.sort((a, b) => a.version - b.version);
    return { state: 'found', value: entries };
  }

  async identity(): Promise<Lookup<Identity>> {
    try {
      const r = await this.sts.send(new GetCallerIdentityCommand({}));
      const region = await this.ssm.config.region().catch(() => this.cfg.region ?? '?');
      const id = r.Arn ?? r.UserId ?? 'unknown';
      const bits = [r.Account ? `account ${r.Account}` : undefined, `region ${region}`, this.cfg.profile ? `profile ${this.cfg.profile}` : undefined].filter(Boolean);
      return { state: 'found', value: { id, account: r.Account, description: `${id} (${bits.join(', ')})` } };
    } catch (e) {
      return { state: 'unknown', failure: this.fail(e, 'asking AWS who you are') };
    }
  }

  /**
   * Parameter Store has no "last change" query (DescribeParameters has neither a date filter nor a
   * sort order, and change events need CloudTrail/EventBridge, which developer roles rarely read).
   * So the token is a digest of name, version and modification time of everything under the
   * prefixes this store was asked to list: one paginated Path listing each, ⌈N/50⌉ calls, no
   * values. Version changes on every overwrite; the name set on create/delete; the time on
   * delete-and-recreate. `undefined` when nothing was listed yet or a listing failed.
   */
  async changeToken(): Promise<string | undefined> {
    if (this.watched.length === 0) return undefined;
    const prefixes = [...this.watched].sort();
    const key = prefixes.join('\n');
    const last = this.lastCheck;
    if (last && last.key === key && Date.now() - last.at < this.minChangeCheckMs) return last.token;
    const h = createHash('sha256');
    let token: string | undefined;
    for (const p of prefixes) {
      const { items, failure } = await this.describePages([{ Key: 'Path', Option: 'Recursive', Values: [p] }], `checking ${p} for changes`);
      if (failure) {
        token = undefined;
        break;
      }
      h.update(`#${p}\n`);
      for (const line of items.map((x) => `${x.Name}|${x.Version}|${iso(x.LastModifiedDate)}`).sort()) h.update(`${line}\n`);
      token = '';
    }
    if (token !== undefined) token = h.digest('hex').slice(0, 32);
    this.lastCheck = { at: Date.now(), token, key };
    return token;
  }

  dispose(): void {
    this.ssm.destroy();
    this.sts.destroy();
  }
}
