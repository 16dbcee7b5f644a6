// Helpers shared by the twelve-factor rules. Pure.
import type { AppRead, AppSource, ProvidedVar } from '../../../model/types';
import type { AppVariable } from '../../../model/appVariables';

/** Reads in a stable order (file, then position): the first is where a finding about the name goes. */
export function sortedReads(reads: readonly AppRead[]): AppRead[] {
  return [...reads].sort(
    (a, b) =>
      (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
      a.read.range.start.line - b.read.range.start.line ||
      a.read.range.start.character - b.read.range.start.character,
  );
}

/** `charm, .env and compose web`. */
export function listLabels(sources: readonly AppSource[]): string {
  const l = sources.map((s) => s.label);
  if (l.length <= 1) return l.join('');
  return `${l.slice(0, -1).join(', ')} and ${l[l.length - 1]}`;
}

/** The framework prefixes paas-charm uses; a read under one framework's prefix in another's charm is a slip. */
const FRAMEWORK_PREFIXES = ['FLASK_', 'DJANGO_', 'APP_'];

function stripFrameworkPrefix(name: string): { prefix: string; rest: string } {
  for (const p of FRAMEWORK_PREFIXES) if (name.startsWith(p)) return { prefix: p, rest: name.slice(p.length) };
  return { prefix: '', rest: name };
}

/** Optimal string alignment distance, capped: returns cap + 1 once the distance exceeds `cap`. */
export function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > cap) return cap + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

export interface NearMiss {
  name: string;
  kind: 'prefix' | 'spelling';
  provided: { source: AppSource; v: ProvidedVar };
}

/**
 * A provided name the code probably meant: the same name under another framework's prefix
 * (`FLASK_TOKEN` read, `DJANGO_TOKEN` provided), the same letters without underscores
 * (`SMTP_SKIPSSL_VERIFY` / `SMTP_SKIP_SSL_VERIFY`), or one or two typos in a long name.
 */
/** nearMiss per (variables list, variable): env-not-provided and env-name-mismatch both ask. */
const nearMemo = new WeakMap<readonly AppVariable[], Map<AppVariable, NearMiss | undefined>>();

export function nearMiss(v: AppVariable, vars: readonly AppVariable[]): NearMiss | undefined {
  let m = nearMemo.get(vars);
  if (!m) nearMemo.set(vars, (m = new Map()));
  if (m.has(v)) return m.get(v);
  const r = computeNearMiss(v, vars);
  m.set(v, r);
  return r;
}

/** The provided candidates of a variables list, with their prefix split and underscore-free form, once per list. */
interface Candidate {
  o: AppVariable;
  prefix: string;
  rest: string;
  squash: string;
}
const candidatesMemo = new WeakMap<readonly AppVariable[], Candidate[]>();

function candidates(vars: readonly AppVariable[]): Candidate[] {
  let c = candidatesMemo.get(vars);
  if (!c) {
    // A provided name the app also reads is spoken for (lnbits reads both STRIKE_API_ENDPOINT and
    // STRIPE_API_ENDPOINT): not what a read of a name almost like it meant.
    // Nor is a name only an image's ENV sets (mealie's APP_PORT is its entrypoint's, not a slip for API_PORT).
    c = vars.filter((o) => o.provided.some((p) => p.source.kind !== 'dockerfile') && o.reads.length === 0 && !o.name.endsWith('*')).map((o) => ({ o, ...stripFrameworkPrefix(o.name), squash: o.name.replace(/_/g, '') }));
    candidatesMemo.set(vars, c);
  }
  return c;
}

function computeNearMiss(v: AppVariable, vars: readonly AppVariable[]): NearMiss | undefined {
  const r = stripFrameworkPrefix(v.name);
  const squash = v.name.replace(/_/g, '');
  const cap = v.name.length >= 14 ? 2 : 1;
  let best: NearMiss | undefined;
  let bestScore = Infinity;
  for (const c of candidates(vars)) {
    const o = c.o;
    if (o === v) continue;
    let score = Infinity;
    let kind: NearMiss['kind'] = 'spelling';
    if (r.prefix && c.prefix && r.prefix !== c.prefix && r.rest === c.rest) {
      score = 0;
      kind = 'prefix';
    } else if (c.squash === squash) score = 1;
    else if (v.name.length >= 8 && Math.abs(v.name.length - o.name.length) <= cap) {
      const d = editDistance(v.name, o.name, cap);
      if (d <= cap) score = 1 + d;
    }
    if (score < bestScore) {
      bestScore = score;
      best = { name: o.name, kind, provided: o.provided[0] };
    }
  }
  return best;
}

/** Set by the operating system, the shell or the CI runner, never by the app's own sources. */
const PLATFORM_NAMES = new Set(['HOME', 'PATH', 'USER', 'LOGNAME', 'SHELL', 'PWD', 'OLDPWD', 'TMPDIR', 'TEMP', 'TMP', 'HOSTNAME', 'LANG', 'LANGUAGE', 'TERM', 'TZ', 'CI', 'PYTHONPATH', 'VIRTUAL_ENV', 'PYTEST_CURRENT_TEST', 'EDITOR', 'DISPLAY']);
const PLATFORM_PREFIX = /^(?:GITHUB|RUNNER|CI|GITLAB|TRAVIS|CIRCLE|BUILDKITE|JENKINS|BITBUCKET|CODEBUILD|KUBERNETES|JUJU|SNAP|XDG|LC)_/;

export function providedByPlatform(name: string): boolean {
  return PLATFORM_NAMES.has(name) || PLATFORM_PREFIX.test(name);
}
