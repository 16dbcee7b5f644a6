// An AWS SAM template (parse/samTemplate.ts), the sources made from it (model/lambdaSources.ts
// samFunctionsByDir / samSource) and the quick fix's insert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlFile } from '../../server/src/parse/yaml';
import { parseSamTemplate, samEntryInsert } from '../../server/src/parse/samTemplate';
import { samFunctionsByDir, samSource } from '../../server/src/model/lambdaSources';
import { parseEnvFile } from '../../server/src/model/files';

const URI = 'file:///ws/template.yaml';
const read = (text: string, uri = URI) => parseSamTemplate(parseYamlFile(text), uri);

const SAM = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        TABLE_NAME: !Ref OrdersTable
        LOG_FORMAT: json
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello/
      Handler: app.handler
      Environment:
        Variables:
          GREETING: hello
          API_KEY: '{{resolve:ssm:/shop/api-key:3}}'
          DB_SECRET: '{{resolve:secretsmanager:shop/db:SecretString:password}}'
          QUEUE:
            Fn::GetAtt: [Queue, Arn]
          PREFIX: !Sub '\${AWS::StackName}-x'
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello/
      Handler: orders.handler
      Environment:
        Variables:
          GREETING: hi
          ORDERS_ONLY: "1"
  NodeFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: web/
      Runtime: nodejs20.x
  RootFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: root.handler
  RemoteFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://bucket/code.zip
  FileFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: jobs/report.py
      Handler: report.handler
  InlineFunction:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(e, c): return 1"
  ArchiveFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/function.zip
  OrdersTable:
    Type: AWS::DynamoDB::Table
