import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMissing, isUnasked, presenceOf, prefixCovers } from '../../server/src/analysis/presence';
import { state, DENIED } from './helpers';

test('present, missing under a complete listing, missing by lookup, unknown otherwise', () => {
  const st = state('qa', { params: ['/app/s/a', '/shared/x'], listed: ['/app/s'], missing: ['/shared/gone'] });
  assert.equal(presenceOf(st, '/app/s/a').state, 'present');
  assert.equal(presenceOf(st, '/app/s/b').state, 'missing');
  assert.equal(presenceOf(st, '/shared/gone').state, 'missing');
  assert.deepEqual(presenceOf(st, '/shared/never-asked'), { state: 'unknown' });
  // `/app/sx` is not under `/app/s`: segment boundary respected.
  assert.equal(presenceOf(st, '/app/sx/a').state, 'unknown');
});

test('a failure covering the path wins over a listing, and the most specific failure is reported', () => {
  const broad = { kind: 'network' as const, message: 'network down' };
  const st = state('qa', { listed: ['/app/s'], failures: [{ prefix: '/', failure: broad }, { prefix: '/dba', failure: DENIED }] });
  assert.deepEqual(presenceOf(st, '/dba/secret/x'), { state: 'unknown', failure: DENIED });
  assert.deepEqual(presenceOf(st, '/app/s/a'), { state: 'unknown', failure: broad });
});

test('prefixCovers respects segment boundaries', () => {
  assert.equal(prefixCovers('/app/s', '/app/s'), true);
  assert.equal(prefixCovers('/app/s', '/app/s/x'), true);
  assert.equal(prefixCovers('/app/s/', '/app/s/x'), true);
  assert.equal(prefixCovers('/app/s', '/app/sx'), false);
  assert.equal(prefixCovers('/', '/anything'), true);
});

test('property: a path is never "missing" while a failure covers it and no lookup said so', () => {
  const seg = fc.stringMatching(/^[a-c]{1,2}$/);
  const path = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);
  fc.assert(
    fc.property(path, fc.array(path, { maxLength: 4 }), fc.array(path, { maxLength: 4 }), (p, listed, failed) => {
      const st = state('e', { listed, failures: failed.map((prefix) => ({ prefix, failure: DENIED })) });
      const r = presenceOf(st, p);
      const covered = failed.some((f) => prefixCovers(f, p));
      if (covered) assert.equal(r.state, 'unknown');
      else assert.equal(r.state, listed.some((l) => prefixCovers(l, p)) ? 'missing' : 'unknown');
    }),
    { numRuns: 300 },
  );
});

test('trailing-slash prefixes, the root prefix, and a state extended after first use', () => {
  const st = state('qa', { listed: ['/app/s/'] });
  assert.equal(presenceOf(st, '/app/s/x').state, 'missing');
  assert.equal(presenceOf(st, '/dba/x').state, 'unknown');
  st.failures.push({ prefix: '/app/s/x', failure: DENIED });
  assert.deepEqual(presenceOf(st, '/app/s/x'), { state: 'unknown', failure: DENIED });
  st.listedPrefixes.push('/');
  assert.equal(presenceOf(st, '/dba/x').state, 'missing');
});

test('property: many questions to one state agree with prefixCovers (answers kept per folder, asked twice)', () => {
  const seg = fc.stringMatching(/^[a-c]{1,2}$/);
  const path = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);
  fc.assert(
    fc.property(fc.array(path, { minLength: 1, maxLength: 12 }), fc.array(path, { maxLength: 4 }), fc.array(path, { maxLength: 3 }), (asked, listed, failed) => {
      const st = state('e', { listed, failures: failed.map((prefix) => ({ prefix, failure: DENIED })) });
      for (const p of [...asked, ...asked.reverse()]) {
        const expected = failed.some((f) => prefixCovers(f, p)) ? 'unknown' : listed.some((l) => prefixCovers(l, p)) ? 'missing' : 'unknown';
        assert.equal(presenceOf(st, p).state, expected, p);
      }
    }),
    { numRuns: 300 },
  );
});

test('property: isMissing and isUnasked answer exactly what presenceOf says (params, lookups, listings, failures)', () => {
  const seg = fc.stringMatching(/^[a-c]{1,2}$/);
  const path = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);
  const some = fc.array(path, { maxLength: 4 });
  fc.assert(
    fc.property(path, some, some, some, some, (p, params, missing, listed, failed) => {
      const st = state('e', { params, missing, listed, failures: failed.map((prefix) => ({ prefix, failure: DENIED })) });
      assert.equal(isMissing(st, p), presenceOf(st, p).state === 'missing');
      const r = presenceOf(st, p);
      assert.equal(isUnasked(st, p), r.state === 'unknown' && !r.failure);
    }),
    { numRuns: 500 },
  );
});
