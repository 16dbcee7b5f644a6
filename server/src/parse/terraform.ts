// A Terraform file (`*.tf`) → TerraformModel: the AWS Lambda functions it declares — an
// `aws_lambda_function` resource, or the community module `terraform-aws-modules/lambda/aws` — with
// their `environment` variables and the code each packages (an `archive_file` data source's folder
// or file, the module's `source_path`), and the `archive_file` data sources themselves (a function
// often names one declared in another file of the module's folder: model/lambdaSources.ts joins
// them), and its `aws_ecs_task_definition` resources' containers (parse/terraformEcs.ts). Read with
// tree-sitter's HCL grammar (the Terraform variant), loaded on first need (`initTerraform`): a
// workspace without `.tf` files never loads it.
//
// A value may be a literal or an expression Terraform evaluates when applying (`var.x`,
// `aws_dynamodb_table.t.name`, a template): provided, its value unknown here. What makes a function's
// environment unknown: `variables` given by an expression (`var.env`, `merge(…)`), a `dynamic`
// environment block, a key that is an expression, or syntax the grammar cannot read.
//
// Pure once the grammar is loaded, never throws, bounded; undefined for a file declaring none of these.
import type { Language as LanguageT, Node, Parser as ParserT } from 'web-tree-sitter';
import type { LambdaEnvEntry, TerraformArchive, TerraformFunction, TerraformModel } from './platformTypes';
import { initPython, wasmPath } from './python';
import { detach, lineIndex } from './text';
import { blockHead, fileCall, inner, literalValue, members, named, originOf, pathValue, rangeOf, stringValue, bodyOf, MAX_ITEMS, type Ctx } from './hclNodes';
import { LOOSE_VAR_NAME } from './varNames';
import { containerLocals, ecsTask, templateFile } from './terraformEcs';
import { containerModule, serviceModuleTask } from './terraformEcsModules';
const { Language, Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');

/** Larger files are not read for functions (still scanned for credentials). */
export const MAX_TERRAFORM_CHARS = 2 * 1024 * 1024;
const PARSE_TIMEOUT_MS = 2000;
/** ECS task definitions read per file (each heredoc of JSON is read over a copy of the file's length). */
const MAX_TASKS = 200;
const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
/** The community module that packages and deploys a function. */
const LAMBDA_MODULE = /^(?:registry\.terraform\.io\/|app\.terraform\.io\/[^/]+\/)?terraform-aws-modules\/lambda\/aws(?:\/\/.*)?$|^(?:git::)?(?:https:\/\/|git@)github\.com[/:]terraform-aws-modules\/terraform-aws-lambda(?:\.git)?(?:[/?].*)?$/;
/** What a file must mention to declare a function, an archive, an ECS task definition or containers (`locals`), or a module of those (the grammar is not run on others). */
const MENTIONS = /aws_lambda_function|aws_ecs_task_definition|portMappings|environment\s*=\s*\[|template_file|terraform-aws-modules\/ecs|terraform-aws-ecs|ecs-container-definition|archive_file|terraform-aws-lambda|terraform-aws-modules\/lambda/;

let language: LanguageT | undefined;
let parser: ParserT | undefined;
let ready: Promise<void> | undefined;

/** A path Terraform reads: `*.tf` (not `.tfvars`, `.tf.json` or a template). */
export function isTerraformPath(p: string): boolean {
  return /\.tf$/i.test(p);
}

/** Loads the Terraform grammar once (after tree-sitter itself); later calls return the same promise. */
export function initTerraform(): Promise<void> {
  ready ??= (async () => {
    await initPython();
    language = await Language.load(wasmPath('tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'));
  })().catch((e: unknown) => {
    ready = undefined;
    throw e;
  });
  return ready;
}

/** True once initTerraform() has completed: only then are `.tf` files read for functions. */
export function isTerraformReady(): boolean {
  return language !== undefined;
}

/** Loads what reading these paths needs (the Terraform grammar when one is a `.tf` file); never rejects. */
export async function initTerraformFor(paths: Iterable<string>): Promise<void> {
  for (const p of paths) {
    if (!isTerraformPath(p)) continue;
    await initTerraform().catch(() => undefined);
    return;
  }
}

/** `data.archive_file.NAME.…` in an expression's text: the archive it names. */
function archiveRef(n: Node | undefined): string | undefined {
  const m = n && /\bdata\s*\.\s*archive_file\s*\.\s*([A-Za-z_][\w-]*)/.exec(n.text);
  return m?.[1];
}

/**
 * `{ KEY = value, … }` as entries (`fn` names the function); a reason when it is not one Orchard
 * can read whole (an expression, a computed key).
 */
function objectEntries(c: Ctx, value: Node | undefined, fn: string, what: string, out: LambdaEnvEntry[]): string | undefined {
  const v = inner(value);
  if (!v) return undefined;
  const obj = v.type === 'collection_value' ? named(v)[0] : v;
  if (obj?.type !== 'object') {
    // Named only when a plain reference (`var.env`): a call's or a template's text may hold a secret.
    const ref = originOf(v);
    return `its ${what} are ${ref.startsWith('Terraform: ') ? ref.slice('Terraform: '.length) : 'computed by Terraform'} (evaluated when applying)`;
  }
  let computed = false;
  for (const el of named(obj).slice(0, MAX_ITEMS)) {
    if (el.type !== 'object_elem') continue;
    const keyNode = inner(el.childForFieldName('key'));
    const valNode = inner(el.childForFieldName('val'));
    const key = keyNode?.type === 'variable_expr' && named(keyNode).length === 1 ? keyNode.text : stringValue(keyNode);
    if (key === undefined || !keyNode || !valNode) {
      computed = true;
      continue;
    }
    if (!LOOSE_VAR_NAME.test(key)) continue;
    const e: LambdaEnvEntry = { key: detach(key), keyRange: rangeOf(c, keyNode), entryRange: rangeOf(c, el), fn };
    const lit = literalValue(valNode);
    if (lit !== undefined) {
      e.value = detach(lit);
      e.valueRange = rangeOf(c, valNode);
    } else if (valNode.type !== 'literal_value') e.from = originOf(valNode);
    out.push(e);
  }
  return computed ? `a key of its ${what} is computed by Terraform` : undefined;
}

function lambdaFunction(c: Ctx, b: Node, id: string, idNode: Node): TerraformFunction {
  const { attrs, blocks } = members(b);
  const fn: TerraformFunction = { id, idRange: rangeOf(c, idNode), entries: [] };
  const runtime = attrs.get('runtime');
  if (runtime) fn.runtime = literalValue(inner(runtime))?.trim().toLowerCase() ?? '${…}';
  const packageType = literalValue(inner(attrs.get('package_type')));
  const filename = inner(attrs.get('filename'));
  // An archive of the module's files, also when it is uploaded to S3 first (`s3_key`, with the
  // archive's hash as `source_code_hash`).
  const archive = archiveRef(filename) ?? archiveRef(inner(attrs.get('source_code_hash')));
  if (attrs.has('image_uri') || packageType === 'Image') fn.codeElsewhere = true;
  else if (archive !== undefined) fn.archive = archive;
  else {
    const p = attrs.has('s3_bucket') ? undefined : pathValue(filename);
    if (p !== undefined) fn.output = p;
    else fn.codeElsewhere = true;
  }
  for (const blk of blocks) {
    const head = blockHead(blk);
    if (head.type === 'dynamic' && head.labels[0] === 'environment') fn.unknown = 'its environment is a dynamic block';
    if (head.type !== 'environment' || fn.unknown) continue;
    fn.envRange = rangeOf(c, blk);
    const vars = members(blk).attrs.get('variables');
    if (vars) {
      fn.varsRange = rangeOf(c, vars);
      const why = objectEntries(c, vars, id, 'environment variables', fn.entries);
      if (why) fn.unknown = why;
    }
  }
  return fn;
}

/** `module "x" { source = "terraform-aws-modules/lambda/aws" … }`: the module's function. */
function lambdaModule(c: Ctx, b: Node, id: string, idNode: Node, attrs: Map<string, Node>): TerraformFunction | undefined {
  const falsy = (k: string) => literalValue(inner(attrs.get(k))) === 'false';
  // No function: turned off, or the module makes a layer (`create_layer = true`) instead.
  if (falsy('create') || falsy('create_function') || literalValue(inner(attrs.get('create_layer'))) === 'true') return undefined;
  const fn: TerraformFunction = { id, idRange: rangeOf(c, idNode), entries: [], module: true };
  const runtime = attrs.get('runtime');
  fn.runtime = runtime ? (literalValue(inner(runtime))?.trim().toLowerCase() ?? '${…}') : '';
  const packageType = literalValue(inner(attrs.get('package_type')));
  const src = inner(attrs.get('source_path'));
  let dir = pathValue(src);
  if (dir === undefined && src) {
    // A list of paths or `{ path = … }` objects: the first one's.
    const first = named(src.type === 'collection_value' ? named(src)[0] : undefined).find((k) => k.type === 'expression');
    const f = inner(first);
    const obj = f?.type === 'collection_value' ? named(f)[0] : undefined;
    const pathElem = obj?.type === 'object' ? named(obj).find((el) => el.type === 'object_elem' && /^"?path"?$/.test(el.childForFieldName('key')?.text ?? '')) : undefined;
    dir = pathValue(inner(pathElem ? pathElem.childForFieldName('val') : first));
  }
  if (packageType === 'Image' || attrs.has('image_uri') || falsy('create_package') || dir === undefined) fn.codeElsewhere = true;
  else fn.sourcePath = dir;
  const vars = attrs.get('environment_variables');
  if (vars) {
    fn.varsRange = rangeOf(c, vars);
    const why = objectEntries(c, vars, id, 'environment_variables', fn.entries);
    if (why) fn.unknown = why;
  }
  return fn;
}

function archive(c: Ctx, b: Node, name: string): TerraformArchive {
  const { attrs, blocks } = members(b);
  const a: TerraformArchive = { name };
  const dir = pathValue(inner(attrs.get('source_dir')));
  const file = pathValue(inner(attrs.get('source_file')));
  const output = pathValue(inner(attrs.get('output_path')));
  // `source { content = file("${path.module}/app.py") }`: that file's (the first such block's).
  const fromBlock = blocks.map((blk) => (blockHead(blk).type === 'source' ? fileCall(inner(members(blk).attrs.get('content'))) : undefined)).find((p) => p !== undefined);
  if (dir !== undefined) a.dir = dir;
  else if (file !== undefined) a.file = file;
  else if (fromBlock !== undefined) a.file = fromBlock;
  // Inline content (a heredoc, a template) or a computed path: no folder of the workspace.
  else if (blocks.length || attrs.has('source_dir') || attrs.has('source_file') || attrs.has('source_content')) a.elsewhere = true;
  if (output !== undefined) a.output = output;
  return a;
}

/** Reads a Terraform file's Lambda functions and archives (`timeoutMs`: the parse's limit); undefined when it declares neither, or the grammar is not loaded. Never throws. */
export function parseTerraform(text: string, uri: string, timeoutMs = PARSE_TIMEOUT_MS): TerraformModel | undefined {
  if (!language || text.includes('\0') || !MENTIONS.test(text)) return undefined;
  // Too large or too slow to read: said in its place, never silently no function.
  const notRead = (code: string, why: string): TerraformModel => ({ uri, kind: 'terraform', functions: [], archives: [], tasks: [], unreadable: true, errors: [{ code, message: `Lambda functions and ECS task definitions of this file not read: ${why}`, range: ZERO, severity: 'warning' }] });
  if (text.length > MAX_TERRAFORM_CHARS) return notRead('file-too-large', `${(text.length / 1024 / 1024).toFixed(1)} M characters is above Orchard's ${MAX_TERRAFORM_CHARS / 1024 / 1024} M limit for Terraform files`);
  let tree: import('web-tree-sitter').Tree | null = null;
  try {
    parser ??= new Parser();
    parser.setLanguage(language);
    const deadline = performance.now() + timeoutMs;
    tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
    if (!tree) return notRead('parse-timeout', `parsing took longer than ${timeoutMs} ms`);
    const c: Ctx = { text, li: lineIndex(text) };
    const model: TerraformModel = { uri, kind: 'terraform', functions: [], archives: [], tasks: [], errors: [] };
    if (tree.rootNode.hasError) model.unreadable = true;
    for (const b of named(bodyOf(tree.rootNode) ?? named(tree.rootNode)[0]).slice(0, MAX_ITEMS)) {
      if (b.type !== 'block') continue;
      const { type, labels, labelNodes } = blockHead(b);
      // `locals { containers = [{ name = "web", image = …, environment = […] }] }`: a task may list them (`jsonencode(local.containers)`).
      if (type === 'locals') {
        for (const l of containerLocals(c, b)) if ((model.containerLocals ??= []).length < MAX_TASKS) model.containerLocals.push(l);
        continue;
      }
      const idNode = labelNodes[type === 'module' ? 0 : 1];
      if (!idNode) continue;
      if (type === 'resource' && labels[0] === 'aws_lambda_function' && labels[1]) model.functions.push(lambdaFunction(c, b, labels[1], idNode));
      else if (type === 'data' && labels[0] === 'archive_file' && labels[1]) model.archives.push(archive(c, b, labels[1]));
      else if (type === 'resource' && labels[0] === 'aws_ecs_task_definition' && labels[1] && model.tasks.length < MAX_TASKS) model.tasks.push(ecsTask(c, b, labels[1], idNode));
      else if (type === 'data' && labels[0] === 'template_file' && labels[1] && (model.templates ??= []).length < MAX_TASKS) model.templates.push(templateFile(b, labels[1]));
      else if (type === 'module' && labels[0]) {
        const { attrs } = members(b);
        const source = stringValue(inner(attrs.get('source')))?.trim();
        const fn = source && LAMBDA_MODULE.test(source) ? lambdaModule(c, b, labels[0], idNode, attrs) : undefined;
        if (fn) model.functions.push(fn);
        // terraform-aws-modules' ECS service (a task), or a module defining one container (a task names it).
        const service = source && !fn && model.tasks.length < MAX_TASKS ? serviceModuleTask(c, labels[0], idNode, source, attrs) : undefined;
        if (service) model.tasks.push(service);
        const container = source && !fn && !service && (model.containerModules?.length ?? 0) < MAX_TASKS ? containerModule(c, b, labels[0], source, attrs) : undefined;
        if (container) (model.containerModules ??= []).push(container);
      }
    }
    return model.functions.length || model.archives.length || model.tasks.length || model.templates?.length || model.containerModules?.length || model.containerLocals?.length ? model : undefined;
  } catch {
    // Defensive: a failing grammar leaves the file to the credential scan; a fresh parser next time.
    parser?.delete();
    parser = undefined;
    return undefined;
  } finally {
    tree?.delete();
  }
}

/**
 * Where and what to insert to add `NAME = ""` to a function's environment `variables` (the module's
 * `environment_variables`) object: after its last entry, indented alike. Undefined when the
 * function's variables are not an object literal Orchard reads whole or already hold the name.
 */
export function terraformEntryInsert(text: string, uri: string, fnId: string, name: string): { offset: number; insert: string } | undefined {
  const m = parseTerraform(text, uri);
  const fn = m?.functions.find((f) => f.id === fnId);
  if (!m || m.unreadable || !fn?.varsRange || fn.unknown || fn.entries.some((e) => e.key === name)) return undefined;
  const li = lineIndex(text);
  const start = li.offsetAt(fn.varsRange.start);
  const end = li.offsetAt(fn.varsRange.end);
  const close = text.lastIndexOf('}', end - 1);
  if (close <= start || text[start] !== '{') return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const last = fn.entries[fn.entries.length - 1];
  if (last) {
    const at = li.offsetAt(last.entryRange.end);
    const lineStart = text.lastIndexOf('\n', li.offsetAt(last.entryRange.start) - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    // `{ A = "x" }` on one line: a comma before the new entry.
    if (!text.slice(at, close).includes('\n')) return { offset: at, insert: `, ${name} = ""` };
    return { offset: at, insert: `${eol}${indent}${name} = ""` };
  }
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const outer = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return { offset: start + 1, insert: `${eol}${outer}  ${name} = ""${text.slice(start + 1, close).trim() ? '' : eol + outer}` };
}
