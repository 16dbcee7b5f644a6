// Kubernetes manifests as apps' sources, through the built CLI: found by content under any name,
// given to the app whose folder holds them (from a deployment folder such as k8s/), another
// program's container left out, an envFrom of an object defined elsewhere making them incomplete,
// and values never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (YAML double-quoted). */
const CANARY = 'Zr8\\"kq\\\\2mv\\nTq-canary-77';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: registry.example.org/shop/web:2.1
          env:
            - name: DJANGO_DEBUG
              value: "false"
            - name: DJANGO_SECRET_KEY
              valueFrom:
                secretKeyRef: {name: web-secrets, key: secret-key}
            - name: DB_PASSWORD
              value: "${CANARY}"
            - name: NOT_READ
              value: "1"
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
spec:
  template:
    spec:
      containers:
        - name: redis
          image: redis:7-alpine
          env:
            - name: REDIS_PASSWORD
              value: "x"
`;

const SETTINGS = 'import os\nDEBUG = os.environ["DJANGO_DEBUG"]\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDB = os.environ["DB_PASSWORD"]\nX = os.environ["MISSING_ONE"]\n';

test('a Deployment in k8s/ is the app\'s source: what it gives, what it does not; redis is not the app; no value printed', () => {
  withTree({ 'k8s/web-deploy.yml': DEPLOYMENT, 'shop/settings.py': SETTINGS }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['credential-password-assignment', 'k8s/web-deploy.yml', 18],
      ['env-not-provided', 'shop/settings.py', 5],
    ]);
    assert.equal(fs[1].message, 'MISSING_ONE is required here but k8s web does not provide it');
    const env = cli(root, ['env', root]);
    assert.match(env, /DJANGO_SECRET_KEY \(secret\)\s+required\s+✓/);
    assert.doesNotMatch(env, /k8s cache|REDIS_PASSWORD/, "redis's environment is redis's");
    assert.doesNotMatch(env, /NOT_READ/, 'an entry nothing reads is not listed as unused');
    const json = cli(root, ['env', root, '--format', 'json']);
    const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'kq', 'mv\\n', '2mv']) assert.ok(!out.includes(part), part);
  });
});

test('an envFrom of a Secret made elsewhere: what it sets is unknown, so nothing is "not provided"', () => {
  const withFrom = DEPLOYMENT.replace('          env:\n            - name: DJANGO_DEBUG', '          envFrom:\n            - secretRef:\n                name: made-by-kubectl\n          env:\n            - name: DJANGO_DEBUG');
  withTree({ 'deploy/web.yaml': withFrom, 'shop/settings.py': SETTINGS }, (root) => {
    assert.deepEqual(checkTree(root).filter((f) => f.code === 'env-not-provided'), []);
    assert.match(cli(root, ['env', root]), /\? k8s web: envFrom takes in Secret made-by-kubectl, not defined in this folder's manifests or a kustomization building on it/);
  });
});

test('an envFrom of a ConfigMap in a file of the same folder (configmap.yml beside deployment.yml): taken in', () => {
  const withFrom = DEPLOYMENT.replace('          env:\n            - name: DJANGO_DEBUG', '          envFrom:\n            - configMapRef:\n                name: web-config\n          env:\n            - name: DJANGO_DEBUG');
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  MISSING_ONE: "now given"\n';
  withTree({ 'k8s/deployment.yml': withFrom, 'k8s/configmap.yml': configMap, 'shop/settings.py': SETTINGS }, (root) => {
    assert.deepEqual(checkTree(root).filter((f) => f.code === 'env-not-provided'), []);
    assert.match(cli(root, ['env', root]), /MISSING_ONE\s+required\s+✓/);
  });
  // The same ConfigMap in another folder is not taken in: unknown, not "not provided".
  withTree({ 'k8s/deployment.yml': withFrom, 'k8s/other/configmap.yml': configMap, 'shop/settings.py': SETTINGS }, (root) => {
    assert.deepEqual(checkTree(root).filter((f) => f.code === 'env-not-provided'), []);
    assert.match(cli(root, ['env', root]), /\? k8s web: envFrom takes in ConfigMap web-config/);
  });
});

test("manifests in another program's folder, or with template syntax, give the app nothing", () => {
  withTree({ 'frontend/deployment.yaml': DEPLOYMENT, 'frontend/package.json': '{}', 'shop/settings.py': SETTINGS, '.env': 'OTHER=1\n' }, (root) => {
    assert.doesNotMatch(cli(root, ['env', root]), /k8s web/);
  });
  const helm = DEPLOYMENT.replace('name: web\nspec', 'name: {{ .Release.Name }}\nspec');
  withTree({ 'k8s/web.yaml': helm, 'shop/settings.py': SETTINGS, '.env': 'OTHER=1\n' }, (root) => {
    assert.doesNotMatch(cli(root, ['env', root]), /k8s /);
  });
});
