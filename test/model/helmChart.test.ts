// A Helm chart's environment from its templates and values files (model/helmChart.ts, the chart's
// sources in model/apps.ts): known only when every template action writing env is understood; a
// keystroke in its values or templates builds the apps again, and the patch equals the build.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPython, parsePython } from '../../server/src/parse/python';
import { buildWorkspace, type BuildInput } from '../../server/src/model/build';
import { patchWorkspace } from '../../server/src/model/patch';
import { sourcesKnown } from '../../server/src/model/sourcesKnown';
import type { App } from '../../server/src/model/types';
import { buildInput, built, type EnvFileSpec } from './buildInput.helpers';

before(async () => {
  await initPython();
});

const CHART = 'file:///ws/chart';
const deployment = (container: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "app.fullname" . }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: {{ .Chart.Name }}\n          image: "{{ .Values.image.repository }}"\n${container}`;
const ENV = `          env:
            - name: PORT
              value: "8000"
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef: {name: db, key: url}
            {{- include "app.env" . | nindent 12 }}
{{- with .Values.env }}
{{ toYaml . | indent 12 }}
{{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "app.fullname" . }}
            {{- with .Values.envFrom }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- include "app.probes" . | nindent 10 }}
`;
const HELPERS = '{{- define "app.env" -}}\n- name: REDIS_URL\n  value: {{ .Values.redis | quote }}\n{{- end }}\n{{- define "app.probes" -}}\nlivenessProbe:\n  httpGet: {path: /, port: 8000}\n{{- end }}\n';
const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "app.fullname" . }}\ndata:\n  WORKERS: "4"\n  {{- range $k, $v := .Values.settings }}\n  {{ $k }}: {{ $v | quote }}\n  {{- end }}\n';
const VALUES = 'image:\n  repository: shop\nenv:\n  - name: LOG_LEVEL\n    value: info\nenvFrom: []\nsettings:\n  CACHE_URL: redis://c\n  SENTRY_DSN: ""\n';

function workspace(files: Record<string, string>): BuildInput {
  const envFiles: EnvFileSpec[] = Object.entries(files).map(([p, text]) => [p.endsWith('.tpl') ? 'helm-template' : p.endsWith('values.yaml') ? 'helm-values' : 'source', `${CHART}/${p}`, text]);
  return {
    ...buildInput({ envFiles: [...envFiles, ['source', `${CHART}/Chart.yaml`, 'apiVersion: v2\nname: shop\nversion: 0.1.0\n']] }),
    python: [parsePython('import os\nPORT = os.environ["PORT"]\nTOKEN = os.environ["API_TOKEN"]\n', 'file:///ws/app.py')],
  };
}
const FILES = { 'templates/deployment.yaml': deployment(ENV), 'templates/_helpers.tpl': HELPERS, 'templates/configmap.yaml': CONFIGMAP, 'values.yaml': VALUES };
const app = (inp: BuildInput): App => buildWorkspace(inp).apps!.find((a) => a.sources.some((s) => s.kind === 'helm'))!;
const reasonOf = (a: App) => a.sources.find((s) => s.id === `helm-chart:${CHART}`)!.incompleteReason;

test('a chart whose templates are understood: its literal env, included templates and rendered ConfigMaps are its source, and with the values that is all', () => {
  const a = app(workspace(FILES));
  const chart = a.sources.find((s) => s.id === `helm-chart:${CHART}`)!;
  assert.equal(chart.label, 'chart templates');
  assert.equal(reasonOf(a), undefined);
  assert.deepEqual(chart.provides.map((p) => [p.name, p.detail]), [
    ['PORT', "templates/deployment.yaml: env of the Deployment's container"],
    ['DATABASE_URL', "templates/deployment.yaml: env of the Deployment's container (from a Secret)"],
    ['REDIS_URL', 'templates/_helpers.tpl: define "app.env"'],
    ['WORKERS', 'templates/configmap.yaml: ConfigMap keys (envFrom)'],
  ]);
  assert.equal(chart.provides[0].value, '8000');
  assert.ok(chart.provides[1].sensitive);
  // The values file lists LOG_LEVEL (env) and the settings map's keys; both sources are complete: API_TOKEN is known to be missing.
  assert.deepEqual(a.sources.find((s) => s.id === `helm:${CHART}/values.yaml`)!.provides.map((p) => p.name).sort(), ['CACHE_URL', 'LOG_LEVEL', 'SENTRY_DSN']);
  // Only what the templates write as variables: an env-looking map they use otherwise (a value of one entry) is none.
  const other = app(workspace({ ...FILES, 'values.yaml': `${VALUES}environment:\n  timezone: UTC\n  TZ_NAME: x\n` }));
  assert.deepEqual(other.sources.find((s) => s.id === `helm:${CHART}/values.yaml`)!.provides.map((p) => p.name).sort(), ['CACHE_URL', 'LOG_LEVEL', 'SENTRY_DSN']);
  assert.ok(sourcesKnown(a.sources));
});

test('what makes a chart unknown, said where: an action not followed, a template not defined, a Secret not rendered, envFrom filled from values, a values map not read as variables, a container-level include writing env', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['tpl', { 'templates/deployment.yaml': deployment('          env:\n            {{- tpl .Values.envTemplate . | nindent 12 }}\n') }, /^templates\/deployment\.yaml:12 writes the environment with \{\{ tpl \.Values\.envTemplate \. \| nindent 12 \}\}, which Orchard does not follow$/],
    ['include', { ...FILES, 'templates/_helpers.tpl': '' }, /^templates\/deployment\.yaml:17 writes the environment with the template "app\.env", which the chart's templates do not define/],
    ['secret', { ...FILES, 'templates/deployment.yaml': deployment('          envFrom:\n            - secretRef:\n                name: {{ .Values.existingSecret }}\n') }, /^templates\/deployment\.yaml:12 takes envFrom the Secret \{\{ \.Values\.existingSecret \}\}, which the chart's templates do not render$/],
    ['envFrom', { ...FILES, 'values.yaml': VALUES.replace('envFrom: []', 'envFrom:\n  - secretRef: {name: vault}') }, /takes envFrom from \.Values\.envFrom, which a values file fills/],
    ['config', { ...FILES, 'templates/configmap.yaml': CONFIGMAP.replace('.Values.settings', '.Values.config'), 'values.yaml': `${VALUES}config:\n  sentry_dsn: x\n  CACHE: y\n` }, /^templates\/configmap\.yaml:8 writes the environment from \.Values\.config, which Orchard does not read as variables$/],
    ['probes', { ...FILES, 'templates/_helpers.tpl': HELPERS.replace('livenessProbe:', 'env:\n  - name: X\nlivenessProbe:') }, /writes keys of the Deployment's container with the template "app\.probes", which may set its environment/],
    ['library', { 'templates/all.yaml': '{{- include "common.all" . }}\n', 'values.yaml': VALUES }, /^Orchard found no container in the chart's templates/],
  ];
  for (const [what, files, reason] of cases) {
    const a = app(workspace(files));
    assert.match(reasonOf(a) ?? '', reason, what);
    assert.ok(!sourcesKnown(a.sources), what);
    // Every source of the chart says so (the values file's too).
    const values = a.sources.find((s) => s.id === `helm:${CHART}/values.yaml`);
    if (values) assert.equal(values.incompleteReason, reasonOf(a), what);
  }
  // An empty or absent values path writes nothing: a map the values reader would not read is then no reason.
  assert.equal(reasonOf(app(workspace({ ...FILES, 'values.yaml': VALUES.replace(/settings:[\s\S]*$/, 'settings: {}\n') }))), undefined);
  assert.equal(reasonOf(app(workspace({ ...FILES, 'values.yaml': VALUES.replace(/settings:[\s\S]*$/, '') }))), undefined);
});

test('a keystroke in a chart values file or template builds the apps again: patched equals built', () => {
  const first = workspace(FILES);
  const prev = built(first);
  for (const [file, text] of [
    ['values.yaml', VALUES.replace('envFrom: []', 'envFrom:\n  - secretRef: {name: vault}')],
    ['templates/deployment.yaml', deployment(ENV.replace('PORT', 'HTTP_PORT'))],
    ['templates/_helpers.tpl', HELPERS.replace('REDIS_URL', 'CACHE')],
  ] as const) {
    const edited = workspace({ ...FILES, [file]: text });
    // The same objects but the edited file's model.
    const env = { ...first.env! };
    for (const list of ['helm', 'helmTemplates'] as const) env[list] = (first.env![list] ?? []).map((m) => edited.env![list]!.find((n) => n.uri === m.uri && n.uri.endsWith(file)) ?? m) as never;
    const inp: BuildInput = { ...first, env };
    const got = patchWorkspace(prev, inp);
    assert.deepEqual(got, buildWorkspace(inp), file);
  }
});

test("a chart of another program (every container a redis image) or one unpacked in a chart's charts/ folder is not the app's: neither it nor its values are a source", () => {
  const redis = deployment('          env:\n            - name: REDIS_PASSWORD\n              value: x\n').replace('image: "{{ .Values.image.repository }}"', 'image: bitnami/redis:7.2');
  const withRedis = workspace({ ...FILES, 'charts/redis/templates/deployment.yaml': redis, 'charts/redis/values.yaml': 'architecture: standalone\nextraEnv:\n  - name: X\n    value: y\n' });
  // (The unpacked dependency's Chart.yaml, as `helm dependency build` leaves it.)
  const inp = { ...withRedis, env: { ...withRedis.env!, charts: [...(withRedis.env!.charts ?? []), `${CHART}/charts/redis`] } };
  const a = app(inp);
  assert.deepEqual(a.sources.map((s) => s.label).sort(), ['chart templates', 'values.yaml']);
  assert.ok(sourcesKnown(a.sources));
  // A redis chart of its own folder beside the app: not the app's either.
  const beside: BuildInput = { ...buildInput({ envFiles: [['source', 'file:///ws/redis/templates/deployment.yaml', redis], ['source', 'file:///ws/redis/Chart.yaml', 'apiVersion: v2\nname: redis\nversion: 1.0.0\n'], ['helm-values', 'file:///ws/redis/values.yaml', 'extraEnv:\n  - name: X\n    value: y\n'], ['dotenv', 'file:///ws/.env', 'PORT=8000\n']] }), python: [parsePython('import os\nPORT = os.environ["PORT"]\n', 'file:///ws/app.py')] };
  assert.deepEqual(buildWorkspace(beside).apps![0].sources.map((s) => s.label), ['.env']);
});
