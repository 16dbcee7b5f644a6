// A Terraform file's Lambda functions (parse/terraform.ts), the sources made from them
// (model/lambdaSources.ts terraformFunctionsByDir / terraformSource) and the quick fix's insert.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initTerraform, parseTerraform, terraformEntryInsert } from '../../server/src/parse/terraform';
import { terraformArchives, terraformFunctionsByDir, terraformSource } from '../../server/src/model/lambdaSources';
import { parseEnvFile } from '../../server/src/model/files';
import type { TerraformModel } from '../../server/src/parse/platformTypes';

before(async () => {
  await initTerraform();
});

const URI = 'file:///ws/infra/main.tf';
const read = (text: string, uri = URI) => parseTerraform(text, uri);

const MAIN = `data "archive_file" "api" {
  type        = "zip"
  source_dir  = "\${path.module}/../src/api"
  output_path = "\${path.module}/build/api.zip"
}

resource "aws_lambda_function" "api" {
  function_name    = "api"
  filename         = data.archive_file.api.output_path
  source_code_hash = data.archive_file.api.output_base64sha256
  runtime          = "python3.12"
  handler          = "app.handler"

  environment {
    variables = {
      TABLE_NAME = aws_dynamodb_table.orders.name
      LOG_LEVEL  = "INFO"
      "QUOTED"   = "a\\"b\\\\c\\n"
      PORT       = 8080
      PREFIX     = "\${var.stage}-orders"
    }
  }
}

resource aws_lambda_function web {
  filename = "web.zip"
  runtime  = "nodejs20.x"
}

module "worker" {
  source      = "terraform-aws-modules/lambda/aws"
  version     = "~> 7.0"
  runtime     = "python3.11"
  source_path = "../src/worker"
  environment_variables = { QUEUE = aws_sqs_queue.q.url, MODE = "batch" }
}
`;

const keys = (m: TerraformModel | undefined, id: string) => m!.functions.find((f) => f.id === id)!.entries.map((e) => [e.key, e.value ?? `from ${e.from}`]);

test("aws_lambda_function and the lambda module: their environment's entries, values decoded, where an expression's value comes from", () => {
  const m = read(MAIN)!;
  assert.deepEqual(m.functions.map((f) => [f.id, f.runtime, f.archive, f.output, f.sourcePath, f.module ?? false]), [
    ['api', 'python3.12', 'api', undefined, undefined, false],
    ['web', 'nodejs20.x', undefined, 'web.zip', undefined, false],
    ['worker', 'python3.11', undefined, undefined, '../src/worker', true],
  ]);
  assert.deepEqual(keys(m, 'api'), [
    ['TABLE_NAME', 'from Terraform: aws_dynamodb_table.orders.name'],
    ['LOG_LEVEL', 'INFO'],
    ['QUOTED', 'a"b\\c\n'],
    ['PORT', '8080'],
    // A template's literal parts are not said (they may be a secret's).
    ['PREFIX', 'from Terraform, when applying'],
  ]);
  assert.deepEqual(keys(m, 'worker'), [
    ['QUEUE', 'from Terraform: aws_sqs_queue.q.url'],
    ['MODE', 'batch'],
  ]);
  const api = m.functions[0];
  assert.deepEqual(api.entries[0].keyRange, { start: { line: 15, character: 6 }, end: { line: 15, character: 16 } });
  assert.deepEqual(api.idRange.start, { line: 6, character: 31 });
  assert.deepEqual(m.archives, [{ name: 'api', dir: './../src/api', output: './build/api.zip' }]);
  assert.equal(m.unreadable, undefined);
});

test('each function whose code is a folder of the workspace, by that folder; Node.js functions and prebuilt zips are not', () => {
  const m = read(MAIN)!;
  const byDir = terraformFunctionsByDir(m, terraformArchives([m]));
  assert.deepEqual([...byDir].map(([dir, fns]) => [dir, fns.map((f) => f.id)]), [
    ['file:///ws/src/api', ['api']],
    ['file:///ws/src/worker', ['worker']],
  ]);
  const s = terraformSource(m, 'file:///ws/src/api', byDir.get('file:///ws/src/api')!);
  assert.equal(s.id, 'tf:file:///ws/infra/main.tf#file:///ws/src/api');
  assert.equal(s.label, 'terraform api');
  assert.equal(s.complete, true);
  const byName = new Map(s.provides.map((p) => [p.name, p]));
  assert.equal(byName.get('TABLE_NAME')!.detail, 'environment of function api (from Terraform: aws_dynamodb_table.orders.name)');
  assert.equal(byName.get('LOG_LEVEL')!.value, 'INFO');
  assert.equal(byName.get('AWS_REGION')!.detail, 'set by AWS Lambda: the region the function runs in');
  assert.equal(byName.get('AWS_SECRET_ACCESS_KEY')!.sensitive, true);
});

