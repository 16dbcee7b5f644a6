// A Serverless Framework service's serverless.yml (parse/serverless.ts), the source made from it
// (model/lambdaSources.ts serverlessSource) and the quick fix's insert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlFile } from '../../server/src/parse/yaml';
import { parseServerless, serverlessEntryInsert } from '../../server/src/parse/serverless';
import { serverlessMayRunPython, serverlessSource } from '../../server/src/model/lambdaSources';
import { parseEnvFile } from '../../server/src/model/files';

const URI = 'file:///ws/serverless.yml';
const read = (text: string, uri = URI) => parseServerless(parseYamlFile(text), uri);

const SLS = `service: billing
plugins:
  - serverless-python-requirements
provider:
  name: aws
  runtime: python3.12
  environment:
    TABLE: !Ref UsersTable
    BUCKET:
      Ref: Uploads
    SLACK_URL: \${ssm:/billing/slack-url}
    OLD_STYLE: \${ssm(us-east-1):/billing/token~true}
    REGION_NAME: \${env:AWS_REGION, 'us-east-1'}
    PREFIX: \${self:service}-\${sls:stage}
    LOG_FORMAT: json
functions:
  report:
    handler: src/handler.main
    environment:
      GROUP_BY: \${param:group, 'SERVICE'}
      LOG_FORMAT: text
  cleanup:
    handler: src/cleanup.main
    runtime: nodejs20.x
    environment:
      GROUP_BY: x
`;

test('provider and function environments: literals, Serverless variables and CloudFormation functions (provided, their values unknown); not a Node.js function\'s', () => {
  const m = read(SLS)!;
  assert.equal(m.kind, 'serverless');
  assert.equal(m.service, 'billing');
  assert.deepEqual(m.runtimes, ['python3.12', 'nodejs20.x']);
  assert.deepEqual(m.entries.map((e) => [e.key, e.fn ?? null, e.value ?? null, e.from ?? null]), [
    ['TABLE', null, null, 'CloudFormation, when deploying'],
    ['BUCKET', null, null, 'CloudFormation, when deploying'],
    ['SLACK_URL', null, null, 'SSM parameter /billing/slack-url'],
    ['OLD_STYLE', null, null, 'SSM parameter /billing/token'],
    ['REGION_NAME', null, null, "the deploying shell's AWS_REGION"],
    ['PREFIX', null, null, 'resolved by Serverless when deploying'],
    ['LOG_FORMAT', null, 'json', null],
    ['GROUP_BY', 'report', null, 'Serverless parameter group'],
    ['LOG_FORMAT', 'report', 'text', null],
  ]);
  assert.deepEqual(m.unknown, []);
  // `!Ref` is CloudFormation's tag, not a YAML error.
  assert.deepEqual(m.errors, []);
  assert.equal(m.envRange!.start.line, 6);
  // (Framework v1's `~true` asked for decryption: not part of the parameter's name.)
});

test('what makes part of the environment unknown: a variable for a mapping, functions from other files, serverless-dotenv-plugin', () => {
  const m = read('service: a\nprovider:\n  name: aws\n  runtime: python3.11\n  environment: ${file(env.yml):${sls:stage}}\nfunctions:\n  - ${file(functions/api.yml)}\n  - worker:\n      handler: w.main\n      environment: ${file(w.yml)}\nplugins:\n  modules:\n    - serverless-dotenv-plugin\n')!;
  assert.deepEqual(m.unknown, [
    'provider.environment is read from a variable when deploying',
    'functions are read from another file when deploying',
    "function worker's environment is read from a variable when deploying",
    "serverless-dotenv-plugin adds a .env file's variables",
  ]);
  const s = serverlessSource(m);
  assert.equal(s.complete, false);
  assert.match(s.incompleteReason!, /^provider\.environment is read from a variable when deploying; functions are read/);
});

test('recognised by name and content: a service with an AWS provider; another file of that name is only scanned', () => {
  for (const [text, uri] of [
    [SLS, 'file:///ws/app.yml'], // another name
    ['service: a\nprovider:\n  name: azure\n  runtime: python3.8\n', URI], // another cloud's
    ['service: a\nfunctions: {}\n', URI], // no provider
    ['provider:\n  name: aws\n', URI], // no service
    ['- a\n- b\n', URI],
  ] as const) {
    assert.equal(read(text, uri), undefined, text);
  }
  assert.equal(parseEnvFile('serverless', SLS, URI).kind, 'serverless');
  assert.equal(parseEnvFile('serverless', 'plugins: []\n', URI).kind, 'source');
  assert.equal(read('service:\n  name: legacy\nprovider:\n  name: aws\n', 'file:///ws/serverless.yaml')!.service, 'legacy');
});

