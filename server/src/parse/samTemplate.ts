// An AWS SAM template (`template.yaml`, any name: known by its `Transform`) → SamTemplateModel: what
// each Lambda function's environment holds. `Globals.Function.Environment.Variables` is every
// function's, a function's `Properties.Environment.Variables` its own (its own wins). The code a
// function runs is its `CodeUri` folder, from the template's (the template's own when absent). A value
// may be a literal, a CloudFormation function (`!Ref Table`, `!Sub`, `{ "Fn::GetAtt": … }`) or a
// dynamic reference (`{{resolve:ssm:/path}}`): provided, its value unknown here. What makes a
// function's environment unknown: `Variables` (or `Environment`) given by a function (`!If`, `!Ref`).
//
// Pure, never throws, bounded; undefined for any other YAML file.
import type { SamFunction, SamTemplateModel, LambdaEnvEntry } from './platformTypes';
import type { ParseError } from './types';
import { isMap, isScalar, isSeq, keyString, nodeRange, parseYamlFile, scalarString, seqItems, type YamlFile, type YNode } from './yaml';
import { blockMapInsert, finishedErrors, pairGet, pairsOf, yamlCtx, yamlEnvEntries, type YamlCtx } from './envYaml';
import { VAR_NAME } from './varNames';

const MAX_ITEMS = 2_000;
const TRANSFORM = 'AWS::Serverless-2016-10-31';
const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);
/** A dynamic reference CloudFormation resolves when deploying: `{{resolve:ssm:/a/b}}`, `{{resolve:secretsmanager:…}}`. */
const RESOLVE = /^\{\{resolve:(ssm|ssm-secure|secretsmanager):([^}]*)\}\}$/;
const RESOLVE_ANY = /\{\{resolve:/;

/** A CloudFormation function: a tagged node (`!Ref X`, `!Sub '…'`) or a mapping / sequence (`Ref:`, `Fn::…`). */
function cfnFunction(node: unknown): boolean {
  const tag = (node as { tag?: unknown } | null)?.tag;
  return (typeof tag === 'string' && tag.startsWith('!')) || isMap(node) || isSeq(node);
}

function fromOf(node: unknown, value: string | undefined): string | undefined {
  if (cfnFunction(node)) return 'CloudFormation, when deploying';
  if (value === undefined) return undefined;
  const m = RESOLVE.exec(value.trim());
  if (m) return m[1] === 'secretsmanager' ? `Secrets Manager secret ${m[2].split(':')[0]}` : `SSM parameter ${m[2].replace(/:\d+$/, '')}`;
  return RESOLVE_ANY.test(value) ? 'CloudFormation, when deploying' : undefined;
}

/** `Environment: Variables:` of a mapping (Globals' Function, a function's Properties). */
function variables(ctx: YamlCtx, props: unknown, fn: string | undefined, out: LambdaEnvEntry[]): string | undefined {
  const envPair = pairGet(ctx, props, 'Environment');
  if (!envPair) return undefined;
  const byFunction = (node: unknown) => (cfnFunction(node) && !isMap(node)) || (isMap(node) && ((node as { tag?: unknown }).tag !== undefined || pairsOf(ctx, node).some((p) => /^(?:Fn::|Ref$)/.test(keyString(p) ?? ''))));
  if (byFunction(envPair.value)) return 'its Environment is a CloudFormation function';
  const vars = pairGet(ctx, envPair.value, 'Variables')?.value;
  if (vars === undefined || vars === null || (isScalar(vars) && vars.value === null)) return undefined;
  if (!isMap(vars) || byFunction(vars)) return 'its Variables are a CloudFormation function';
  yamlEnvEntries(ctx, vars, fn, fromOf, out);
  return undefined;
}

/** Whether the top-level `Transform` names SAM's (a string, or one item of a list). */
function isSam(ctx: YamlCtx, top: unknown): boolean {
  const t = pairGet(ctx, top, 'Transform')?.value;
  return scalarString(t)?.trim() === TRANSFORM || seqItems(ctx.doc, t).some((i) => scalarString(i)?.trim() === TRANSFORM);
}

/** Reads an AWS SAM template; undefined when the YAML is not one. Never throws. */
export function parseSamTemplate(f: YamlFile, uri: string): SamTemplateModel | undefined {
  try {
    const doc = f.docs[0];
    if (!doc || f.docs.length > 1 || !isMap(doc.contents)) return undefined;
    const ctx = yamlCtx(f, doc);
    if (!isSam(ctx, doc.contents)) return undefined;
    const model: SamTemplateModel = { uri, kind: 'sam', globals: [], functions: [], errors: [] };
    const globalsPair = pairGet(ctx, pairGet(ctx, doc.contents, 'Globals')?.value, 'Function');
    if (globalsPair) {
      model.globalsRange = nodeRange(f, globalsPair.key as YNode);
      const runtime = scalarString(pairGet(ctx, globalsPair.value, 'Runtime')?.value)?.trim().toLowerCase();
      if (runtime) model.globalsRuntime = runtime;
      const why = variables(ctx, globalsPair.value, undefined, model.globals);
      if (why) model.globalsUnknown = why.replace(/^its/, "Globals' Function");
    }
    for (const p of pairsOf(ctx, pairGet(ctx, doc.contents, 'Resources')?.value).slice(0, MAX_ITEMS)) {
      const id = keyString(p);
      const type = scalarString(pairGet(ctx, p.value, 'Type')?.value)?.trim();
      if (id === undefined || !p.key || !type || !FUNCTION_TYPES.has(type)) continue;
      const props = pairGet(ctx, p.value, 'Properties')?.value;
      const fn: SamFunction = { id, idRange: nodeRange(f, p.key as YNode), entries: [] };
      const runtime = scalarString(pairGet(ctx, props, 'Runtime')?.value)?.trim().toLowerCase();
      if (runtime) fn.runtime = runtime;
      if (scalarString(pairGet(ctx, props, 'PackageType')?.value)?.trim() === 'Image') fn.image = true;
      // The code: a local folder (SAM's `CodeUri`), else not one Orchard can find (S3, inline, an image).
      // (`CodeUri: src/app.py` is a file: its folder. An archive, S3 or inline code is not a folder.)
      const codeUri = pairGet(ctx, props, type === 'AWS::Serverless::Function' ? 'CodeUri' : 'Code');
      const code = scalarString(codeUri?.value)?.trim();
      if ((codeUri && (code === undefined || /^s3:\/\/|\.(?:zip|jar)$/i.test(code))) || pairGet(ctx, props, 'InlineCode') || (type === 'AWS::Lambda::Function' && !codeUri)) fn.codeElsewhere = true;
      else if (code) fn.codeUri = /\.py$/i.test(code) ? code.slice(0, code.lastIndexOf('/') + 1) || '.' : code;
      const why = variables(ctx, props, id, fn.entries);
      if (why) fn.unknown = why;
      model.functions.push(fn);
    }
    const errors: ParseError[] = f.errors.filter((e) => e.code !== 'yaml-templated');
    // `{{resolve:…}}` is CloudFormation's, not a template engine's: only unreadable YAML is templated.
    if (f.templated && f.errors.some((e) => e.code === 'yaml-templated')) model.templated = true;
    model.errors = finishedErrors(ctx, errors);
    return model;
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}

/**
 * Where and what to insert to add `NAME: ""` to the `Variables` of `Globals.Function.Environment`
 * (every function's), else of one function's `Properties.Environment` — after the last
 * entry, indented alike (`pick` chooses the function from the template read). The empty value is the user's to type (a secret is not offered: a Lambda
 * environment takes no SecureString reference). Undefined when the file is not a readable template
 * (syntax errors, template syntax), neither mapping is there as a block mapping, or the name is
 * already set there.
 */
export function samEntryInsert(text: string, uri: string, name: string, pick: (m: SamTemplateModel) => string | undefined): { offset: number; insert: string; where: string } | undefined {
  if (!VAR_NAME.test(name)) return undefined;
  const f = parseYamlFile(text);
  const doc = f.docs[0];
  const m = doc && !f.errors.length && !doc.errors.length ? parseSamTemplate(f, uri) : undefined;
  if (!m || m.templated) return undefined;
  const ctx = yamlCtx(f, doc);
  const envOf = (map: unknown) => pairGet(ctx, pairGet(ctx, map, 'Environment')?.value, 'Variables') && pairGet(ctx, map, 'Environment')!.value;
  const globals = envOf(pairGet(ctx, pairGet(ctx, doc.contents, 'Globals')?.value, 'Function')?.value);
  if (globals) {
    if (m.globals.some((e) => e.key === name)) return undefined;
    const at = blockMapInsert(text, ctx, globals, 'Variables', [], `${name}: ""`);
    return at && { ...at, where: 'Globals' };
  }
  const fnId = pick(m);
  const fn = fnId === undefined ? undefined : m.functions.find((x) => x.id === fnId);
  const env = fn && envOf(pairGet(ctx, pairGet(ctx, pairGet(ctx, doc.contents, 'Resources')?.value, fn.id)?.value, 'Properties')?.value);
  if (!fn || !env || fn.entries.some((e) => e.key === name)) return undefined;
  const at = blockMapInsert(text, ctx, env, 'Variables', [], `${name}: ""`);
  return at && { ...at, where: fn.id };
}
