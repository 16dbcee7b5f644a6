import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatJson, formatSarif, formatText, jsonChunks, sarifChunks, textChunks } from '../../server/src/cli/format';
import { ALL_RULES } from '../../server/src/analysis/index';
import type { Finding } from '../../server/src/analysis/types';

const pos = fc.record({ line: fc.nat(500), character: fc.nat(200) });
const text = fc.string({ unit: fc.constantFrom('a', 'é', '"', '\\', '\n', ' ', '\u2028', '😀', '\t', ']', ',') as fc.Arbitrary<string>, maxLength: 30 });
const finding: fc.Arbitrary<Finding> = fc.record(
  {
    code: fc.constantFrom('missing-in-env', 'credential-aws-key', 'env-not-provided', 'made-up-code'),
    severity: fc.constantFrom('error', 'warning', 'info', 'hint'),
    message: text,
    uri: fc.constantFrom('file:///w/a/config.py', 'file:///w/b/figgy.json', 'file:///elsewhere/x.yaml'),
    range: fc.record({ start: pos, end: pos }),
    envs: fc.option(fc.array(fc.constantFrom('dev', 'qa', 'prod'), { maxLength: 3 }), { nil: undefined }),
    related: fc.option(fc.array(fc.record({ uri: fc.constantFrom('file:///w/a/config.py', 'file:///w/c/x.json'), range: fc.record({ start: pos, end: pos }), message: text }), { maxLength: 3 }), { nil: undefined }),
  },
  { requiredKeys: ['code', 'severity', 'message', 'uri', 'range'] },
) as fc.Arbitrary<Finding>;

test('property: JSON and SARIF written in pieces are exactly JSON.stringify(document, null, 2)', () => {
  fc.assert(
    fc.property(fc.array(finding, { maxLength: 8 }), (findings) => {
      const json = [...jsonChunks(findings, '/w')].join('');
      assert.equal(json, JSON.stringify(JSON.parse(json), null, 2));
      assert.equal(JSON.parse(json).length, findings.length);
      assert.equal(formatJson(findings, '/w'), json);
      const sarif = [...sarifChunks(findings, ALL_RULES, '9.9.9', '/w')].join('');
      assert.equal(sarif, JSON.stringify(JSON.parse(sarif), null, 2));
      const results = JSON.parse(sarif).runs[0].results as { message: { text: string } }[];
      assert.deepEqual(results.map((r) => r.message.text), findings.map((f) => f.message));
      assert.equal(formatSarif(findings, ALL_RULES, '9.9.9', '/w'), sarif);
    }),
    { numRuns: 300 },
  );
});

test('text in pieces: one piece per finding with its related lines, joined as before', () => {
  const f = (message: string, related?: Finding['related']): Finding => ({ code: 'c', severity: 'error', message, uri: 'file:///w/a.py', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 3 } }, related });
  const findings = [f('one', [{ uri: 'file:///w/b.json', range: { start: { line: 4, character: 0 }, end: { line: 4, character: 1 } }, message: 'there' }]), f('two')];
  const pieces = [...textChunks(findings, (_s, t) => t, '/w')];
  assert.equal(pieces.length, 2);
  assert.equal(pieces.join(''), 'a.py:2:3: error [c] one\n    b.json:5:1: there\na.py:2:3: error [c] two');
  assert.equal(formatText(findings, (_s, t) => t, '/w'), pieces.join(''));
  assert.deepEqual([...jsonChunks([])], ['[]']);
});