test("Python or not: the provider's runtime, a function's own, a container image's; none is the Framework's default, Node.js", () => {
  const may = (text: string) => serverlessMayRunPython(read(`service: a\n${text}`)!);
  assert.equal(may('provider:\n  name: aws\n  runtime: python3.12\n'), true);
  assert.equal(may('provider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  f:\n    handler: h.main\n    runtime: python3.9\n'), true);
  assert.equal(may('provider:\n  name: aws\nfunctions:\n  f:\n    image: 1234.dkr.ecr.us-east-1.amazonaws.com/f:latest\n'), true);
  assert.equal(may('provider:\n  name: aws\n  runtime: ${self:custom.runtime}\n'), true);
  assert.equal(may('provider:\n  name: aws\n  runtime: nodejs20.x\n'), false);
  assert.equal(may('provider:\n  name: aws\nfunctions:\n  f:\n    handler: h.main\n'), false);
});

test("the source: the provider's entries, a function's named in its detail, what Lambda sets; complete", () => {
  const s = serverlessSource(read(SLS)!);
  assert.equal(s.id, `sls:${URI}`);
  assert.equal(s.label, 'serverless billing');
  assert.equal(s.complete, true);
  const byName = new Map(s.provides.map((p) => [p.name, p]));
  assert.equal(byName.get('SLACK_URL')!.detail, 'provider environment (from SSM parameter /billing/slack-url)');
  assert.equal(byName.get('SLACK_URL')!.value, undefined);
  assert.equal(byName.get('LOG_FORMAT')!.detail, 'provider environment');
  assert.equal(byName.get('LOG_FORMAT')!.value, 'json');
  // (cleanup is a Node.js function: its GROUP_BY is not the Python code's.)
  assert.equal(byName.get('GROUP_BY')!.detail, 'environment of function report (from Serverless parameter group)');
  assert.equal(byName.get('GROUP_BY')!.userDefined, true);
  assert.equal(byName.get('AWS_LAMBDA_FUNCTION_NAME')!.detail, "set by AWS Lambda: the function's name");
  assert.equal(byName.get('AWS_LAMBDA_FUNCTION_NAME')!.userDefined, false);
  assert.equal(byName.get('AWS_SESSION_TOKEN')!.sensitive, true);
  assert.equal(s.provides.filter((p) => p.name === 'LOG_FORMAT').length, 1);
  assert.equal(serverlessSource(read('service: ${self:custom.name}\nprovider:\n  name: aws\n  runtime: python3.12\n')!).label, 'serverless.yml');
  // Template syntax that leaves the YAML unreadable hides part of the file; inside a string it hides nothing.
  assert.equal(serverlessSource(read(`${SLS}  x:\n    handler: {{ h }}-x\n`)!).complete, false);
  assert.equal(serverlessSource(read(`${SLS}  x:\n    handler: "{{ h }}"\n`)!).complete, true);
});

test("the quick fix's insert: after provider.environment's last entry, or a new environment after runtime; a secret from SSM", () => {
  const apply = (text: string, at: { offset: number; insert: string }) => text.slice(0, at.offset) + at.insert + text.slice(at.offset);
  const at = serverlessEntryInsert(SLS, 'REPORT_TITLE', false)!;
  assert.match(apply(SLS, at), /    LOG_FORMAT: json\n    REPORT_TITLE: ""\nfunctions:/);
  const secret = serverlessEntryInsert(SLS, 'STRIPE_KEY', true)!;
  assert.equal(secret.ssm, '/billing/STRIPE_KEY');
  assert.match(apply(SLS, secret), /    LOG_FORMAT: json\n    STRIPE_KEY: \$\{ssm:\/billing\/STRIPE_KEY\}\nfunctions:/);
  const bare = 'service: a\r\nprovider:\r\n  name: aws\r\n  runtime: python3.12 # pinned\r\nfunctions: {}\r\n';
  assert.equal(apply(bare, serverlessEntryInsert(bare, 'X', false)!), 'service: a\r\nprovider:\r\n  name: aws\r\n  runtime: python3.12 # pinned\r\n  environment:\r\n    X: ""\r\nfunctions: {}\r\n');
  // The new file parses to the entry.
  assert.ok(read(apply(SLS, at))!.entries.some((e) => e.key === 'REPORT_TITLE' && e.fn === undefined));
  for (const [text, name, secretToo] of [
    [SLS, 'LOG_FORMAT', false], // already set
    [SLS.replace('service: billing', 'service: ${self:custom.n}'), 'STRIPE_KEY', true], // no plain service name for the parameter
    ['service: a\nprovider:\n  name: aws\n  environment: {A: b}\n', 'X', false], // a flow mapping
    ['service: a\nprovider:\n  name: aws\n  environment: ${file(env.yml)}\n', 'X', false], // a variable
    ['service: a\nprovider:\n  name: aws\n  runtime: [\n', 'X', false], // broken
    [SLS, 'not a name', false],
  ] as const) {
    assert.equal(serverlessEntryInsert(text, name, secretToo), undefined, `${name} in ${text}`);
  }
});

test('many functions read from other files: the reason names five and counts the rest', () => {
  const fns = Array.from({ length: 40 }, (_, i) => `  f${i}: \${file(functions/f${i}.yml)}\n`).join('');
  const s = serverlessSource(read(`service: a\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n${fns}`)!);
  assert.equal(s.complete, false);
  assert.match(s.incompleteReason!, /^function f0 is read from another file when deploying; .*function f4 is read from another file when deploying; and 35 more$/);
});
