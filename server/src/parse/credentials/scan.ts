// The credential scanner: text → findings. Pure and total: bad input gives notices, never a throw.
//
// 1. Binary (NUL in the first 8 KB) and huge files: one notice, no scan.
// 2. Structure: YAML is walked (yamlWalk.ts); every other kind goes through the line-wise
//    extractor (extract.ts). Both yield assignments (name → value with exact ranges), places
//    (for context lookup) and safe ranges (encrypted / referenced values).
// 3. Shapes: the rules whose keywords occur in the one lower-cased copy of the text run their regex
//    over the whole text; pair rules run only when their anchor was found.
// 4. Names: assignments to sensitive names with a plaintext value (not a reference, placeholder,
//    boolean, number, path, URL...).
// 5. Filters (safe ranges, allow markers, documented examples), then de-duplication: when a specific
//    detector and the generic name detector hit the same secret, only the specific one is kept
//    (candidates.ts), and each candidate becomes a finding.
import type { CredentialFinding } from '../envTypes';
import type { ParseError, Range } from '../types';
import { lineIndex, type LineIndex } from '../text';
import { MAX_YAML_CHARS, parseYamlFile, type YamlFile } from '../yaml';
import { isConnectionStringPassword, jwtKind, isUrlPassword, looksLikeAwsSecret, nearAlgoliaSearchConfig, nearFirebaseConfig, privateKeyEnd } from './checks';
import { yamlContext } from './contexts';
import { extractAssignments, type LineMemo } from './extract';
import { inferCiFlavor, isGeneratedFile } from './files';
import { classifyName, splitWords } from './names';
import { allowedLines } from './report';
import { dedupe, toFinding } from './candidates';
import { allowsSecret, type CredentialAllow } from './gitleaks';
import { RULES, RULE_BY_ID, type CredentialRule } from './rules';
import type { Assignment, Candidate, CiFlavor, CredentialFileKind, Place } from './types';
import { decodeBase64Text, decodeEscapes, echoesName, entropy, isDocumentedExample, isIdentifierValue, isStandInPem, looksFake, valueVerdict } from './values';
import { walkYaml } from './yamlWalk';
import { SERVICE_CONTEXTS, containerValues, dropServiceUrls, repeatsUser, sharedValues, type ContainerValues } from './localDefaults';

export type { CiFlavor, CredentialFileKind };

export interface CredentialScanInput {
  text: string;
  uri: string;
  kind: CredentialFileKind;
  /** The shared parse of a YAML file (parsed here when absent). */
  yaml?: YamlFile;
  /** Inferred from the URI when absent. */
  ciFlavor?: CiFlavor;
  /** What other scanners' files allow in this file: gitleaks' allowlists and ignore file, detect-secrets' baseline, GitGuardian's and GitHub's configurations (gitleaks.ts). */
  allow?: CredentialAllow;
  /**
   * Assignments a structural reader found that the line-wise one names otherwise (Heroku's app.json:
   * `"DB_PASSWORD": {"value": "…"}` is DB_PASSWORD's value, not "value"'s). Not read for YAML.
   */
  assignments?: readonly Assignment[];
}

export interface CredentialScanOptions {
  /** Files longer than this many characters are not scanned (one notice). Default 2 MiB. */
  maxChars?: number;
  /** An open document's memo of its last scan's lines (the line-wise reader; see LineMemo). */
  lineMemo?: LineMemo;
}

export interface CredentialScanResult {
  findings: CredentialFinding[];
  notices: ParseError[];
}

export const DEFAULT_MAX_SCAN_CHARS = 2 * 1024 * 1024;
const BINARY_PROBE = 8 * 1024;
/** At most this many findings per file (a generated or hostile file must not flood the editor). */
export const MAX_FINDINGS = 1000;
/** Pair rules: how many anchors / candidates are considered at most (hostile files). */
const MAX_PAIR_ANCHORS = 1000;

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Each shape rule's regex with match indices (`d`) for group offsets, compiled once. */
const COMPILED = new Map<CredentialRule, RegExp>(RULES.filter((r) => r.regex && r.kind !== 'name').map((r) => [r, new RegExp(r.regex!.source, 'dg')]));
/**
 * Every shape rule's keywords, longest first, in one pattern tried at each offset of the lower-cased
 * text: one pass instead of one `includes` over the whole text per keyword (about 4x faster on a
 * large file, where it ran on every keystroke).
 */