test("a function names an archive of another file of its folder, or shares its zip's path with one; source_file is its folder", () => {
  const data = read('data "archive_file" "zip" {\n  type        = "zip"\n  source_file = "${path.module}/lambda/handler.py"\n  output_path = "lambda_function_payload.zip"\n}\n', 'file:///ws/data.tf')!;
  // Terraform's own documentation example: `filename` the archive's output_path, written again.
  const fn = read('resource "aws_lambda_function" "test_lambda" {\n  filename      = "lambda_function_payload.zip"\n  function_name = "lambda_function_name"\n  handler       = "index.test"\n  runtime       = "python3.12"\n}\n', 'file:///ws/lambda.tf')!;
  const other = read('resource "aws_lambda_function" "f" {\n  filename = data.archive_file.zip.output_path\n  runtime = var.runtime\n}\n', 'file:///ws/other/lambda.tf')!;
  const archives = terraformArchives([data, fn, other]);
  assert.deepEqual([...terraformFunctionsByDir(fn, archives).keys()], ['file:///ws/lambda']);
  // An archive of another folder (another module) is not this one's.
  assert.deepEqual([...terraformFunctionsByDir(other, archives).keys()], []);
  // A prebuilt zip no archive makes: built elsewhere, no folder.
  assert.deepEqual([...terraformFunctionsByDir(fn, terraformArchives([fn])).keys()], []);
});

test('code elsewhere: S3, an image, a computed path, inline archive content, create_package = false; no function: a layer, turned off', () => {
  const m = read(`resource "aws_lambda_function" "s3" {
  s3_bucket = "b"
  s3_key    = "k.zip"
  runtime   = "python3.12"
}
resource "aws_lambda_function" "img" {
  package_type = "Image"
  image_uri    = "x.dkr.ecr/y:1"
}
resource "aws_lambda_function" "computed" {
  filename = var.zip
  runtime  = "python3.12"
}
data "archive_file" "inline" {
  type        = "zip"
  output_path = "inline.zip"
  source {
    content  = "print(1)"
    filename = "main.py"
  }
}
resource "aws_lambda_function" "inline" {
  filename = data.archive_file.inline.output_path
}
module "prebuilt" {
  source                 = "terraform-aws-modules/lambda/aws"
  create_package         = false
  local_existing_package = "x.zip"
}
module "off" {
  source          = "terraform-aws-modules/lambda/aws"
  create_function = false
}
module "layer" {
  source       = "terraform-aws-modules/lambda/aws"
  create_layer = true
  source_path  = "../src/layers"
}
module "mine" {
  source      = "./modules/lambda"
  source_path = "../src"
}
`)!;
  assert.deepEqual(m.functions.map((f) => [f.id, f.codeElsewhere ?? false]), [
    ['s3', true],
    ['img', true],
    ['computed', true],
    ['inline', false],
    ['prebuilt', true],
  ]);
  assert.deepEqual([...terraformFunctionsByDir(m, terraformArchives([m])).keys()], []);
});

