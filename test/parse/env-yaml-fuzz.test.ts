// Robustness of the YAML-based twelve-factor parsers (charm, compose, Helm values): never throw,
// bounded time on hostile input, every range inside the text. One YamlFile feeds all three, as in
// the model.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCharm } from '../../server/src/parse/charm';
import { parseCompose } from '../../server/src/parse/compose';
import { parseHelmValues } from '../../server/src/parse/helmValues';
import { parseYamlFile } from '../../server/src/parse/yaml';
import { charmEnvironment } from '../../server/src/model/paasCharm';
import { assertRangesInside, readFixture, timed } from './env.helpers';

const MAX_MS = 300;
const MAX_MS_LARGE = 5000;

/** Parses once, runs every reader (and the charm mapping); returns the time of the readers alone. */
function check(text: string, maxMs = MAX_MS): { readersMs: number; errors: number } {
  const y = parseYamlFile(text);
  const { value, ms } = timed(() => {
    const charm = parseCharm(y, 'file:///f/charmcraft.yaml', 'charmcraft');
    const config = parseCharm(y, 'file:///f/config.yaml', 'config');
    const meta = parseCharm(y, 'file:///f/metadata.yaml', 'metadata');
    const compose = parseCompose(y, 'file:///f/compose.yaml');
    const helm = parseHelmValues(y, 'file:///f/values.yaml');
    const env = charmEnvironment([charm], { framework: 'flask' });
    return { charm, config, meta, compose, helm, env };
  });
  assert.ok(ms < maxMs, `readers took ${ms.toFixed(0)} ms`);
  for (const m of [value.charm, value.config, value.meta, value.compose, value.helm]) assertRangesInside(m, text);
  assertRangesInside(value.env.provided, text);
  const errors = Math.max(value.charm.errors.length, value.compose.errors.length, value.helm.errors.length);
  return { readersMs: ms, errors };
}

const TOKENS = [
  'services:', 'config:', 'options:', 'requires:', 'extensions:', 'env:', 'environment:', 'env_file:', 'build:', 'image:', 'type:', 'default:',
  'name:', 'value:', 'valueFrom:', 'secretKeyRef:', 'interface:', 'optional:', '\n', '\n  ', '\n    ', '\n      ', ' ', '- ', ': ', '&a ', '*a',
  '<<: ', '{', '}', '[', ']', ',', '"', "'", '#', '${', '$', '$$', ':-', ':?', 'KEY_A', 'DB_PASSWORD', 'flask-framework', 'int', 'secret',
  'true', 'null', '~', '|', '>', '---\n', '{{ .Values.x }}', '{% if %}', '\t', 'é🍏', '\r\n', '!!binary ', '%YAML 1.2\n',
];

describe('YAML readers fuzz', () => {
  test('random token soup never throws and yields in-bounds ranges', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 150 }), (toks) => {
        check(toks.join(''));
      }),
      { numRuns: 400, seed: 9 },
    );
  });

  test('random mutations of the fixtures never throw', () => {
    const sources = [
      readFixture('charms', 'flask-ext', 'charmcraft.yaml'),
      readFixture('charms', 'broken', 'charmcraft.yaml'),
      readFixture('compose', 'anchors.yml'),
      readFixture('compose', 'broken.yml'),
      readFixture('helm', 'env-list.yaml'),
      readFixture('helm', 'diffgram-values.yaml'),
    ];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.nat({ max: 30 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.constantFrom(...TOKENS) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.array(op, { minLength: 1, maxLength: 8 }), (src, ops) => {
        let t = src;
        for (const o of ops) {
          const at = Math.floor(o.at * t.length);
          if (o.kind === 'delete') t = t.slice(0, at) + t.slice(at + o.len);
          else if (o.kind === 'insert') t = t.slice(0, at) + o.text + t.slice(at);
          else t = t.slice(0, at);
        }
        check(t);
      }),
      { numRuns: 300, seed: 21 },
    );
  });

  test('random unicode never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        check(s);
        check(`services:\n  a:\n    environment:\n      K: ${JSON.stringify(s)}\n    command: ${JSON.stringify(s)}\n`);
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});

describe('YAML readers on hostile input (the readers, after the shared YAML parse)', () => {
  const MB = 1024 * 1024;
  const nested = (n: number) => `${'a:\n'.split('').join('')}${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join('')}`;
  const cases: [string, () => string][] = [
    ['a 1 MB scalar full of ${', () => `services:\n  a:\n    command: "${'${A:-${B'.repeat(MB / 8)}"\n`],
    ['a 1 MB line of $VAR', () => `services:\n  a:\n    command: ${'$VAR_NAME '.repeat(MB / 10)}\n`],
    ['deep block nesting (2,000 levels)', () => nested(2000)],
    ['deep flow nesting', () => `config: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['merge-key bomb', () => {
      let t = 'a0: &a0 {K: v}\n';
      for (let i = 1; i < 30; i++) t += `a${i}: &a${i}\n  <<: [*a${i - 1}, *a${i - 1}]\n  K${i}: v\n`;
      return `${t}services:\n  s:\n    <<: *a29\n    environment:\n      <<: *a29\n`;
    }],
    ['alias bomb in env lists', () => {
      let t = 'l0: &l0 [{name: A, value: b}]\n';
      for (let i = 1; i < 25; i++) t += `l${i}: &l${i} [*l${i - 1}, *l${i - 1}]\n`;
      return `${t}env: *l24\n`;
    }],
    ['10,000 options', () => `config:\n  options:\n${Array.from({ length: 10_000 }, (_, i) => `    opt-${i}: {type: string, default: v${i}}\n`).join('')}`],
    ['5,000 services with environments', () => `services:\n${Array.from({ length: 5000 }, (_, i) => `  s${i}:\n    image: x\n    environment: ["A${i}=\${B${i}}"]\n`).join('')}`],
    ['5,000 malformed services (errors are capped)', () => `services:\n${Array.from({ length: 5000 }, (_, i) => `  s${i}:\n    environment: [{A${i}: 1}]\n    env_file: {}\n`).join('')}`],
    ['a Helm template of 20,000 lines', () => Array.from({ length: 20_000 }, (_, i) => (i % 3 ? `  key${i}: {{ .Values.k${i} }}` : `{{- if .Values.on${i} }}`)).join('\n')],
    ['20,000 upper-case maps', () => Array.from({ length: 20_000 }, (_, i) => `m${i}:\n  A_${i}: x\n  B_${i}: y\n`).join('')],
  ];
  for (const [name, make] of cases) {
    test(name, () => {
      const r = check(make(), MAX_MS_LARGE);
      // At most 50 structural errors, 10 YAML ones and a notice or two.
      assert.ok(r.errors <= 62, `${r.errors} errors`);
    });
  }
});
