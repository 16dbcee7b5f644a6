// A diagnostic carries no data: a code action request finds the finding it stands for among the
// file's current findings (lsp/convert.ts fromDiagnostic).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromDiagnostic, toDiagnostic } from '../../server/src/lsp/convert';
import type { Finding } from '../../server/src/analysis/types';

const URI = 'file:///ws/src/config.py';
const at = (line: number, a: number, b: number) => ({ start: { line, character: a }, end: { line, character: b } });
const f = (message: string, range: Finding['range']): Finding => ({ code: 'missing-in-env', severity: 'error', message, uri: URI, range, envs: ['qa'], data: { fix: 'add-parameter', path: '/app/s/x', envs: ['qa'], likelySecret: false, origin: 'app' } });

test('the finding with the same code, message and range; else the only one with them on its lines', () => {
  const a = f('/app/s/x is missing in qa', at(3, 4, 9));
  const b = f('/app/s/y is missing in qa', at(4, 4, 9));
  const current = [a, b];
  const d = toDiagnostic(a);
  assert.equal(d.data, undefined);
  assert.equal(fromDiagnostic(URI, d, current), a);
  // Columns in another unit (a client that sends bytes back after a non-ASCII character): same lines.
  assert.equal(fromDiagnostic(URI, { ...d, range: at(3, 6, 11) }, current), a);
  // Another message (an older version of the file): rebuilt, without fix data.
  const stale = fromDiagnostic(URI, { ...d, message: '/app/s/x is missing in qa and prod' }, current)!;
  assert.notEqual(stale, a);
  assert.equal(stale.data, undefined);
  // Two findings with that message on those lines and neither range matches: none is guessed.
  const twice = [a, f(a.message, at(3, 20, 25))];
  assert.equal(fromDiagnostic(URI, { ...d, range: at(3, 6, 11) }, twice)!.data, undefined);
  // A malformed range from a client matches nothing (and throws nothing).
  assert.equal(fromDiagnostic(URI, { ...d, range: undefined as never }, current)!.data, undefined);
  // Not ours.
  assert.equal(fromDiagnostic(URI, { ...d, source: 'pyright' }, current), undefined);
});
