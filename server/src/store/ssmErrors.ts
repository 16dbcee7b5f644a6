// One place that turns whatever the AWS SDK throws into a StoreFailure the user can act on.
// Messages are built from error codes and our own context, never from request/response bodies,
// so a parameter value cannot leak through them. AWS's own text is used only for unclassified
// errors of requests that carried no value; for a request that did (PutParameter) only the code and
// the failed members are kept (see redact.ts). Every message is then masked for every encoding of
// every value we sent, the error code included (a server chooses it).
import { maskSecrets, validationSummary } from './redact';
import type { StoreFailure } from './types';

/** Marks errors raised while resolving credentials (a provider, or STS AssumeRole for `roleArn`). */
export const CREDENTIAL_ERROR = Symbol.for('orchard.credentialError');

export interface ErrorContext {
  /** What we were doing, for the message: e.g. `listing /app/svc`, `reading 3 parameters`. */
  subject: string;
  profile?: string;
  roleArn?: string;
  timeoutMs?: number;
  /** Strings that must never appear in the message (values we sent). */
  redact?: string[];
}

const ACCESS = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'AuthorizationError', 'NotAuthorized']);
const THROTTLE = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'TooManyUpdates', 'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ProvisionedThroughputExceededException',
]);
const CREDENTIALS = new Set([
  'ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException', 'InvalidClientTokenId', 'CredentialsProviderError',
  'TokenProviderError', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken',
  'MissingAuthenticationTokenException', 'RequestExpired', 'InvalidIdentityToken', 'IDPCommunicationError', 'ExpiredTokenError',
]);
const TIMEOUT_CODES = new Set(['TimeoutError', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'ECONNABORTED', 'EPROTO', 'UND_ERR_SOCKET', 'NetworkingError',
]);

/** What PutParameter (the one call that sends values) can fail with, per the SSM API reference. */
const PUT_CODES = new Set([
  'ValidationException', 'ParameterAlreadyExists', 'ParameterLimitExceeded', 'ParameterMaxVersionLimitExceeded',
  'HierarchyLevelLimitExceededException', 'HierarchyTypeMismatchException', 'InvalidAllowedPatternException',
  'ParameterPatternMismatchException', 'UnsupportedParameterType', 'InvalidKeyId', 'IncompatiblePolicyException',
  'InvalidPolicyAttributeException', 'InvalidPolicyTypeException', 'PoliciesLimitExceededException', 'InternalServerError',
  'ParameterNotFound', 'KMSDisabledException', 'KMSNotFoundException', 'KMSInvalidStateException', 'KMSAccessDeniedException',
]);

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  errno?: string | number;
  cause?: unknown;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  [CREDENTIAL_ERROR]?: boolean;
}

function codesOf(e: AwsLikeError): string[] {
  const out: string[] = [];
  let cur: unknown = e;
  // Node network errors sometimes arrive wrapped (fetch/undici `cause`, AggregateError).
  for (let depth = 0; cur && typeof cur === 'object' && depth < 4; depth++) {
    const c = cur as AwsLikeError & { errors?: unknown[] };
    if (typeof c.name === 'string') out.push(c.name);
    if (typeof c.code === 'string') out.push(c.code);
    if (Array.isArray(c.errors)) for (const x of c.errors) if (x && typeof x === 'object' && typeof (x as AwsLikeError).code === 'string') out.push((x as AwsLikeError).code!);
    cur = c.cause;
  }
  return out;
}

export function credentialHint(profile?: string): string {
  return profile ? `aws sso login --profile ${profile}` : 'figgy login';
}

