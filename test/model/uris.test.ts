// Uris as people read them: labels and messages show decoded names; text that is not valid
// percent-encoding is shown as it is, never an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileNameOf, toUri } from '../../server/src/model/uris';
import { decodePercent } from '../../server/src/parse/text';
import { relPath } from '../../server/src/features/env/text';

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

test('relPath (the apps tree, hovers): a path below the folder or the file name, each decoded once', () => {
  const root = toUri('/tmp/x/my app');
  assert.equal(relPath(root, toUri('/tmp/x/my app/conf dir/.env')), 'conf dir/.env');
  // Decoded once: a file named `100% done.py` (uri `100%25%20done.py`), whose `%` is not an escape.
  assert.equal(relPath(root, toUri('/tmp/y/100% done.py')), '100% done.py');
  assert.equal(relPath(root, `${root}/bad%E0%A4%A.py`), 'bad%E0%A4%A.py');
});