`;

test("Globals' and each function's Variables: literals, CloudFormation functions and dynamic references (provided, values unknown)", () => {
  const m = read(SAM)!;
  assert.equal(m.kind, 'sam');
  assert.equal(m.globalsRuntime, 'python3.12');
  assert.deepEqual(m.globals.map((e) => [e.key, e.value ?? null, e.from ?? null]), [
    ['TABLE_NAME', null, 'CloudFormation, when deploying'],
    ['LOG_FORMAT', 'json', null],
  ]);
  const hello = m.functions.find((f) => f.id === 'HelloFunction')!;
  assert.deepEqual(hello.entries.map((e) => [e.key, e.fn, e.value ?? null, e.from ?? null]), [
    ['GREETING', 'HelloFunction', 'hello', null],
    ['API_KEY', 'HelloFunction', null, 'SSM parameter /shop/api-key'],
    ['DB_SECRET', 'HelloFunction', null, 'Secrets Manager secret shop/db'],
    ['QUEUE', 'HelloFunction', null, 'CloudFormation, when deploying'],
    ['PREFIX', 'HelloFunction', null, 'CloudFormation, when deploying'],
  ]);
  assert.deepEqual(m.functions.map((f) => [f.id, f.codeUri ?? null, f.runtime ?? null, f.codeElsewhere ?? false]), [
    ['HelloFunction', 'hello/', null, false],
    ['OrdersFunction', 'hello/', null, false],
    ['NodeFunction', 'web/', 'nodejs20.x', false],
    ['RootFunction', null, null, false],
    ['RemoteFunction', null, null, true],
    ['FileFunction', 'jobs/', null, false],
    ['InlineFunction', null, null, true],
    ['ArchiveFunction', null, null, true],
  ]);
  // `{{resolve:…}}` is CloudFormation's, not template syntax; `!Ref` / `!Sub` are its tags.
  assert.equal(m.templated, undefined);
  assert.deepEqual(m.errors, []);
});

test('recognised by content: SAM\'s Transform (a string or in a list), whatever the name', () => {
  assert.ok(read(SAM, 'file:///ws/infra/stack.yml'));
  assert.ok(read('Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources: {}\n'));
  for (const text of ['AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  F:\n    Type: AWS::Lambda::Function\n', 'Transform: AWS::Include\n', '- a\n']) {
    assert.equal(read(text), undefined, text);
  }
  assert.equal(parseEnvFile('source', SAM, URI).kind, 'sam');
  assert.equal(parseEnvFile('source', 'Resources: {}\n', URI).kind, 'source');
});

test('the sources: one per code folder of Python functions; functions sharing a folder share it, a key only some set names them', () => {
  const m = read(SAM)!;
  const byDir = samFunctionsByDir(m);
  assert.deepEqual([...byDir].map(([dir, fns]) => [dir, fns.map((f) => f.id)]), [
    ['file:///ws/hello', ['HelloFunction', 'OrdersFunction']],
    ['file:///ws', ['RootFunction']],
    ['file:///ws/jobs', ['FileFunction']],
  ]);
  const s = samSource(m, 'file:///ws/hello', byDir.get('file:///ws/hello')!);
  assert.equal(s.id, 'sam:file:///ws/template.yaml#file:///ws/hello');
  assert.equal(s.label, 'SAM HelloFunction, OrdersFunction');
  assert.equal(s.complete, true);
  const byName = new Map(s.provides.map((p) => [p.name, p]));
  assert.equal(byName.get('TABLE_NAME')!.detail, 'Globals (from CloudFormation, when deploying)');
  assert.equal(byName.get('GREETING')!.detail, 'environment of functions HelloFunction, OrdersFunction');
  assert.equal(byName.get('ORDERS_ONLY')!.detail, 'environment of function OrdersFunction');
  assert.equal(byName.get('API_KEY')!.detail, 'environment of function HelloFunction (from SSM parameter /shop/api-key)');
  assert.equal(byName.get('AWS_LAMBDA_FUNCTION_NAME')!.userDefined, false);
  assert.equal(samSource(read(SAM, 'file:///ws/stack.yml')!, 'file:///ws/hello', byDir.get('file:///ws/hello')!).label, 'SAM HelloFunction, OrdersFunction (stack.yml)');
  const root = samSource(m, 'file:///ws', byDir.get('file:///ws')!);
  assert.ok(!root.provides.some((p) => p.name === 'GREETING'));
  assert.ok(root.provides.some((p) => p.name === 'LOG_FORMAT'));
});

test('unknown: an Environment or Variables given by a CloudFormation function', () => {
  const m = read('Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Environment: !If [IsProd, {Variables: {A: b}}, !Ref AWS::NoValue]\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.11\n      Environment:\n        Variables:\n          Fn::If: [IsProd, {A: b}, {A: c}]\n')!;
  const s = samSource(m, 'file:///ws', samFunctionsByDir(m).get('file:///ws')!);
  assert.equal(s.complete, false);
  assert.equal(s.incompleteReason, "Globals' Function Environment is a CloudFormation function; F's Variables are a CloudFormation function");
});

test("the quick fix's insert: Globals' Variables, else the one function's; never a secret's place, a name already set or a broken file", () => {
  const apply = (text: string, at: { offset: number; insert: string }) => text.slice(0, at.offset) + at.insert + text.slice(at.offset);
  const g = samEntryInsert(SAM, URI, 'REGION_NAME', () => undefined)!;
  assert.equal(g.where, 'Globals');
  assert.match(apply(SAM, g), /        LOG_FORMAT: json\n        REGION_NAME: ""\nResources:/);
  const noGlobals = SAM.replace(/Globals:\n(?: {2}.*\n)+/, '');
  const f = samEntryInsert(noGlobals, URI, 'REGION_NAME', () => 'OrdersFunction')!;
  assert.equal(f.where, 'OrdersFunction');
  assert.match(apply(noGlobals, f), /          ORDERS_ONLY: "1"\n          REGION_NAME: ""\n  NodeFunction:/);
  assert.equal(samEntryInsert(noGlobals, URI, 'REGION_NAME', () => undefined), undefined);
  assert.equal(samEntryInsert(noGlobals, URI, 'REGION_NAME', () => 'RootFunction'), undefined); // no Environment to extend
  assert.equal(samEntryInsert(SAM, URI, 'LOG_FORMAT', () => undefined), undefined);
  assert.equal(samEntryInsert(`${SAM}  Broken: [\n`, URI, 'X', () => undefined), undefined);
});
