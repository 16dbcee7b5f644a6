// Plaintext credentials: one rule per detector of the scanner's table (`credential-<detector>`), so
// each shape has a stable code and its own severity setting. The scanner (parse/credentials) has
// already dropped every safe form (encrypted, referenced, placeholder, allow-marked); here the
// workspace decides what is left: fingerprints in the baseline are accepted, and a hard-coded
// default of a sensitive environment read is reported once, by env-insecure-default, not again here.
import type { Finding, Rule } from '../types';
import type { CredentialFinding } from '../../parse/envTypes';
import type { Range } from '../../parse/types';
import { RULES } from '../../parse/credentials';
import type { App, WorkspaceModel } from '../../model/types';
import { belowRoot, isTestPath } from './util';
import { isExampleFile } from '../../model/apps';
import { isContainerTemplateName } from '../../parse/ecsTaskDef';
import { fileNameOf } from '../../model/uris';

export const CREDENTIAL_PREFIX = 'credential-';

function inside(inner: Range, outer: Range): boolean {
  const a = inner.start.line - outer.start.line || inner.start.character - outer.start.character;
  const b = outer.end.line - inner.end.line || outer.end.character - inner.end.character;
  return a >= 0 && b >= 0;
}

/** An app's hard-coded, non-empty fallbacks of reads of sensitive names, by file (once per app object). */
const defaultsMemo = new WeakMap<App, Map<string, Range[]>>();

function appDefaults(app: App): Map<string, Range[]> {
  let out = defaultsMemo.get(app);
  if (out) return out;
  out = new Map();
  for (const r of app.reads) {
    const d = r.read.default;
    if (!r.sensitive || !d || typeof d.value !== 'string' || d.value === '') continue;
    const list = out.get(r.uri);
    if (list) list.push(d.range);
    else out.set(r.uri, [d.range]);
  }
  defaultsMemo.set(app, out);
  return out;
}

/**
 * Ranges of the defaults env-insecure-default reports, in the files asked about: hard-coded,
 * non-empty fallbacks of reads of sensitive names (the same test as that rule). A default of a read
 * whose name is not sensitive (`os.getenv("UPSTREAM", "https://u:pw@host")`) is reported here, or
 * by nobody.
 */
function readDefaults(ws: WorkspaceModel, uris: ReadonlySet<string>): Map<string, Range[]> {
  const out = new Map<string, Range[]>();
  for (const app of ws.apps ?? []) {
    const byFile = appDefaults(app);
    if (byFile.size === 0) continue;
    for (const [uri, ranges] of byFile) if (uris.has(uri)) out.set(uri, [...(out.get(uri) ?? []), ...ranges]);
  }
  return out;
}

/**
 * Detectors that judge a value by the name it is assigned to (not by a provider's token shape). In
 * test code these, and JSON Web Tokens (a test signs its own with a test key), are info (testSeverity).
 */
const NAME_BASED = new Set(['password-assignment', 'secret-assignment', 'url-password', 'connection-string-password', 'authorization-header']);
/**
 * Prose: a README's `password: tryportainer` or `postgres://user:pass@db` is a documented example.
 * Only token shapes (an `AKIA…` key, a `ghp_` token, a private key block) are reported there.
 */
const DOCS_PATH = /\.(?:md|markdown|mdx|rst|adoc|asciidoc)$/i;

/**
 * A name that says its value is made up for tests (`test_otp_secret`, `FAKE_WALLET_SECRET`,
 * `mockIdToken`, `dummy_password`): the first word of its last dotted part.
 */
const TEST_VALUE_NAME = /^_*(?:[Tt]est|[Ff]ake|[Dd]ummy|[Mm]ock)(?:[-_A-Z]|$)|^_*(?:TEST|FAKE|DUMMY|MOCK)(?:[-_]|$)/;

/** Why a finding is judged as test data: its file is test code, or its name says the value is made up for tests. */
function testReason(rel: string, c: CredentialFinding): 'test code' | 'a test value by its name' | undefined {
  if (!NAME_BASED.has(c.detector) && c.detector !== 'jwt' && c.detector !== 'private-key') return undefined;
  if (isTestPath(rel)) return 'test code';
  return NAME_BASED.has(c.detector) && TEST_VALUE_NAME.test(c.keyName?.split('.').pop() ?? '') ? 'a test value by its name' : undefined;
}

function inTests(rel: string, c: CredentialFinding): boolean {
  return testReason(rel, c) !== undefined;
}

/**
 * Severity in test code: name-based findings and JWTs are info; a private key is a warning (tests
 * generate their own keys to sign with, yet a real key pasted into a fixture is a leak all the same);
 * a provider's token shape stays what it is.
 */
function testSeverity(c: CredentialFinding): CredentialFinding['severity'] {
  if (c.severity !== 'error' && c.severity !== 'warning') return c.severity;
  return c.detector === 'private-key' ? 'warning' : 'info';
}

/**
 * A value judged by its name in a file written to be copied (`.env.example`, a file of `docs/` or
 * `examples/`; not the container definitions a Terraform file renders, `task.json.tpl`): likely a sample, yet
 * whoever copies the file runs with it. A warning (a provider's token shape there is still an error).
 */