const KEYWORDS = [...new Set(RULES.filter((r) => r.kind === 'shape').flatMap((r) => r.keywords))].sort((a, b) => b.length - a.length);
const KEYWORD_AT = new RegExp(`(?=(${KEYWORDS.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}))`, 'g');

/** The shape keywords that occur in `lower` (exactly those for which `lower.includes(k)`). */
export function keywordsIn(lower: string): Set<string> {
  const found = new Set<string>();
  KEYWORD_AT.lastIndex = 0;
  for (let m = KEYWORD_AT.exec(lower); m; m = KEYWORD_AT.exec(lower)) {
    const hit = m[1];
    if (!found.has(hit)) {
      found.add(hit);
      // The pattern reports the longest keyword at an offset; the shorter ones there are its prefixes.
      for (const k of KEYWORDS) if (k.length < hit.length && hit.startsWith(k)) found.add(k);
    }
    KEYWORD_AT.lastIndex = m.index + 1;
  }
  return found;
}

const AWS_NAMED = RULES.find((r) => r.id === 'aws-secret-access-key' && r.kind === 'name')!;
const PASSWORD_RULE = RULE_BY_ID.get('password-assignment')!;
const SECRET_RULE = RULE_BY_ID.get('secret-assignment')!;
const TWILIO_SID = /(?<![A-Za-z0-9])AC[0-9a-f]{32}(?![A-Za-z0-9])/g;
const SET_X_LINE = /(?:^|[\s;&|('"])((?:set|bash|sh)[ \t]{1,4}(?:-[A-Za-wyz]{0,8}x[A-Za-z]{0,8}|-o[ \t]{1,4}xtrace))(?![\w-])/g;

/** Scans one file for plaintext credentials. Never throws. */
export function scanCredentials(input: CredentialScanInput, options: CredentialScanOptions = {}): CredentialScanResult {
  const text = typeof input.text === 'string' ? input.text : '';
  const max = options.maxChars ?? DEFAULT_MAX_SCAN_CHARS;
  if (text.length > max) {
    const mb = (text.length / 1024 / 1024).toFixed(1);
    return { findings: [], notices: [notice('file-too-large', `not scanned for credentials: ${mb} M characters is above the ${(max / 1024 / 1024).toFixed(1)} M limit`)] };
  }
  if (text.slice(0, BINARY_PROBE).includes('\0')) {
    return { findings: [], notices: [notice('binary-file', 'not scanned for credentials: the file contains NUL bytes (binary)')] };
  }
  try {
    const findings = scan(text, input, options.lineMemo);
    if (findings.length > MAX_FINDINGS) {
      return { findings: findings.slice(0, MAX_FINDINGS), notices: [notice('too-many-credentials', `${findings.length} credential findings in this file; the first ${MAX_FINDINGS} are reported`, 'warning')] };
    }
    return { findings, notices: [] };
  } catch (e) {
    return { findings: [], notices: [notice('scan-internal', `internal error while scanning for credentials: ${e instanceof Error ? e.name : typeof e}`, 'error')] };
  }
}

function notice(code: string, message: string, severity: ParseError['severity'] = 'info'): ParseError {
  return { code, message, range: ZERO, severity };
}

function lineContext(kind: CredentialFileKind, flavor: CiFlavor | undefined): string {
  switch (kind) {
    case 'dotenv':
      return 'dotenv';
    case 'python':
      return 'python-assign';
    case 'js':
      return 'js-assign';
    case 'go':
      return 'go-assign';
    case 'shell':
      return 'shell';
    case 'json':
      return 'json';
    case 'ini':
      return 'ini';
    case 'toml':
      return 'toml';
    case 'yaml':
      return 'yaml';
    default:
      return flavor === 'jenkins' ? 'jenkinsfile' : 'source';
  }
}

function scan(text: string, input: CredentialScanInput, memo: LineMemo | undefined): CredentialFinding[] {
  const lower = text.toLowerCase();
  const kind = input.kind;
  const flavor = input.ciFlavor ?? inferCiFlavor(input.uri);
  const generated = isGeneratedFile(input.uri) || (kind === 'js' && looksMinified(text));
  const assignments: Assignment[] = [];
  const places: Place[] = [];
  const safe: [number, number][] = [];
  const cands: Candidate[] = [];
  let index: LineIndex | undefined;
  // Context of a finding outside any assignment (a token in a comment, in a call argument...).
  let outside = kind === 'dotenv' ? 'dotenv' : flavor === 'jenkins' ? 'jenkinsfile' : 'source';

  if (kind === 'yaml') {
    const yf = input.yaml && input.yaml.text === text ? input.yaml : parseYamlFile(text);
    // (The YAML reader indexes nothing above its own size limit; then the lines are indexed here.)
    index = text.length <= MAX_YAML_CHARS ? yf.index : lineIndex(text);
    const r = walkYaml(yf, input.uri, flavor);
    assignments.push(...r.assignments);
    places.push(...r.places);
    safe.push(...r.safe);
    cands.push(...r.setx);
    outside = yamlContext(flavor, r.role, []);
    // Unreadable YAML (templates, syntax errors): the line-wise reader covers what the walk missed.
    if (yf.docs.length === 0 || yf.docs.some((d) => d.errors.length > 0)) extractAssignments(text, 0, text.length, { kind: 'yaml', context: outside }, assignments);
  } else {
    index = lineIndex(text);
    // First: a value's place names the structural key (toFinding takes the first place of a span).
    if (input.assignments) assignments.push(...input.assignments);
    extractAssignments(text, 0, text.length, { kind, context: lineContext(kind, flavor) }, assignments, memo);
  }
  index ??= lineIndex(text);
  const positionAt = index.positionAt;
  safe.push(...textualSafeSpans(text, lower));
  for (const a of assignments) {
    places.push({ start: a.valueStart, end: a.valueEnd, context: a.context, key: a.key, keyStart: a.keyStart, keyEnd: a.keyEnd });
    if (SAMPLE_KEY.test(a.key)) safe.push([a.valueStart, a.valueEnd]);
  }

  // Values a shape rule recognised as public by design (a Firebase web key, an anonymous JWT) are
  // not reported by the generic name rules either.
  safe.push(...shapes(text, lower, cands));
  publicBrowserKeys(assignments, cands, safe);
  pairs(text, positionAt, cands);
  let known: ContainerValues | undefined;
  const containers = () => (known ??= containerValues(assignments));
  if (!generated) names(text, assignments, cands, containers);
  dropServiceUrls(assignments, cands, containers);
  if (flavor === 'jenkins' && /withcredentials|credentials\(/.test(lower)) jenkinsSetX(text, cands);

  const allowed = allowedLines(text, lower, (o) => positionAt(o).line);
  const kept = dedupe(
    cands.filter((c) => !inSafe(safe, c.start, c.end) && !allowed.has(positionAt(c.start).line) && !allowed.has(positionAt(c.end).line) && !(input.allow && allowedByOthers(text, c, input.allow, (o) => positionAt(o).line))),
  );
  return kept.map((c) => toFinding(c, places, outside, positionAt));
}

/** A candidate those files allow (its secret, its name and value, its line, or its line number or SHA-1). */
function allowedByOthers(text: string, c: Candidate, allow: CredentialAllow, lineOf: (offset: number) => number): boolean {
  if (c.rule === 'ci-set-x') return false;
  const match = () => text.slice(Math.min(c.keyStart ?? c.start, c.start), c.end);
  const line = () => {
    const ls = text.lastIndexOf('\n', c.start) + 1;
    const le = text.indexOf('\n', c.end);
    return text.slice(ls, le < 0 ? text.length : le);
  };
  return allowsSecret(allow, c.secret, match, line, lineOf(c.start) + 1);
}

/**
 * A Google API key assigned to a name that says it is published (`INNERTUBE_PUBLIC_API_KEY`,
 * `NEXT_PUBLIC_MAPS_API_KEY`): a browser key, public by design, as a Firebase web config's is.
 */
function publicBrowserKeys(assignments: readonly Assignment[], cands: Candidate[], safe: [number, number][]): void {
  if (!cands.some((c) => c.rule === 'google-api-key')) return;
  for (const a of assignments) {
    if (!splitWords(a.key).some((w) => w === 'public' || w === 'publishable')) continue;
    for (const c of cands) if (c.rule === 'google-api-key' && c.start >= a.valueStart && c.end <= a.valueEnd) safe.push([c.start, c.end]);
  }
}

/**
 * A bundle a build wrote, by its lines (over 1,000 characters on average in its first 256 KiB:
 * kpi's vendored `swagger-ui-bundle.js`, whose `allPass:"overEvery"` is a function map), named
 * like any other script.
 */
function looksMinified(text: string): boolean {
  const head = Math.min(text.length, 256 * 1024);
  if (head < 4096) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < head; i = text.indexOf('\n', i + 1)) lines++;
  return head / lines > 1000;
}

/**
 * Keys whose value is a sample shown to people, not a setting: a form field's `placeholder`, a
 * schema's `example` (plane's GitLab form shows `placeholder: "gloas-…"`).
 */
const SAMPLE_KEY = /(?:^|[^A-Za-z])(?:placeholder|example|examples|sample)$|^(?:[a-z]+Placeholder|[a-z]+Example)$/i;

/** Encrypted forms found by their text in any file kind (SOPS values, Ansible Vault payloads, Travis `secure:`), and doc comments' `@example` samples. */
function textualSafeSpans(text: string, lower: string): [number, number][] {
  const out: [number, number][] = [];
  if (text.includes('ENC[')) {
    const sops = /ENC\[[A-Z0-9_]{2,30},[^\]\r\n]{0,20000}\]/g;
    for (let m = sops.exec(text); m; m = sops.exec(text)) out.push([m.index, m.index + m[0].length]);
  }
  let at = text.indexOf('$ANSIBLE_VAULT;');
  while (at >= 0) {
    // The payload is the following lines of hex digits.
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    for (;;) {
      const next = text.indexOf('\n', end + 1);
      const line = text.slice(end + 1, next < 0 ? text.length : next).trim();
      if (end >= text.length || !/^[0-9a-f]{1,200}$/.test(line)) break;
      end = next < 0 ? text.length : next;
    }
    out.push([at, end]);
    at = text.indexOf('$ANSIBLE_VAULT;', end);
  }
  // A doc comment's `@example` tag (JSDoc / TSDoc; openapi-typescript writes a schema's example so):
  // a sample shown to people, like a schema's `example` key (SAMPLE_KEY).
  if (lower.includes('@example')) {
    const tag = /^[ \t]{0,40}(?:\/\*\*?|\*|\/\/|#)[ \t]{0,10}@example\b[^\n]{0,20000}/gm;
    for (let m = tag.exec(text); m; m = tag.exec(text)) out.push([m.index, m.index + m[0].length]);
  }
  if (lower.includes('secure')) {
    const travis = /\bsecure["']?\s{0,3}[:=]\s{0,3}["']?[A-Za-z0-9+/=]{16,20000}/g;
    for (let m = travis.exec(text); m; m = travis.exec(text)) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

function inSafe(safe: [number, number][], s: number, e: number): boolean {
  for (const [a, b] of safe) if (s < b && e > a) return true;
  return false;
}

function group(m: RegExpExecArray, name: string): [number, number] | undefined {
  const g = m.indices?.groups?.[name];
  return g ? [g[0], g[1]] : undefined;
}

function shapes(text: string, lower: string, out: Candidate[]): [number, number][] {
  const cleared: [number, number][] = [];
  const present = keywordsIn(lower);
  for (const [rule, re] of COMPILED) {
    if (rule.kind !== 'shape' || !rule.keywords.some((k) => present.has(k))) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const sg = group(m, 'secret');
      if (!sg) continue;
      let [start, end] = sg;
      let secret = text.slice(start, end);
      const bg = group(m, 'body');
      const body = bg ? text.slice(bg[0], bg[1]) : secret;
      if (rule.check === 'private-key') {
        const blockEnd = privateKeyEnd(text, start, end);
        if (blockEnd === undefined) continue;
        end = blockEnd;
        secret = text.slice(start, end);
        // A shortened sample (`…` between lines, a few characters of body) is no key.
        if (isStandInPem(secret)) continue;
        re.lastIndex = Math.max(re.lastIndex, end);
      } else {
        if (entropy(body) < rule.entropy || looksFake(body) || isDocumentedExample(secret)) continue;
        // Shortened for the reader (`xoxe.xoxp-1-Mi0yLTU5MTAx...MDkwN2U0`, `Bearer opc_org.abc123.xYz...`
        // whose dots the token's characters take in): a sample, not the token.
        if (text.startsWith('...', end) || text.startsWith('\u2026', end) || secret.includes('...')) continue;
        if (rule.check === 'slack-webhook' && !/[A-Za-z0-9]{20,}\/?$/.test(body)) continue;
        const jwt = rule.check === 'jwt' ? (inMediaUrl(text, start) ? 'public' : jwtKind(secret)) : undefined;
        if (jwt === 'public' || (rule.check === 'google-api-key' && nearFirebaseConfig(text, start))) {
          cleared.push([start, end]);
          continue;
        }
        if (jwt === 'invalid') continue;
        if (rule.check === 'url-password' && !isUrlPassword(m.groups?.user ?? '', secret)) continue;
        if (rule.check === 'conn-string' && !isConnectionStringPassword(text, m.index, secret)) continue;
      }
      out.push({ rule: rule.id, start, end, secret, generic: false });
    }
  }
  return cleared;
}

function pairs(text: string, positionAt: (o: number) => { line: number }, out: Candidate[]): void {
  for (const rule of RULES) {
    if (rule.kind !== 'pair') continue;
    const re = COMPILED.get(rule)!;
    let anchors: number[] = [];
    const taken: [number, number][] = [];
    if (rule.check === 'aws-secret-pair') {
      anchors = out.filter((c) => c.rule === 'aws-access-key-id').map((c) => positionAt(c.start).line);
    } else if (rule.check === 'twilio-auth-pair') {
      if (!text.includes('AC')) continue;
      TWILIO_SID.lastIndex = 0;
      for (let m = TWILIO_SID.exec(text); m && anchors.length < MAX_PAIR_ANCHORS; m = TWILIO_SID.exec(text)) {
        anchors.push(positionAt(m.index).line);
        taken.push([m.index, m.index + m[0].length]);
      }
    }
    if (anchors.length === 0) continue;
    anchors = anchors.slice(0, MAX_PAIR_ANCHORS);
    const near = (line: number) => anchors.some((a) => Math.abs(a - line) <= (rule.withinLines ?? 3));
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const [start, end] = group(m, 'secret') ?? [m.index, m.index + m[0].length];
      const secret = text.slice(start, end);
      if (inSafe(taken, start, end) || !near(positionAt(start).line)) continue;
      if (looksFake(secret) || isDocumentedExample(secret)) continue;
      if (rule.check === 'aws-secret-pair' ? !looksLikeAwsSecret(secret, rule.entropy) : entropy(secret) < rule.entropy) continue;
      out.push({ rule: rule.id, start, end, secret, generic: false });
    }
  }
}

/**
 * A token in the query of a link to an image or a video (`…/art-fullview.jpg?token=eyJ…`, a media
 * CDN's signed transformation, evennia's tutorial): what every page that shows it sends, no secret.
 */
function inMediaUrl(text: string, start: number): boolean {
  return /\.(?:jpe?g|png|gif|webp|avif|svg|bmp|mp4|webm|mov)\?(?:[\w.-]{1,40}=[^&\s"'()]{0,500}&){0,10}[\w.-]{1,40}=$/i.test(text.slice(Math.max(0, start - 2000), start));
}

/** Where a value is shell: scripts, and CI steps' scripts. */
const SHELL_CONTEXTS = new Set(['shell', 'github-run', 'travis-script', 'circleci-run', 'gitlab-script', 'bitbucket-script', 'codebuild-commands', 'jenkinsfile']);

/** ADO-style connection strings: `Server=x;Password=secret;` — the password part alone. */
const CONN_PASSWORD = /(?:^|;)\s{0,5}(?:password|pwd)\s{0,5}=\s{0,5}([^;]{1,500})/i;

/**
 * Lower-case words joined by `_`, `-` or `.`, one of them the secret's kind: a field or lookup key
 * naming the secret (`_PASSWORD_KEY = "imap_password"`) or a stand-in made of words (a test's
 * `"wrong_password"`), never a generated secret.
 */
const NAMES_A_SECRET = /^(?=.{0,80}$)[a-z]+(?:[-_.][a-z]+){0,6}[-_.](?:password|passwd|secret|token|apikey)(?:[-_.][a-z]+){0,6}$|^(?:password|passwd|secret|token|apikey)(?:[-_.][a-z]+){1,6}$/;

function names(text: string, assignments: Assignment[], out: Candidate[], containers: () => ContainerValues): void {
  let shared: Map<string, number> | undefined;
  const sharedOnce = () => (shared ??= sharedValues(assignments));
  for (const a of assignments) {
    // A sentence as a key (`"This is a very common password": …`) is a message, not a field.
    if (/\s\S+\s\S+\s/.test(a.key.trim())) continue;
    const cls = classifyName(a.key);
    if (!cls) continue;
    // Trim the value and its range together.
    const lead = a.value.length - a.value.trimStart().length;
    let v = a.value.trim();
    let start = a.valueStart + lead;
    if (v.length === 0) continue;
    const key = { key: a.key, keyStart: a.keyStart, keyEnd: a.keyEnd, context: a.context };
    if (cls === 'aws-secret' && AWS_NAMED.regex!.test(v)) {
      if (!isDocumentedExample(v) && !looksFake(v) && looksLikeAwsSecret(v, AWS_NAMED.entropy) && valueVerdict(v) === 'plain') {
        out.push({ rule: AWS_NAMED.id, start, end: start + v.length, secret: v, generic: false, ...key });
      }
      continue;
    }
    const cm = CONN_PASSWORD.exec(v);
    if (cm && v.includes(';')) {
      const inner = cm[1].trim();
      start += cm.index + cm[0].indexOf(cm[1]);
      v = inner;
    }
    const rule = cls === 'password' ? PASSWORD_RULE : SECRET_RULE;
    // What the string holds is judged (escapes decoded, a Kubernetes Secret's base64 data decoded);
    // the finding stays on the text as written.
    const s = a.context === 'k8s-secret' ? (decodeBase64Text(v) ?? v) : a.quoted ? decodeEscapes(v) : v;
    if (s.length < (rule.minLength ?? 1)) continue;
    // Keys and tokens are random; a value made of letters only on a key/token name is an identifier
    // (`STORAGE_KEY = 'user-settings'`, `TOKEN_HEADER_KEY = 'authToken'`), unless it is long and random.
    // So is any identifier under a label of words (`"Invalid password": "apiErrors.invalidPassword"`,
    // a table of messages to translation keys): a form's or an API's text, not a field.
    if ((rule === SECRET_RULE || /\S\s+\S/.test(a.key.trim())) && isIdentifierValue(s)) continue;
    if (valueVerdict(s) !== 'plain' || isDocumentedExample(s) || echoesName(s, a.key) || NAMES_A_SECRET.test(s)) continue;
    if (rule === PASSWORD_RULE && repeatsUser(a, s, containers)) continue;
    // In a shell script a value between backticks is a command whose output is the value
    // (mediacms' `RANDOM_ADMIN_PASS=\`python -c "import secrets; …"\``), not a literal.
    if (a.quoted && text.charCodeAt(a.valueStart - 1) === 96 && SHELL_CONTEXTS.has(a.context)) continue;
    // `pass` or `pw` alone is ambiguous: a lower-case word there is a state (treeherder's result
    // colours, `pass: 'success', fail: 'danger'`), not a password; `DB_PASS=dragon` still is one.
    if (rule === PASSWORD_RULE && /^[a-z]{2,20}$/.test(s) && /^(?:pass|pw)$/i.test(a.key.trim().replace(/^["']|["']$/g, ''))) continue;
    if ((sharedOnce().get(v) ?? 0) >= 2) continue;
    if (rule === SECRET_RULE && nearAlgoliaSearchConfig(text, start, v)) continue;
    // In comments only strong evidence counts (documentation writes example values there); so in
    // the environment of throwaway service containers (a CI job's test database).
    if ((a.inComment || SERVICE_CONTEXTS.has(a.context)) && (entropy(s) < 3.5 || s.length < 12)) continue;
    out.push({ rule: rule.id, start, end: start + v.length, secret: v, generic: true, ...key });
  }
}

function jenkinsSetX(text: string, out: Candidate[]): void {
  SET_X_LINE.lastIndex = 0;
  let n = 0;
  for (let m = SET_X_LINE.exec(text); m; m = SET_X_LINE.exec(text)) {
    const start = m.index + m[0].indexOf(m[1]);
    out.push({ rule: 'ci-set-x', start, end: start + m[1].length, secret: `${m[1]}@jenkinsfile#${n++}`, generic: false, context: 'jenkinsfile' });
  }
}
