// Orchard against the real tools' answers. Every file under test/fixtures/oracle/ has a
// `<file>.expected.json` written by scripts/oracle/measure.ts from figgy-lib 1.0.0 (config.py: the
// verdict of importing it and creating each FigStore with lazy_load=True, each Fig's full name, the
// exact figgy.json ConfigWriter writes) or figgy-cli (a figgy JSON file: the verdict of `config
// validate` in an environment holding every expected name, and the names it looks for; an owner's
// file: `sync --replication-only`'s verdict and mapping). This test needs neither tool: it checks that
// Orchard gives the same verdict, the same names and the same bytes, and never an error on a file
// the tool accepts.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { initPython } from '../../server/src/parse/python';
import { compareJson, comparePython, viewJson, viewPython, type CliAnswer, type LibAnswer, type ReplicationAnswer } from './view';

const ROOT = path.join(__dirname, '..', 'fixtures', 'oracle');

/**
 * Files whose names depend on run-time values (os.environ, a constant assigned in an `if`): Orchard
 * cannot know them and says so with a warning; it must still agree on the verdict and on every name
 * it does give.
 */
const RUN_TIME: Record<string, string[]> = {
  'py/runtime_value.py': ['A'],
  'py/conditional_const.py': ['A'],
  'py/getenv_default.py': ['A'],
};

function walk(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    })
    .filter((p) => /\.(py|json)$/.test(p) && !p.endsWith('.expected.json') && existsSync(`${p}.expected.json`))
    .sort();
}

before(async () => {
  await initPython();
});

describe('config.py: Orchard agrees with figgy-lib 1.0.0', () => {
  for (const file of walk(path.join(ROOT, 'py'))) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    test(rel, () => {
      const want = JSON.parse(readFileSync(`${file}.expected.json`, 'utf8')) as LibAnswer;
      const got = viewPython(file);
      const unknown = RUN_TIME[rel];
      if (!unknown) {
        assert.equal(comparePython(want, got), undefined);
        return;
      }
      assert.equal(got.verdict, want.verdict);
      for (const c of want.classes) {
        const mine = got.classes.find((x) => x.class === c.class)!;
        for (const [attr, name] of Object.entries(mine.names)) assert.equal(name, c.names?.[attr], attr);
        const missing = Object.keys(c.names ?? {}).filter((a) => !(a in mine.names));
        assert.deepEqual(missing, unknown, 'exactly the run-time names are unknown');
        assert.ok(mine.problems.length > 0, 'the regenerate action is not offered for a class with unknown names');
      }
    });
  }
});

describe('figgy JSON files: Orchard agrees with figgy-cli', () => {
  // json/: written per point of the issue; json-generated/: scripts/oracle/json_variants.py 3 60.
  for (const file of [...walk(path.join(ROOT, 'json')), ...walk(path.join(ROOT, 'json-generated'))]) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    test(rel, async () => {
      const want = JSON.parse(readFileSync(`${file}.expected.json`, 'utf8')) as (CliAnswer | ReplicationAnswer) & { tool: string };
      const owner = want.tool.includes('replication-only');
      const got = await viewJson(file);
      assert.equal(compareJson(owner ? undefined : (want as CliAnswer), owner ? (want as ReplicationAnswer) : undefined, got), undefined);
    });
  }
});