function inExample(rel: string, c: CredentialFinding): boolean {
  return NAME_BASED.has(c.detector) && !inTests(rel, c) && ((isExampleFile(rel) && !isContainerTemplateName(fileNameOf(rel))) || EXAMPLE_DIR.test(rel));
}
/** Files of a documentation, examples or demos folder (`docs/install/k8s/secrets.yaml`, `examples/flask/.env`). */
const EXAMPLE_DIR = /\/(?:docs?|documentation|examples?|samples?|demos?)\//i;

/** `rel`: the file's path below its workspace folder (belowRoot). */
function message(rel: string, c: CredentialFinding): string {
  const where = c.keyName ? ` assigned to ${c.keyName}` : '';
  if (c.detector === 'ci-set-x') return c.title;
  const title = c.title.replace(/^plaintext /i, '');
  const head = `${title[0].toUpperCase()}${title.slice(1)}${where} in clear text (${c.preview})`;
  if (inExample(rel, c)) return `${head} in a file written to be copied: whoever copies it runs with this value; write a placeholder (changeme) unless it is a documented public sample`;
  const why = testReason(rel, c);
  const tests = why ? ` (${why}: lower severity; use a generated value or an allow marker if it is a fixture)` : '';
  return `${head}: move it to a secret store and reference it instead${tests}`;
}

/** One finding per scanner finding object: the same object every run, so an unchanged file stays unchanged. */
const findingMemo = new WeakMap<CredentialFinding, { f: Finding; rel: string }>();

function toFinding(uri: string, c: CredentialFinding, code: string, roots: readonly string[] | undefined): Finding {
  const rel = belowRoot(uri, roots);
  const hit = findingMemo.get(c);
  if (hit && hit.f.uri === uri && hit.f.code === code && hit.rel === rel) return hit.f;
  const f = newFinding(uri, rel, c, code);
  findingMemo.set(c, { f, rel });
  return f;
}

function newFinding(uri: string, rel: string, c: CredentialFinding, code: string): Finding {
  return {
    code,
    severity: inTests(rel, c) ? testSeverity(c) : inExample(rel, c) && c.severity === 'error' ? 'warning' : c.severity,
    message: message(rel, c),
    uri,
    range: c.range,
    data: c.detector === 'ci-set-x' ? undefined : { fix: 'move-credential', detector: c.detector, keyName: c.keyName, context: c.context, fingerprint: c.fingerprint },
  };
}

const memo = new WeakMap<WorkspaceModel, Map<boolean, { uri: string; c: CredentialFinding }[]>>();

/**
 * Every credential finding these rules report, baseline or not: all the scanner found except
 * hard-coded defaults of sensitive reads while env-insecure-default reports those. What
 * `--write-baseline` accepts.
 */
export function reportableCredentials(ws: WorkspaceModel, defaultsReported = true): { uri: string; c: CredentialFinding }[] {
  const out: { uri: string; c: CredentialFinding }[] = [];
  const files = (ws.credentials ?? []).filter((f) => f.findings.length > 0);
  if (files.length === 0) return out;
  const defaults = defaultsReported ? readDefaults(ws, new Set(files.map((f) => f.uri))) : new Map<string, Range[]>();
  for (const file of files) {
    const ds = defaults.get(file.uri);
    const docs = DOCS_PATH.test(file.uri);
    for (const c of file.findings) {
      if (docs && NAME_BASED.has(c.detector)) continue;
      if (!ds?.some((d) => inside(c.range, d))) out.push({ uri: file.uri, c });
    }
  }
  return out;
}

/**
 * Every credential finding of the workspace that is not accepted (baseline) or reported elsewhere
 * (sensitive read defaults, unless env-insecure-default is turned off).
 */
export function openCredentials(ws: WorkspaceModel, defaultsReported = true): { uri: string; c: CredentialFinding }[] {
  let byMode = memo.get(ws);
  const hit = byMode?.get(defaultsReported);
  if (hit) return hit;
  const baseline = ws.credentialBaseline;
  const out = reportableCredentials(ws, defaultsReported).filter((x) => !baseline?.has(x.c.fingerprint));
  if (!byMode) memo.set(ws, (byMode = new Map()));
  byMode.set(defaultsReported, out);
  return out;
}

/** The rule that reports sensitive read defaults in place of the credential rules. */
const INSECURE_DEFAULT = 'env-insecure-default';

function detectorRule(id: string): Rule {
  const row = RULES.find((r) => r.id === id)!;
  const code = `${CREDENTIAL_PREFIX}${id}`;
  return {
    code,
    defaultSeverity: row.severity,
    description: row.kind === 'ci' ? row.title : `Plaintext credential: ${row.title}.`,
    needsBackend: false,
    run(ctx) {
      return openCredentials(ctx.workspace, ctx.settings.severities?.[INSECURE_DEFAULT] !== 'off')
        .filter((x) => x.c.detector === id)
        .map((x) => toFinding(x.uri, x.c, code, ctx.workspace.roots));
    },
  };
}

/** One rule per detector id, in table order. */
export const CREDENTIAL_RULES: readonly Rule[] = [...new Set(RULES.map((r) => r.id))].map(detectorRule);
