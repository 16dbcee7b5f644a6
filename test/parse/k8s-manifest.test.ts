// Kubernetes manifests (parse/k8sManifest.ts), the sources made from their containers
// (model/appSources.ts k8sSource), and how the file readers know them by content (model/files.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlFile } from '../../server/src/parse/yaml';
import { imageName, parseK8sManifests } from '../../server/src/parse/k8sManifest';
import { k8sSource, mayBeAppContainer } from '../../server/src/model/appSources';
import { parseEnvFile } from '../../server/src/model/files';

const URI = 'file:///ws/k8s/web.yaml';
const read = (text: string) => parseK8sManifests(parseYamlFile(text), URI);

const MANIFESTS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  CACHE_URL: redis://cache:6379/0
  LOG_LEVEL: info
---
apiVersion: v1
kind: Secret
metadata:
  name: web-secrets
stringData:
  API_TOKEN: placeholder
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/shop/web:1.4@sha256:0123
          envFrom:
            - configMapRef:
                name: web-config
            - secretRef:
                name: web-secrets
              prefix: APP_
            - secretRef:
                name: made-by-kubectl
          env:
            - name: LOG_LEVEL
              value: debug
            - name: DJANGO_SECRET_KEY
              valueFrom:
                secretKeyRef: {name: web-secrets, key: secret-key}
            - name: POD_IP
              valueFrom:
                fieldRef: {fieldPath: status.podIP}
            - name: BARE
        - name: proxy
          image: nginx:1.27
          env:
            - name: NGINX_PORT
              value: "80"
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: shop/web
              env:
                - name: REPORT_TO
                  value: ops@example.org
`;

test('workloads, their containers and environments; ConfigMaps and Secrets by their keys', () => {
  const m = read(MANIFESTS)!;
  assert.deepEqual(m.workloads.map((w) => [w.kind, w.name, w.containers.map((c) => [c.name, c.image])]), [
    ['Deployment', 'web', [['web', 'shop/web'], ['proxy', 'nginx']]],
    ['CronJob', 'nightly', [['report', 'shop/web']]],
  ]);
  const web = m.workloads[0].containers[0];
  assert.deepEqual(web.entries.map((e) => [e.key, e.value, e.from]), [
    ['LOG_LEVEL', 'debug', undefined],
    ['DJANGO_SECRET_KEY', undefined, 'secret'],
    ['POD_IP', undefined, 'field'],
    ['BARE', '', undefined],
  ]);
  assert.deepEqual(web.envFrom.map((e) => [e.from, e.name, e.prefix]), [['config-map', 'web-config', undefined], ['secret', 'web-secrets', 'APP_'], ['secret', 'made-by-kubectl', undefined]]);
  assert.deepEqual(m.data.map((d) => [d.from, d.name, d.keys.map((k) => k.key)]), [['config-map', 'web-config', ['CACHE_URL', 'LOG_LEVEL']], ['secret', 'web-secrets', ['API_TOKEN']]]);
  // The key's place is where the user changes it.
  assert.equal(web.entries[0].keyRange.start.line, 34);
});

test("a container's source: its env wins over envFrom, a Secret's keys are sensitive, an object defined elsewhere makes it incomplete", () => {
  const m = read(MANIFESTS)!;
  const [web, proxy] = m.workloads[0].containers;
  assert.equal(mayBeAppContainer(proxy), false, "nginx's image is another program's");
  const s = k8sSource(m, m.workloads[0], web);
  assert.equal(s.label, 'k8s web', 'one container of the app in the workload: named by the workload');
  assert.deepEqual(s.provides.map((p) => [p.name, p.detail, p.sensitive, p.userDefined]).sort(), [
    ['APP_API_TOKEN', 'from Secret web-secrets', true, false],
    ['BARE', 'value', false, false],
    ['CACHE_URL', 'from ConfigMap web-config', false, false],
    ['DJANGO_SECRET_KEY', "a Secret's key", true, false],
    ['LOG_LEVEL', 'value', false, false],
    ['POD_IP', 'a field of the pod', false, false],
  ]);
  assert.equal(s.provides.find((p) => p.name === 'LOG_LEVEL')?.value, 'debug', 'env wins over the ConfigMap');
  assert.equal(s.complete, false);
  assert.equal(s.incompleteReason, "envFrom takes in Secret made-by-kubectl, not defined in this folder's manifests or a kustomization building on it");
  const cron = k8sSource(m, m.workloads[1], m.workloads[1].containers[0]);
  assert.deepEqual([cron.label, cron.complete, cron.provides.map((p) => p.name)], ['k8s nightly', true, ['REPORT_TO']]);
});

test('image names without registry, tag or digest', () => {
  assert.deepEqual(['ghcr.io/shop/web:1.4', 'localhost:5000/app', 'library/redis:7', 'Redis', 'bitnami/postgresql:16@sha256:ab', 'registry:5000/team/app:v1'].map(imageName), ['shop/web', 'app', 'redis', 'redis', 'bitnami/postgresql', 'team/app']);
});

test('other YAML is not a manifest: workflows, values files, a kustomization, Helm templates, a Service', () => {
  for (const text of [
    'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n',
    'image:\n  repository: shop/web\nenv:\n  LOG_LEVEL: info\n',
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          env:\n            - name: A\n              value: {{ .Values.a }}\n',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n',
    'kind: Deployment\nmetadata:\n  name: no-api-version\n',
  ]) {
    assert.equal(read(text), undefined, text);
  }
  // A kind that names a property of every object reads as the unknown kind it is, not the file's end.
  const odd = read('apiVersion: v1\nkind: constructor\nmetadata:\n  name: x\nspec: {}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n');
  assert.deepEqual(odd?.workloads.map((w) => w.name), ['p']);
  // A file of ConfigMaps and Secrets only is one: a manifest beside it takes them in.
  assert.deepEqual(read('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: only-data\ndata:\n  A: "1"\n')?.data.map((d) => [d.name, d.keys.map((k) => k.key)]), [['only-data', ['A']]]);
  // As the scan reads a file: `k8s` by content, else the YAML file it was (only scanned).
  assert.equal(parseEnvFile('source', MANIFESTS, URI).kind, 'k8s');
  assert.equal(parseEnvFile('source', 'name: ci\non: push\n', 'file:///ws/k8s/other.yaml').kind, 'source');
});

test('hostile manifests stay bounded: thousands of documents, deep nesting, a merge-key bomb', () => {
  const doc = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      env:\n        - name: V${i}\n          value: "${i}"\n`;
  const many = Array.from({ length: 5000 }, (_, i) => doc(i)).join('---\n');
  let t = Date.now();
  const m = read(many);
  assert.ok(m && m.workloads.length === 2000, 'at most 2,000 documents read');
  assert.ok(Date.now() - t < 5000, `${Date.now() - t} ms`);
  const deep = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
  t = Date.now();
  assert.equal(read(deep)?.workloads[0].containers.length ?? 0, 0);
  assert.ok(Date.now() - t < 5000);
  const bomb = ['a0: &a0 {x: 1}', ...Array.from({ length: 20 }, (_, i) => `a${i + 1}: &a${i + 1} {<<: [*a${i}, *a${i}], y${i}: 1}`), 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: bomb', 'spec:', '  containers:', '    - name: c', '      env:', '        - <<: *a20', '          name: X'].join('\n');
  t = Date.now();
  read(bomb);
  assert.ok(Date.now() - t < 5000);
});
