// The App Variables view's presentation (client/src/tree/appsModel.ts): a variable is "missing" only
// where the rules would say so (analysis/rules/env/util.ts sourcesKnown).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppInfo, AppVariableInfo } from '../../server/src/lsp/protocol';
import { variableState } from '../../client/src/tree/appsModel';

const at = { uri: 'file:///w/app/settings.py', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } } };
const read: AppVariableInfo = { name: 'EMAIL_HOST', sensitive: false, required: true, reads: [{ ...at, required: true }], provided: [] };
const app = (sources: AppInfo['sources']): AppInfo => ({ id: 'a', label: 'app', root: 'file:///w/app', kind: 'folder', sources, variables: [read] });
const src = (kind: AppInfo['sources'][number]['kind'], complete = true) => ({ id: kind, label: kind === 'dotenv' ? '.env' : kind, kind, uri: 'file:///w/app/x', complete });

test('a read nobody provides: missing with a deployment source, unknown with only the code\'s own writes, none or an incomplete source', () => {
  assert.equal(variableState(app([src('dotenv')]), read), 'missing');
  assert.equal(variableState(app([src('dotenv'), src('code')]), read), 'missing');
  assert.equal(variableState(app([src('code')]), read), 'unknown');
  assert.equal(variableState(app([]), read), 'unknown');
  assert.equal(variableState(app([src('dotenv', false)]), read), 'unknown');
});
