// The structural pass over a YAML file: every map pair with a scalar value becomes an assignment
// with exact ranges; `- KEY=value` list items and shell scripts (`run:`, `script:`, `commands:`)
// go through the line-wise extractor at their own offsets; multi-line scalars that hold a config
// file (`application.properties: |`) too. Encrypted and referenced forms are recorded as safe
// ranges by structure: Travis `secure:` in any shape, the SOPS `sops:` block, CodeBuild
// `env.parameter-store` / `env.secrets-manager`, Ansible `!vault`. `set -x` in a CI script whose
// scope holds secrets becomes a `ci-set-x` candidate.
import { isMap, isScalar, isSeq, isAlias, keyString, MAX_YAML_DEPTH, type YamlFile, type YNode } from '../yaml';
import type { Pair, Scalar, YAMLMap } from 'yaml';
import { SCRIPT_KEYS, lastKey, scriptContext, yamlContext, yamlRole, type YamlRole } from './contexts';
import { extractAssignments } from './extract';
import { classifyName } from './names';
import type { Assignment, Candidate, CiFlavor, Place } from './types';

export interface YamlWalkResult {
  assignments: Assignment[];
  places: Place[];
  /** [start, end) offsets where nothing may be reported (encrypted or referenced values). */
  safe: [number, number][];
  setx: Candidate[];
  /** The role the file was read as (compose, helm-values, k8s, yaml). */
  role: YamlRole;
}

