// A Helm chart's templates (parse/helmTemplate.ts, helmTemplateText.ts): containers' literal env
// entries and what else writes their environment, ConfigMaps' keys, named templates; and how the file
// readers know them (model/files.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helmEnvEntryInsert, isHelmTemplatePath, parseHelmTemplate } from '../../server/src/parse/helmTemplate';
import { templateText } from '../../server/src/parse/helmTemplateText';
import { parseEnvFile } from '../../server/src/model/files';
import type { HelmTplSetter } from '../../server/src/parse/envTypes';

const URI = 'file:///ws/chart/templates/deployment.yaml';
const brief = (s: HelmTplSetter) => (s.kind === 'values' ? `values ${s.path}` : s.kind === 'include' ? `include ${s.name}` : `opaque ${s.text}`);

/** `helm create`'s deployment, cut down, with the env a team adds. */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          {{- with .Values.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          env:
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: {{ include "app.fullname" . }}
                  key: database-url
            - name: LOG_LEVEL
              value: {{ .Values.logLevel | quote }}
            - name: PORT
              value: "8000"
            {{- range $k, $v := .Values.extraEnv }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
{{- if .Values.env }}
{{ toYaml .Values.env | indent 12 }}
{{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "app.fullname" . }}-config
          {{- include "app.probes" . | nindent 10 }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{- include "app.fullname" . }}-config
data:
  STATIC_KEY: "x"
  {{- range $key, $value := .Values.config }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
`;

test('a Deployment template: literal env entries (a templated value is no literal), a range over a values map and a toYaml of a values list in env, envFrom by the name as written, an include at the container level', () => {
  const m = parseHelmTemplate(DEPLOYMENT, URI)!;
  assert.equal(m.containers.length, 1);
  const c = m.containers[0];
  assert.equal(c.workload, 'Deployment');
  assert.equal(c.name, '{{ .Chart.Name }}');
  assert.deepEqual(
    c.entries.map((e) => [e.key, e.value, e.from]),
    [
      ['DATABASE_URL', undefined, 'secret'],
      ['LOG_LEVEL', undefined, undefined],
      ['PORT', '8000', undefined],
    ],
  );
  assert.deepEqual(c.env.map(brief).sort(), ['values env', 'values extraEnv']);
  assert.deepEqual(
    c.envFrom.map((f) => [f.from, f.name]),
    [['config-map', '{{ include "app.fullname" . }}-config']],
  );
  assert.deepEqual(c.envFromSetters, []);
  // (securityContext's and resources' toYaml write into their keys, not the container's.)
  assert.deepEqual(c.other.map(brief), ['include app.probes']);
  assert.deepEqual(
    m.data.map((d) => [d.from, d.name, d.keys.map((k) => k.key), d.setters.map(brief)]),
    [['config-map', '{{ include "app.fullname" . }}-config', ['STATIC_KEY'], ['values config']]],
  );
  // Ranges point at the entry in the file.
  assert.deepEqual(c.entries[2].keyRange.start, { line: 24, character: 20 });
});

test('env written after the key on its line (`env: {{- toYaml .Values.env | nindent 12 }}`), inside `with`, and by anything else', () => {
  const tpl = (env: string) => `kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n${env}`;
  const env = (text: string) => parseHelmTemplate(tpl(text), URI)!.containers[0].env.map(brief);
  assert.deepEqual(env('          env: {{- toYaml .Values.env | nindent 12 }}\n'), ['values env']);
  assert.deepEqual(env('          {{- with .Values.app }}\n          env:\n            {{- toYaml .env | nindent 12 }}\n          {{- end }}\n'), ['values app.env']);
  assert.deepEqual(env('          env:\n            {{- tpl (toYaml .Values.env) . | nindent 12 }}\n'), ['values env']);
  assert.deepEqual(env('          env:\n            {{- include "web.env" . | nindent 12 }}\n'), ['include web.env']);
  assert.deepEqual(env('          env:\n            {{- tpl .Values.envTemplate . | nindent 12 }}\n'), ['opaque {{ tpl .Values.envTemplate . | nindent 12 }}']);
  // A name computed otherwise than from a range's key or item.
  assert.deepEqual(env('          env:\n            - name: {{ .Values.prefix }}_URL\n              value: x\n'), ['opaque the name {{ .Values.prefix }}_URL']);
  // A quoted range key (jupyterhub's `{{ $key | quote }}`) is the key; `fail` writes nothing.
  assert.deepEqual(env('          env:\n            {{- range $key, $v := .Values.extraEnv }}\n            - name: {{ $key | quote }}\n              value: x\n            {{- end }}\n            {{- if .Values.x }}\n            {{- fail "x and y" }}\n            {{- end }}\n'), ['values extraEnv']);
  assert.deepEqual(env('          env:\n            {{- range .Values.extraEnv }}\n            - name: {{ .name }}\n              value: {{ .value }}\n            {{- end }}\n'), ['values extraEnv']);
  // An env list the template leaves to a values key alone (`{{- toYaml .Values.containers }}`) has no literal container.
  assert.deepEqual(parseHelmTemplate(`kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        {{- toYaml .Values.containers | nindent 8 }}\n`, URI)?.containers ?? [], []);
});

test('named templates: a define is not output where it is written; its `- name:` entries and actions are kept, and whether it writes env keys', () => {
  const helpers = `{{/*
Expand the name of the chart. {{ not an action }}
*/}}
{{- define "app.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "app.env" -}}
- name: REDIS_URL
  value: {{ .Values.redis.url | quote }}
- name: "SECRET_KEY"
  valueFrom:
    secretKeyRef:
      name: {{ include "app.fullname" . }}
      key: secret-key
{{- range $k, $v := .Values.env }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "app.container" -}}
env:
  {{- include "app.env" . | nindent 2 }}
{{- end }}
`;
  const m = parseHelmTemplate(helpers, 'file:///ws/chart/templates/_helpers.tpl')!;
  assert.deepEqual(
    m.defines.map((d) => [d.name, d.entries.map((e) => e.key), d.setters.map(brief), d.writesEnv]),
    [
      ['app.fullname', [], ['opaque {{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | tri… }}'], false],
      ['app.env', ['REDIS_URL', 'SECRET_KEY'], ['values env', 'values extraEnv'], false],
      ['app.container', [], ['include app.env'], true],
    ],
  );
  assert.deepEqual(m.containers, []);
});

test('the text with actions set aside keeps every offset; lines of actions alone are blank, an action inside a line is as long in placeholders', () => {
  const text = 'a: {{ .Values.x }}\n{{- if .Values.y }}\r\nb: "{{ .Values.z }}"\n{{- end }}\n';
  const t = templateText(text);
  assert.equal(t.yaml.length, text.length);
  assert.equal(t.yaml, 'a: ···············\n                   \r\nb: "···············"\n          \n');
  assert.deepEqual(
    t.frames.map((f) => f?.kind),
    // (The `end`'s own line starts inside the block.)
    [undefined, undefined, 'if', 'if', undefined],
  );
});

test('hostile templates are read within bounds: unclosed actions, tens of thousands of actions, deep nesting, a huge line', () => {
  const cases = [
    `kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: x\n${'{{ '.repeat(200_000)}`,
    `kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x\ndata:\n${'  {{- if .x }}\n'.repeat(30_000)}  A: b\n`,
    `kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x\ndata:\n  A: "${'{{ x }}'.repeat(100_000)}"\n`,
    `${'{{- define "a" }}'.repeat(5_000)}`,
  ];
  for (const text of cases) {
    const t0 = performance.now();
    const m = parseHelmTemplate(text, URI);
    const ms = performance.now() - t0;
    assert.ok(ms < 3_000, `${ms} ms`);
    if (m?.data.length) assert.ok(m.unread || m.data[0].keys.length >= 0);
  }
  // Past the actions read, the rest of the file is said to be unread.
  const many = parseHelmTemplate(`kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x\ndata:\n${'  {{- if .x }}\n'.repeat(30_000)}`, URI)!;
  assert.match(many.unread!.message, /more than 20,000 template actions/);
});

test('which files are chart templates, and what the readers make of one that is not', () => {
  assert.ok(isHelmTemplatePath('/r/charts/web/templates/deployment.yaml'));
  assert.ok(isHelmTemplatePath('/r/charts/web/templates/_helpers.tpl'));
  assert.ok(isHelmTemplatePath('/r/charts/web/templates/worker/cronjob.yml'));
  assert.ok(!isHelmTemplatePath('/r/charts/web/templates/tests/test-connection.yaml'));
  assert.ok(!isHelmTemplatePath('/r/charts/web/values.yaml'));
  assert.equal(parseEnvFile('source', DEPLOYMENT, URI).kind, 'helm-template');
  assert.equal(parseEnvFile('helm-template', '{{- define "x" -}}\n- name: A\n{{- end }}\n', 'file:///ws/chart/templates/_env.tpl').kind, 'helm-template');
  // A CloudFormation / SAM template in a `templates/` folder (its `{{resolve:…}}` is no Go template) is still read as one.
  const sam = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Environment:\n        Variables:\n          KEY: "{{resolve:ssm:/k}}"\n';
  assert.equal(parseEnvFile('source', sam, 'file:///ws/templates/api.yaml').kind, 'sam');
  // A `.tpl` that defines nothing is only a file.
  assert.equal(parseEnvFile('helm-template', 'hello\n', 'file:///ws/chart/templates/NOTES.tpl').kind, 'source');
});

test("the quick fix's insertion: after the container's last literal entry at its indentation, CRLF kept, at the end of a file that ends there; none without a literal entry or in another program's container", () => {
  const apply = (text: string, at: { offset: number; insert: string }) => text.slice(0, at.offset) + at.insert + text.slice(at.offset);
  const at = helmEnvEntryInsert(DEPLOYMENT, URI, 'WORKERS', () => true)!;
  assert.equal(at.container, '{{ .Chart.Name }}');
  const after = apply(DEPLOYMENT, at);
  assert.match(after, /              value: "8000"\n            - name: WORKERS\n              value: ""\n            \{\{- range \$k/);
  // The new entry is read back as one.
  assert.deepEqual(parseHelmTemplate(after, URI)!.containers[0].entries.map((e) => e.key), ['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'WORKERS']);
  const crlf = 'kind: Pod\r\napiVersion: v1\r\nmetadata:\r\n  name: x\r\nspec:\r\n  containers:\r\n    - name: app\r\n      env:\r\n        - name: A\r\n          value: "1"';
  assert.equal(apply(crlf, helmEnvEntryInsert(crlf, URI, 'B', () => true)!), `${crlf}\r\n        - name: B\r\n          value: ""\r\n`);
  assert.equal(helmEnvEntryInsert(crlf.replace('name: app', 'name: cache\r\n      image: redis:7'), URI, 'B', (img) => img !== 'redis'), undefined);
  assert.equal(helmEnvEntryInsert('kind: Pod\napiVersion: v1\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: app\n      env: {{- toYaml .Values.env | nindent 8 }}\n', URI, 'B', () => true), undefined);
});

test("a password in a template's env list is found though the template's actions break its YAML; a value from the values is none", () => {
  const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          env:\n            - name: DB_PASSWORD\n              value: "Zx9qLm2vR8wT4pKd7Q"\n            - name: API_PASSWORD\n              value: {{ .Values.apiPassword | quote }}\n            {{- toYaml .Values.env | nindent 12 }}\n`;
  const m = parseEnvFile('source', text, URI);
  assert.equal(m.kind, 'helm-template');
  assert.deepEqual(
    m.credentials.findings.map((f) => [f.detector, f.keyName, f.range.start.line]),
    [['password-assignment', 'DB_PASSWORD', 11]],
  );
});