function shorten(text: string): string {
  // Long AWS messages may quote request members; keep them short.
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Classifies any thrown error. Never throws; the message never carries a value we sent. */
export function mapAwsError(err: unknown, ctx: ErrorContext): StoreFailure {
  const f = classify(err, ctx);
  const secrets = ctx.redact?.filter(Boolean);
  if (!secrets?.length) return f;
  const masked: StoreFailure = { ...f, message: maskSecrets(f.message, secrets) };
  if (f.hint !== undefined) masked.hint = maskSecrets(f.hint, secrets);
  return masked;
}

function classify(err: unknown, ctx: ErrorContext): StoreFailure {
  const e: AwsLikeError = err && typeof err === 'object' ? (err as AwsLikeError) : { message: String(err) };
  const codes = codesOf(e);
  const has = (set: Set<string>) => codes.some((c) => set.has(c));
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const after = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  // A server chooses the error code: keep it only when it looks like one and, when the request
  // carried a value, only when it is a code AWS documents (anything else could be the value itself).
  const secretSent = Boolean(ctx.redact?.some(Boolean));
  const known = (c: string) => PUT_CODES.has(c) || [ACCESS, THROTTLE, CREDENTIALS, TIMEOUT_CODES, NETWORK_CODES].some((set) => set.has(c));
  const code =
    codes.find((c) => c !== 'Error' && /^[A-Za-z][A-Za-z0-9_.:-]{0,79}$/.test(c) && (!secretSent || known(c))) ??
    (secretSent && codes.some((c) => c !== 'Error') ? 'an unrecognised error' : 'Error');
  const who = ctx.profile ? ` for profile "${ctx.profile}"` : '';

  if (e[CREDENTIAL_ERROR] || has(CREDENTIALS)) {
    const role = e[CREDENTIAL_ERROR] && ctx.roleArn ? ` (assuming ${ctx.roleArn})` : '';
    return {
      kind: 'credentials',
      message: `${ctx.subject}: AWS credentials${who}${role} are missing, expired or not accepted (${code})`,
      hint: credentialHint(ctx.profile),
    };
  }
  if (has(ACCESS) || status === 403) {
    return { kind: 'access-denied', message: `${ctx.subject}: not readable with your role (${code})` };
  }
  if (has(THROTTLE) || status === 429) {
    return { kind: 'throttled', message: `${ctx.subject}: AWS is throttling requests (${code})${after}; will retry later` };
  }
  // Checked before timeouts: the HTTP handler reports a dropped socket as a TimeoutError with code ECONNRESET.
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    return { kind: 'network', message: `${ctx.subject}: cannot reach AWS (${e.code})${after}; will retry later` };
  }
  if (has(TIMEOUT_CODES)) {
    const limit = ctx.timeoutMs ? ` within ${ctx.timeoutMs} ms` : '';
    return { kind: 'timeout', message: `${ctx.subject}: no answer from AWS${limit}${after}; will retry later` };
  }
  if (has(NETWORK_CODES) || /socket hang up|network|getaddrinfo/i.test(e.message ?? '')) {
    const net = codes.find((c) => NETWORK_CODES.has(c)) ?? 'network error';
    return { kind: 'network', message: `${ctx.subject}: cannot reach AWS (${net})${after}; will retry later` };
  }
  if (status !== undefined && status >= 500) {
    return { kind: 'other', message: `${ctx.subject}: AWS had a server error (HTTP ${status}, ${code})${after}; will retry later` };
  }
  if (/region is missing/i.test(e.message ?? '')) {
    return { kind: 'other', message: `${ctx.subject}: no AWS region configured${who}`, hint: 'set "region" for this environment in your orchard config' };
  }
  if (secretSent) {
    // The request carried a value, which AWS's text may quote in any encoding: keep only its structure.
    const detail = e.$fault ? validationSummary(maskSecrets(e.message ?? '', ctx.redact)) : '';
    return { kind: 'other', message: `${ctx.subject}: ${code}${detail}` };
  }
  // Unclassified, and nothing secret was sent: AWS's text helps (e.g. ValidationException).
  const detail = e.$fault && e.message ? `: ${shorten(e.message)}` : '';
  return { kind: 'other', message: `${ctx.subject}: ${code}${detail}` };
}
