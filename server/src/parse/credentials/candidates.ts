// The scanner's last steps (scan.ts): overlapping candidates resolved — the more specific detector
// wins, and lends the name it found to the one kept — and each candidate made a finding, with the
// key and context of the innermost place holding it when it has none of its own. Pure.
import type { CredentialFinding } from '../envTypes';
import { range as rangeOf } from '../text';
import { fingerprint, preview } from './report';
import { RULE_BY_ID } from './rules';
import type { Candidate, Place } from './types';

/** Lower wins: provider shapes and named AWS keys, then semi-generic shapes, then name rules. */
function priority(c: Candidate): number {
  if (c.generic) return 3;
  if (c.rule === 'url-password' || c.rule === 'authorization-header' || c.rule === 'jwt' || c.rule === 'connection-string-password') return 2;
  if (c.rule === 'ci-set-x') return 0;
  return 1;
}

export function dedupe(cands: Candidate[]): Candidate[] {
  const sorted = cands.filter((c) => c.rule !== 'ci-set-x').sort((a, b) => a.start - b.start || priority(a) - priority(b) || b.end - a.end);
  // `kept` never holds two overlapping candidates and is sorted by start, so also by end: only its
  // tail can overlap the next candidate (linear, whatever the number of findings).
  const kept: Candidate[] = [];
  for (const c of sorted) {
    let drop = false;
    for (let i = kept.length - 1; i >= 0; i--) {
      const k = kept[i];
      if (k.end <= c.start) break;
      // Overlap: keep the more specific; on a tie keep the first (the longer, earlier one).
      if (priority(c) < priority(k)) {
        kept.splice(i, 1);
        if (!c.key && k.key) Object.assign(c, { key: k.key, keyStart: k.keyStart, keyEnd: k.keyEnd, context: k.context });
      } else {
        drop = true;
        if (!k.key && c.key) Object.assign(k, { key: c.key, keyStart: c.keyStart, keyEnd: c.keyEnd, context: c.context });
        break;
      }
    }
    if (!drop) kept.push(c);
  }
  return [...kept, ...cands.filter((c) => c.rule === 'ci-set-x')].sort((a, b) => a.start - b.start);
}

/** The innermost place holding [s, e). */
function placeOf(places: Place[], s: number, e: number): Place | undefined {
  let best: Place | undefined;
  for (const p of places) {
    if (p.start <= s && p.end >= e && (!best || p.end - p.start < best.end - best.start)) best = p;
  }
  return best;
}

export function toFinding(c: Candidate, places: Place[], outside: string, positionAt: (o: number) => { line: number; character: number }): CredentialFinding {
  const rule = RULE_BY_ID.get(c.rule)!;
  let key = c.key;
  let keyStart = c.keyStart;
  let keyEnd = c.keyEnd;
  let context = c.context;
  if (c.rule !== 'ci-set-x' && (key === undefined || context === undefined)) {
    const p = placeOf(places, c.start, c.end);
    if (p) {
      key ??= p.key;
      if (keyStart === undefined && p.key !== undefined) {
        keyStart = p.keyStart;
        keyEnd = p.keyEnd;
      }
      context ??= p.context;
    }
  }
  const range = rangeOf(positionAt(c.start), positionAt(c.end));
  const f: CredentialFinding = {
    detector: rule.id,
    severity: rule.severity,
    range,
    preview: preview(c.rule === 'ci-set-x' ? c.secret.slice(0, c.secret.indexOf('@')) : c.secret),
    fingerprint: fingerprint(rule.id, key, c.secret),
    context: context ?? outside,
    title: rule.title,
  };
  if (key !== undefined) {
    f.keyName = key;
    if (keyStart !== undefined && keyEnd !== undefined) f.keyRange = rangeOf(positionAt(keyStart), positionAt(keyEnd));
  }
  return f;
}
