// A Helm chart through the real server: its templates are read (a `.tpl`'s named templates too), a
// read neither they nor the values set is not provided, typing into a template changes that, and an
// action Orchard does not follow makes the chart unknown again, the view saying where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness';

const APP = 'import os\nPORT = os.environ["PORT"]\nTOKEN = os.environ["API_TOKEN"]\nREDIS = os.environ["REDIS_URL"]\n';
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image }}"
          env:
            - name: PORT
              value: "8000"
            {{- include "web.env" . | nindent 12 }}
`;
const FILES = {
  'web/app.py': APP,
  'web/chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'web/chart/values.yaml': 'image: web\n',
  'web/chart/templates/deployment.yaml': DEPLOYMENT,
  'web/chart/templates/_helpers.tpl': '{{- define "web.env" -}}\n- name: REDIS_URL\n  value: redis://cache\n{{- end }}\n',
};
const missing = (d: { code?: unknown; message: unknown }[]) => d.filter((x) => x.code === 'env-not-provided').map((x) => String(x.message).split(' ')[0]);

test("a chart's templates are its container's environment: typing an entry into one provides the read; an action Orchard does not follow makes it unknown", { timeout: 60_000 }, async (t) => {
  const h = await startHarness({ files: FILES });
  t.after(() => h.close());
  const appUri = h.uri('web/app.py');
  // PORT from the template, REDIS_URL from the named template in _helpers.tpl: API_TOKEN alone is missing.
  await h.waitForDiagnostics(appUri, (d) => missing(d).join() === 'API_TOKEN', 20_000);
  await h.open('web/chart/templates/deployment.yaml', DEPLOYMENT);
  // From the template's entry to the code that reads it.
  const onEntry = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri: h.uri('web/chart/templates/deployment.yaml') }, position: { line: 11, character: 22 } })) as { contents: { value: string } } | null;
  assert.match(onEntry?.contents.value ?? '', /PORT/);
  assert.match(onEntry?.contents.value ?? '', /app\.py:2/);
  const withToken = DEPLOYMENT.replace('            {{- include', '            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef: {name: web, key: token}\n            {{- include');
  h.change('web/chart/templates/deployment.yaml', 2, withToken);
  await h.waitForDiagnostics(appUri, (d) => missing(d).length === 0, 20_000);
  // A template made unknown: nothing is claimed missing, and the view says why.
  h.change('web/chart/templates/deployment.yaml', 3, DEPLOYMENT.replace('include "web.env" .', 'tpl .Values.envTemplate .'));
  await h.waitForDiagnostics(appUri, (d) => missing(d).length === 0, 20_000);
  await h.server.idle();
  const apps = (await h.client.sendRequest('orchard/apps', {})) as { apps: { sources: { kind: string; label: string; complete: boolean; incompleteReason?: string }[] }[] };
  const chart = apps.apps.flatMap((a) => a.sources).find((s) => s.label === 'chart templates');
  assert.ok(chart && !chart.complete, JSON.stringify(apps));
  assert.match(chart.incompleteReason ?? '', /templates\/deployment\.yaml:14 writes the environment with \{\{ tpl \.Values\.envTemplate \. \| nindent 12 \}\}, which Orchard does not follow/);
  // The hover's table says it whole: the template's pipe is escaped, not the end of the cell.
  const hover = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri: appUri }, position: { line: 2, character: 20 } })) as { contents: { value: string } } | null;
  assert.ok(hover?.contents.value.includes('| values.yaml | ? templates/deployment.yaml:14 writes the environment with {{ tpl .Values.envTemplate . \\| nindent 12 }}, which Orchard does not follow |'), hover?.contents.value);
  // Back to the include, the named template now gone: unknown, the template named.
  h.change('web/chart/templates/deployment.yaml', 4, DEPLOYMENT);
  await h.waitForDiagnostics(appUri, (d) => missing(d).join() === 'API_TOKEN', 20_000);
  await h.open('web/chart/templates/_helpers.tpl', FILES['web/chart/templates/_helpers.tpl']);
  h.change('web/chart/templates/_helpers.tpl', 2, '');
  await h.waitForDiagnostics(appUri, (d) => missing(d).length === 0, 20_000);
});

test("a read the chart does not set gets a quick fix adding it to the template's container env (never a secret)", { timeout: 60_000 }, async (t) => {
  const h = await startHarness({ files: { ...FILES, 'web/app.py': `${APP}WORKERS = os.environ["WORKERS"]\n` } });
  t.after(() => h.close());
  const appUri = h.uri('web/app.py');
  const tplUri = h.uri('web/chart/templates/deployment.yaml');
  const diags = await h.waitForDiagnostics(appUri, (d) => missing(d).join() === 'API_TOKEN,WORKERS', 20_000);
  const actionsFor = async (name: string) => {
    const diag = diags.find((x) => x.code === 'env-not-provided' && String(x.message).startsWith(name))!;
    return (await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri: appUri }, range: diag.range, context: { diagnostics: [diag] } })) as { title: string; edit?: { changes: Record<string, { range: { start: { line: number } }; newText: string }[]> } }[];
  };
  const add = (await actionsFor('WORKERS')).find((a) => a.title === 'Add WORKERS to templates/deployment.yaml (env of container web)');
  assert.ok(add, JSON.stringify(await actionsFor('WORKERS')));
  // After the last literal entry, before the include, at the entries' indentation.
  assert.deepEqual(add.edit!.changes[tplUri], [{ range: { start: { line: 13, character: 0 }, end: { line: 13, character: 0 } }, newText: '            - name: WORKERS\n              value: ""\n' }]);
  assert.ok(!(await actionsFor('API_TOKEN')).some((a) => a.title.includes('templates/')));
});

test('a chart whose container env comes from the values only: the quick fix adds the item to values.yaml at the path the template writes', { timeout: 60_000 }, async (t) => {
  const values = 'image: web\nenv:\n  - name: PORT\n    value: "8000"\n';
  const h = await startHarness({
    files: {
      'web/app.py': 'import os\nPORT = os.environ["PORT"]\nWORKERS = os.environ["WORKERS"]\n',
      'web/chart/Chart.yaml': FILES['web/chart/Chart.yaml'],
      'web/chart/values.yaml': values,
      'web/chart/templates/deployment.yaml': DEPLOYMENT.replace(/ {10}env:[\s\S]*$/, '          env: {{- toYaml .Values.env | nindent 12 }}\n'),
    },
  });
  t.after(() => h.close());
  const appUri = h.uri('web/app.py');
  const diags = await h.waitForDiagnostics(appUri, (d) => missing(d).join() === 'WORKERS', 20_000);
  const diag = diags.find((x) => x.code === 'env-not-provided')!;
  const actions = (await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri: appUri }, range: diag.range, context: { diagnostics: [diag] } })) as { title: string; edit?: { changes: Record<string, { newText: string }[]> } }[];
  const add = actions.find((a) => a.title === 'Add WORKERS to values.yaml env');
  assert.ok(add, actions.map((a) => a.title).join(' | '));
  assert.deepEqual(add.edit!.changes[h.uri('web/chart/values.yaml')].map((e) => e.newText), ['\n  - name: WORKERS\n    value: ""']);
});
