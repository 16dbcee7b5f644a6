// Property: for config.py files generated from the grammar Orchard supports (constants built with str
// methods, %, format(), f-string specs and unpacking; TWIG with and without slashes; names relative,
// absolute, with `//`; aliases; MergeFig patterns over literals, constants, Figs of the store, a base
// class's Figs and a module-level Fig; uri_encode; inheritance with TWIG in the base or the subclass),
// Orchard gives the names and the figgy.json bytes the generator computed independently (checked
// against the real figgy-lib by scripts/oracle/check-generator.ts), and no error.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initPython } from '../../server/src/parse/python';
import { viewPython } from './view';
import { programArb } from './figstoreGen';

before(async () => {
  await initPython();
});

test('generated FigStore classes: Orchard computes figgy-lib\'s names and ConfigWriter\'s bytes', () => {
  fc.assert(
    fc.property(programArb, (p) => {
      const v = viewPython('/gen/config.py', p.source);
      assert.deepEqual(v.errors.map((e) => `${e.code}: ${e.message}`), [], 'no error finding');
      const figs = v.classes.find((c) => c.class === 'Figs');
      assert.ok(figs, 'class Figs is a store');
      assert.deepEqual(figs.names, p.names);
      assert.deepEqual(figs.problems, []);
      assert.equal(figs.json, p.json);
    }),
    { numRuns: 300 },
  );
});