test('an environment Orchard cannot read whole makes the source unknown, without quoting a value', () => {
  const m = read(`data "archive_file" "a" {
  source_dir  = path.module
  output_path = "a.zip"
}
resource "aws_lambda_function" "byvar" {
  filename = data.archive_file.a.output_path
  environment {
    variables = var.env
  }
}
resource "aws_lambda_function" "merged" {
  filename = data.archive_file.a.output_path
  environment {
    variables = merge(local.common, { API_KEY = "sk_live_CANARY\\"x" })
  }
}
resource "aws_lambda_function" "dyn" {
  filename = data.archive_file.a.output_path
  dynamic "environment" {
    for_each = var.env == null ? [] : [1]
    content {
      variables = var.env
    }
  }
}
resource "aws_lambda_function" "keyed" {
  filename = data.archive_file.a.output_path
  environment {
    variables = { (var.name) = "x", B = "y" }
  }
}
`)!;
  assert.deepEqual(m.functions.map((f) => [f.id, f.unknown]), [
    ['byvar', 'its environment variables are var.env (evaluated when applying)'],
    ['merged', 'its environment variables are computed by Terraform (evaluated when applying)'],
    ['dyn', 'its environment is a dynamic block'],
    ['keyed', 'a key of its environment variables is computed by Terraform'],
  ]);
  const fns = terraformFunctionsByDir(m, terraformArchives([m])).get('file:///ws/infra')!;
  const s = terraformSource(m, 'file:///ws/infra', fns);
  assert.equal(s.complete, false);
  assert.match(s.incompleteReason!, /^byvar's environment variables are var\.env/);
  assert.ok(!JSON.stringify(s).includes('CANARY'));
  assert.equal(s.label, 'terraform byvar, merged, dyn +1');
});

test('syntax the grammar cannot read: what was read is kept, the source is unknown', () => {
  const m = read('data "archive_file" "a" {\n  source_dir = path.module\n}\nresource "aws_lambda_function" "f" {\n  filename = data.archive_file.a.output_path\n  environment {\n    variables = { A = "1" }\n  }\n}\nresource "x" {{{ broken\n')!;
  assert.equal(m.unreadable, true);
  const s = terraformSource(m, 'file:///ws/infra', m.functions);
  assert.equal(s.complete, false);
  assert.equal(s.incompleteReason, 'part of the file is syntax Orchard cannot read');
});

test('a .tf file of no Lambda function is only scanned for credentials, as before', () => {
  const text = 'resource "aws_db_instance" "db" {\n  password = "Pl41ntext-Passw0rd-9"\n}\n';
  assert.equal(read(text), undefined);
  const f = parseEnvFile('source', text, URI);
  assert.equal(f.kind, 'source');
  assert.equal(f.terraform, undefined);
  assert.ok(f.credentials.findings.length > 0, 'the password is found');
  const lambda = parseEnvFile('source', `${MAIN}resource "aws_db_instance" "db" {\n  password = "Pl41ntext-Passw0rd-9"\n}\n`, URI);
  assert.equal(lambda.kind, 'terraform');
  assert.equal(lambda.terraform!.functions.length, 3);
  assert.ok(lambda.credentials.findings.length > 0, 'still scanned');
});

test('hostile input: deep nesting, a huge line, a NUL byte: bounded, never a throw', () => {
  const deep = `resource "aws_lambda_function" "f" {\n  environment {\n    variables = { A = ${'['.repeat(100_000)} }\n  }\n}\n`;
  const t0 = performance.now();
  const m = read(deep);
  assert.ok(performance.now() - t0 < 3000, `${performance.now() - t0} ms`);
  assert.ok(m === undefined || m.functions.length <= 1);
  const huge = `resource "aws_lambda_function" "f" {\n  environment {\n    variables = { A = "${'x'.repeat(500_000)}" }\n  }\n}\n`;
  assert.equal(read(huge)!.functions[0].entries[0].value!.length, 500_000);
  assert.equal(read(`${MAIN}\0`), undefined);
  // An escape past Unicode's range is kept as written (String.fromCodePoint would throw).
  const odd = read('resource "aws_lambda_function" "f" {\n  environment {\n    variables = { A = "x\\UFFFFFFFFy" }\n  }\n}\n')!;
  assert.equal(odd.functions[0].entries[0].value, 'x\\UFFFFFFFFy');
  // Too large, or past the parse's time limit: said, and the file's functions unknown (no source).
  const large = read('x'.repeat(3 * 1024 * 1024) + 'aws_lambda_function')!;
  assert.deepEqual([large.functions, large.errors.map((e) => e.code)], [[], ['file-too-large']]);
  // (A limit of 1 ms on 200,000 brackets: past it whatever the machine's speed.)
  const slow = parseTerraform(`resource "aws_lambda_function" "f" {\n  environment {\n    variables = { A = ${'['.repeat(200_000)} }\n  }\n}\n`, URI, 1)!;
  assert.deepEqual(slow.errors.map((e) => [e.code, e.message]), [['parse-timeout', 'Lambda functions and ECS task definitions of this file not read: parsing took longer than 1 ms']]);
});

test('the quick fix adds NAME = "" after the last entry, indented alike; on one line after a comma; into an empty object', () => {
  const insert = (text: string, fn: string, name: string) => {
    const at = terraformEntryInsert(text, URI, fn, name);
    return at && text.slice(0, at.offset) + at.insert + text.slice(at.offset);
  };
  const after = insert(MAIN, 'api', 'API_URL')!;
  assert.ok(after.includes('      PREFIX     = "${var.stage}-orders"\n      API_URL = ""\n    }'), after);
  assert.equal(read(after)!.functions[0].entries.at(-1)!.key, 'API_URL');
  const oneLine = insert(MAIN, 'worker', 'API_URL')!;
  assert.ok(oneLine.includes('{ QUEUE = aws_sqs_queue.q.url, MODE = "batch", API_URL = "" }'), oneLine);
  const empty = 'resource "aws_lambda_function" "f" {\n  environment {\n    variables = {}\n  }\n}\n';
  const filled = insert(empty, 'f', 'API_URL')!;
  assert.equal(filled, 'resource "aws_lambda_function" "f" {\n  environment {\n    variables = {\n      API_URL = ""\n    }\n  }\n}\n');
  assert.deepEqual(keys(read(filled), 'f'), [['API_URL', '']]);
  const crlf = insert(MAIN.replace(/\n/g, '\r\n'), 'api', 'API_URL')!;
  assert.ok(!/[^\r]\n/.test(crlf), 'Windows line ends kept');
  // Already there, or variables Orchard cannot read whole: no fix.
  assert.equal(terraformEntryInsert(MAIN, URI, 'api', 'LOG_LEVEL'), undefined);
  assert.equal(terraformEntryInsert('resource "aws_lambda_function" "f" {\n  environment {\n    variables = var.env\n  }\n}\n', URI, 'f', 'X'), undefined);
});