const ENV_KEYS = new Set(['env', 'environment', 'variables', 'with', 'secrets', 'global']);
const SECRET_REF = /secrets\.|secrets\[|\$\{\{\s*secrets/;
/** `set -x`, `set -ex`, `set -o xtrace`, `bash -x script.sh` (an `x` among single-letter options). */
const SET_X = /(?:^|[\s;&|(])((?:set|bash|sh)[ \t]{1,4}(?:-[A-Za-wyz]{0,8}x[A-Za-z]{0,8}|-o[ \t]{1,4}xtrace))(?![\w-])/g;
/** A script that reads a sensitive-looking variable (`$DEPLOY_TOKEN`, `${DB_PASSWORD}`). */
const VAR_REF = /\$\{?([A-Za-z_][A-Za-z0-9_]{1,100})/g;

interface Walker {
  f: YamlFile;
  flavor?: CiFlavor;
  role: YamlRole;
  out: YamlWalkResult;
}

/** Reads a parsed YAML file structurally (see the file comment). */
export function walkYaml(f: YamlFile, uri: string, flavor?: CiFlavor): YamlWalkResult {
  const docRole = (contents: unknown): YamlRole => {
    if (!isMap(contents)) return yamlRole(uri, []);
    const keys = contents.items.map((p) => keyString(p as Pair)).filter((k): k is string => k !== undefined);
    const kindPair = contents.items.find((p) => keyString(p as Pair) === 'kind');
    const kindValue = kindPair && isScalar(kindPair.value) ? String(kindPair.value.value) : undefined;
    return yamlRole(uri, keys, kindValue);
  };
  const role = docRole(f.docs[0]?.contents);
  const w: Walker = { f, flavor, role, out: { assignments: [], places: [], safe: [], setx: [], role } };
  // Each `---` document has its own role (a Secret and a Deployment in one manifest file).
  for (const doc of f.docs) walk({ ...w, role: docRole(doc.contents) }, doc.contents as YNode | null, [], undefined, 0);
  return w.out;
}

function range(node: { range?: [number, number, number] | null } | null | undefined): [number, number] | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}

function markSafe(w: Walker, node: unknown): void {
  const r = range(node as YNode);
  if (r) w.out.safe.push(r);
}

function isVault(node: unknown): boolean {
  const n = node as { tag?: string } | null;
  if (n?.tag === '!vault') return true;
  return isScalar(node) && typeof node.value === 'string' && node.value.trimStart().startsWith('$ANSIBLE_VAULT;');
}

/**
 * A value written in the file itself (no `$` expansion or expression): whatever `set -x` prints of
 * it is already in the repository (a service container's `POSTGRES_PASSWORD: sentry`), and a real
 * secret there is reported where it is written.
 */
function isLiteral(v: unknown): boolean {
  return isScalar(v) && (typeof v.value !== 'string' || !v.value.includes('$'));
}

/** A `NAME=$VALUE` list item (Travis `env.global`, compose lists): a sensitive name set from outside the file. */
function sensitiveFromElsewhere(i: unknown): boolean {
  if (!isScalar(i) || typeof i.value !== 'string') return false;
  const m = /^\s*([A-Za-z_][\w]*)\s*=(.*)$/s.exec(i.value);
  return !!m && !!classifyName(m[1]) && m[2].includes('$');
}

/**
 * Which variables of a CI scope hold secrets, as far as `set -x` is concerned: their names (a
 * script that never expands one prints none), 'any' when the names are not known (`secrets:
 * inherit`, Travis `secure:` entries, a script that uses a secret itself), undefined for none.
 */
type SecretNames = ReadonlySet<string> | 'any' | undefined;

function mergeSecrets(a: SecretNames, b: SecretNames): SecretNames {
  if (a === 'any' || b === 'any') return 'any';
  if (!a || !b) return a ?? b;
  return new Set([...a, ...b]);
}

/** The secrets a map's own env-like children (env, environment, variables, with, secrets) hold. */
function holdsSecrets(map: YAMLMap): SecretNames {
  let names: Set<string> | undefined;
  for (const p of map.items) {
    const k = keyString(p as Pair);
    if (!k || !ENV_KEYS.has(k)) continue;
    if (k === 'secrets') return 'any'; // `secrets: inherit` or a secrets map for a reusable workflow
    const v = p.value;
    if (isMap(v)) {
      for (const q of v.items) {
        const name = keyString(q as Pair);
        if (name === 'secure') return 'any';
        if ((name && classifyName(name) && !isLiteral(q.value)) || (name && isScalar(q.value) && typeof q.value.value === 'string' && SECRET_REF.test(q.value.value))) (names ??= new Set()).add(name);
        if (isSeq(q.value) && q.value.items.some((i) => (isMap(i) && i.items.some((x) => keyString(x as Pair) === 'secure')) || sensitiveFromElsewhere(i))) return 'any';
      }
    } else if (isSeq(v)) {
      for (const i of v.items) {
        if (isMap(i) && i.items.some((x) => keyString(x as Pair) === 'secure')) return 'any';
        if (sensitiveFromElsewhere(i)) return 'any';
      }
    }
  }
  return names;
}

function walk(w: Walker, node: YNode | null | undefined, path: string[], secrets: SecretNames, depth: number, owner?: Pair): void {
  if (!node || depth > MAX_YAML_DEPTH || isAlias(node)) return;
  if (isVault(node)) return markSafe(w, node);
  if (isMap(node)) {
    const scope = w.flavor !== undefined ? mergeSecrets(secrets, holdsSecrets(node)) : secrets;
    nameValuePair(w, node, path);
    for (const p of node.items) {
      const key = keyString(p as Pair);
      const v = p.value as YNode | null;
      if (key === undefined) {
        walk(w, v, [...path, '?'], scope, depth + 1);
        continue;
      }
      if (key === '<<') continue; // merged maps are walked where they are written
      if (key === 'secure') {
        markSafe(w, v);
        continue;
      }
      if (path.length === 0 && key === 'sops') {
        markSafe(w, v);
        continue;
      }
      if (w.flavor === 'codebuild' && path[path.length - 1] === 'env' && (key === 'parameter-store' || key === 'secrets-manager')) {
        markSafe(w, v);
        continue;
      }
      const sub = [...path, key];
      if (isScalar(v)) scalar(w, v, sub, p, scope, owner);
      else walk(w, v, sub, scope, depth + 1, p as Pair);
    }
    return;
  }
  if (isSeq(node)) {
    // A script written as a list: one item may `set -x`, another use the secret.
    const listSecrets = SCRIPT_KEYS.has(lastKey(path) ?? '') && node.items.some((i) => isScalar(i) && typeof i.value === 'string' && scriptHandlesSecrets(i.value)) ? 'any' : secrets;
    for (const item of node.items) {
      const sub = [...path, '[]'];
      if (isScalar(item)) scalar(w, item as Scalar, sub, undefined, listSecrets);
      else walk(w, item as YNode, sub, secrets, depth + 1);
    }
  }
}

/**
 * `{name: DB_PASSWORD, value: "..."}` (Kubernetes / ECS env lists), `{key: DB_PASSWORD, value: "..."}`
 * (Render Blueprints, DigitalOcean app specs): the value is assigned to the name.
 */
function nameValuePair(w: Walker, map: YAMLMap, path: string[]): void {
  let name: Scalar | undefined;
  let key: Scalar | undefined;
  let value: Scalar | undefined;
  for (const p of map.items) {
    const k = keyString(p as Pair);
    if (k === 'name' && isScalar(p.value)) name = p.value as Scalar;
    else if (k === 'key' && isScalar(p.value)) key = p.value as Scalar;
    else if (k === 'value' && isScalar(p.value)) value = p.value as Scalar;
  }
  name ??= key;
  if (!name || !value || typeof name.value !== 'string') return;
  const nr = range(name);
  const st = scalarText(w, value);
  if (!nr || !st || st.multiline) return;
  const context = yamlContext(w.flavor, w.role, [...path, name.value]);
  w.out.assignments.push({ key: name.value, keyStart: nr[0], keyEnd: nr[1], value: st.value, valueStart: st.start, valueEnd: st.end, quoted: st.quoted, context, inComment: false });
  w.out.places.push({ start: st.start, end: st.end, context, key: name.value, keyStart: nr[0], keyEnd: nr[1] });
}

interface ScalarText {
  value: string;
  start: number;
  end: number;
  quoted: boolean;
  multiline: boolean;
  /** Range of the text the line-wise extractor may read (inside quotes). */
  inner: [number, number];
}

function scalarText(w: Walker, node: Scalar): ScalarText | undefined {
  const r = range(node);
  if (!r) return undefined;
  const [s, e] = r;
  const raw = w.f.text.slice(s, e);
  const type = node.type;
  if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') {
    const value = typeof node.value === 'string' ? node.value : raw.slice(1, -1);
    return { value, start: s + 1, end: Math.max(s + 1, e - 1), quoted: true, multiline: raw.includes('\n'), inner: [s + 1, Math.max(s + 1, e - 1)] };
  }
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const value = typeof node.value === 'string' ? node.value : '';
    const trimmed = value.trim();
    if (trimmed.includes('\n') || trimmed.length === 0) return { value, start: s, end: e, quoted: false, multiline: true, inner: [s, e] };
    const at = raw.indexOf(trimmed);
    if (at < 0) return { value, start: s, end: e, quoted: false, multiline: true, inner: [s, e] };
    return { value: trimmed, start: s + at, end: s + at + trimmed.length, quoted: false, multiline: false, inner: [s, e] };
  }
  // Plain scalar: the source text is the value (numbers and booleans as written).
  return { value: raw, start: s, end: e, quoted: false, multiline: raw.includes('\n'), inner: [s, e] };
}

/** Keys whose multi-line value is prose for people (descriptions, help, examples in docs). */
const DOC_KEYS = /^(?:description|long_description|details|help|help_text|helptext|summary|doc|docs|documentation|example|examples|notes?|usage|readme)$/i;

function scalar(w: Walker, node: Scalar, path: string[], pair: Pair | undefined, secrets: SecretNames, owner?: Pair): void {
  if (isVault(node)) return markSafe(w, node);
  const st = scalarText(w, node);
  if (!st) return;
  const context = yamlContext(w.flavor, w.role, path);
  // `inputs: {token: {default: x}}`, `{DB_PASSWORD: {value: x}}`: the value belongs to the outer name.
  const named = pair && owner && /^(?:default|value)$/.test(keyString(pair) ?? '') && keyString(owner) !== undefined ? owner : pair;
  const key = named ? keyString(named) : undefined;
  const kr = named ? range(named.key as YNode) : undefined;
  w.out.places.push({ start: st.start, end: st.end, context, key, keyStart: kr?.[0], keyEnd: kr?.[1] });
  const lk = lastKey(path) ?? '';
  if (SCRIPT_KEYS.has(lk) && typeof node.value === 'string') {
    const sctx = scriptContext(w.flavor, path);
    extractAssignments(w.f.text, st.inner[0], st.inner[1], { kind: 'shell', context: sctx }, w.out.assignments);
    if (w.flavor && w.flavor !== 'codedeploy') setX(w, st.inner, sctx, path, secrets);
    return;
  }
  if (!pair) {
    // `- KEY=value` list items (Travis env, compose environment lists, k8s args), possibly several per item.
    if (typeof node.value === 'string' && /^\s*(?:export\s+)?[A-Za-z_][\w.\-]{0,100}\s*=/.test(node.value)) {
      extractAssignments(w.f.text, st.inner[0], st.inner[1], { kind: 'shell', context }, w.out.assignments);
    }
    return;
  }
  if (key === undefined || !kr) return;
  if (st.multiline) {
    // Prose (`description: |`, `details: |-` with an example in it) is documentation, as a README
    // is: only the token shapes count there, which run over the whole text.
    if (DOC_KEYS.test(key)) return;
    // A config file held in a block scalar: read it line by line.
    if (typeof node.value === 'string') extractAssignments(w.f.text, st.inner[0], st.inner[1], { kind: 'yaml', context }, w.out.assignments);
    return;
  }
  w.out.assignments.push({ key, keyStart: kr[0], keyEnd: kr[1], value: st.value, valueStart: st.start, valueEnd: st.end, quoted: st.quoted, context, inComment: false });
}

/** A script that uses a secret: `secrets.X`, or a variable with a sensitive name (`$DEPLOY_TOKEN`). */
function scriptHandlesSecrets(script: string): boolean {
  if (SECRET_REF.test(script)) return true;
  VAR_REF.lastIndex = 0;
  for (let m = VAR_REF.exec(script); m; m = VAR_REF.exec(script)) if (classifyName(m[1])) return true;
  return false;
}

/** A script that expands one of `names` (`$NAME`, `${NAME}`, `${{ env.NAME }}`). */
function expandsOneOf(script: string, names: ReadonlySet<string>): boolean {
  VAR_REF.lastIndex = 0;
  for (let m = VAR_REF.exec(script); m; m = VAR_REF.exec(script)) if (names.has(m[1])) return true;
  for (const m of script.matchAll(/\benv\.([A-Za-z_]\w{0,100})/g)) if (names.has(m[1])) return true;
  return false;
}

/** A script that runs another file in its own shell (`. ./install.sh`, `source env.sh`): that file's commands are traced too. */
const SOURCES = /(?:^|[;&|(]|\bthen|\bdo)[ \t]*(?:\.|source)[ \t]+[^\s=]/m;

/**
 * `set -x` in a script that may expand a secret: the scope holds secrets of unknown names, the
 * script expands a variable of the scope that holds one (or sources a file that may), or uses a
 * secret itself. A token in the step's environment that only a program reads (`GH_TOKEN` for
 * `gh api`, a password `./scripts/runtox.sh` reads) is never on a traced command line.
 */
function setX(w: Walker, [s, e]: [number, number], context: string, path: string[], secrets: SecretNames): void {
  const script = w.f.text.slice(s, e);
  if (!script.includes('x')) return;
  const traced = secrets === 'any' || (secrets !== undefined && (expandsOneOf(script, secrets) || SOURCES.test(script))) || scriptHandlesSecrets(script);
  if (!traced) return;
  SET_X.lastIndex = 0;
  for (let m = SET_X.exec(script); m; m = SET_X.exec(script)) {
    const start = s + m.index + m[0].indexOf(m[1]);
    w.out.setx.push({ rule: 'ci-set-x', start, end: start + m[1].length, secret: `${m[1]}@${path.join('/')}`, generic: false, context });
  }
}
