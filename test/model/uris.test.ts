// Uris as people read them: labels and messages show decoded names; text that is not valid
// percent-encoding is shown as it is, never an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileNameOf, toUri } from '../../server/src/model/uris';
import { decodePercent } from '../../server/src/parse/text';

test('fileNameOf: the last segment decoded, for names with spaces, braces, % and non-ASCII letters', () => {
  for (const name of ['my app', '{{cookiecutter.project_name}}', '100% done', 'café', '.env', 'a#b?c']) {
    assert.equal(fileNameOf(toUri(`/tmp/x/${name}`)), name);
  }
});

test('decodePercent: malformed percent-encoding comes back unchanged', () => {
  assert.equal(decodePercent('50%'), '50%');
  assert.equal(decodePercent('%E0%A4%A'), '%E0%A4%A');
  assert.equal(decodePercent('%zz'), '%zz');
  assert.equal(decodePercent('a%20b'), 'a b');
  assert.equal(fileNameOf('untitled:Untitled-1'), 'untitled:Untitled-1');
});
