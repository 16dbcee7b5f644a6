// A Serverless Framework service's `serverless.yml` → ServerlessModel: what its AWS Lambda functions'
// environment holds. `provider.environment` is set in every function, a function's `environment` in
// that function only (its own wins). A value may be a literal, a variable Serverless resolves when
// deploying (`${ssm:/path}`, `${env:X}`, `${param:x}`, `${self:custom.x}`, `${file(…)}`) or a
// CloudFormation function (`!Ref Table`, `{ "Fn::GetAtt": [...] }`): provided, its value unknown
// here. What makes the file's environment unknown: an `environment` or `functions` given by a
// variable (`${file(env.yml)}`), or the serverless-dotenv-plugin (it adds a `.env`'s variables).
//
// Recognised by name (`serverless.yml` / `serverless.yaml`) and content: a top-level `service` and a
// `provider` mapping (of AWS). Pure, never throws, bounded; undefined for any other YAML file.
import type { ServerlessModel } from './platformTypes';
import type { ParseError } from './types';
import { isMap, isScalar, isSeq, keyString, nodeRange, parseYamlFile, scalarString, seqItems, type YamlFile, type YNode } from './yaml';
import { blockMapInsert, finishedErrors, pairGet, pairsOf, yamlCtx, yamlEnvEntries } from './envYaml';
import { VAR_NAME } from './varNames';

const MAX_ITEMS = 2_000;
const NAME = /^serverless\.ya?ml$/;
/** A Serverless variable anywhere in a value: resolved when deploying. */
const VARIABLE = /\$\{[^}]*\}?/;
/** The variable sources worth naming in a hover (`${ssm:/a/b}`, `${env:X}`, `${param:x}`), the whole value being one. */
const WHOLE = /^\$\{(ssm|env|param|aws|cf|s3|self|opt|sls|file)\b(?:\([^)]*\))?:?([^,}]*)/;
const FROM: Record<string, (x: string) => string> = {
  ssm: (x) => `SSM parameter ${x.trim().replace(/~(?:true|false|split)$/, '')}`.trim(),
  env: (x) => `the deploying shell's ${x.trim()}`,
  param: (x) => `Serverless parameter ${x.trim()}`,
  file: () => 'a file read when deploying',
};

/** `serverless.yml`, `serverless.yaml`: the names the Framework reads by default. */
export function isServerlessName(base: string): boolean {
  return NAME.test(base);
}

/** Where an entry's value comes from when it is not a literal (undefined: a literal). */
function fromOf(node: unknown, value: string | undefined): string | undefined {
  // A CloudFormation function: a tagged scalar (`!Ref Table`) or a mapping (`Ref:` / `Fn::…`).
  if ((isScalar(node) && typeof node.tag === 'string' && node.tag.startsWith('!')) || isMap(node) || isSeq(node)) return 'CloudFormation, when deploying';
  if (value === undefined || !VARIABLE.test(value)) return undefined;
  const m = WHOLE.exec(value.trim());
  return (m && FROM[m[1]]?.(m[2])) || 'resolved by Serverless when deploying';
}

/** A value given by a variable where a mapping is expected (`environment: ${file(env.yml)}`). */
const byVariable = (node: unknown): boolean => VARIABLE.test(scalarString(node) ?? '');

/** Reads a Serverless service's file; undefined when the YAML is not one. Never throws. */
export function parseServerless(f: YamlFile, uri: string): ServerlessModel | undefined {
  try {
    const doc = f.docs[0];
    if (!NAME.test(uri.slice(uri.lastIndexOf('/') + 1)) || !doc || !isMap(doc.contents)) return undefined;
    const ctx = yamlCtx(f, doc);
    const servicePair = pairGet(ctx, doc.contents, 'service');
    const providerPair = pairGet(ctx, doc.contents, 'provider');
    const provider = providerPair?.value;
    if (!servicePair || !isMap(provider)) return undefined;
    const cloud = scalarString(pairGet(ctx, provider, 'name')?.value)?.trim();
    if (cloud !== undefined && cloud !== 'aws') return undefined;
    const serviceNode = isMap(servicePair.value) ? pairGet(ctx, servicePair.value, 'name')?.value : servicePair.value;
    const runtimeOf = (map: unknown) => scalarString(pairGet(ctx, map, 'runtime')?.value)?.trim().toLowerCase();
    const model: ServerlessModel = {
      uri,
      kind: 'serverless',
      runtimes: [],
      entries: [],
      providerRange: nodeRange(f, providerPair!.key as YNode),
      unknown: [],
      errors: [],
    };
    const service = scalarString(serviceNode)?.trim();
    if (service && !VARIABLE.test(service)) model.service = service;
    const providerRuntime = runtimeOf(provider);
    if (providerRuntime) model.runtimes.push(providerRuntime);
    const envPair = pairGet(ctx, provider, 'environment');
    if (envPair?.key) model.envRange = nodeRange(f, envPair.key as YNode);
    if (envPair && byVariable(envPair.value)) model.unknown.push('provider.environment is read from a variable when deploying');
    yamlEnvEntries(ctx, envPair?.value, undefined, fromOf, model.entries);
    const functions = pairGet(ctx, doc.contents, 'functions')?.value;
    // `functions:` may be a list of mappings (or of `${file(…)}` includes) as well as a mapping.
    const fnMaps = isSeq(functions) ? seqItems(ctx.doc, functions) : [functions];
    for (const m of fnMaps) {
      if (byVariable(m)) model.unknown.push('functions are read from another file when deploying');
      for (const p of pairsOf(ctx, m).slice(0, MAX_ITEMS)) {
        const name = keyString(p);
        if (name === undefined) continue;
        if (byVariable(p.value)) model.unknown.push(`function ${name} is read from another file when deploying`);
        const runtime = runtimeOf(p.value);
        // A container image function runs whatever its image holds.
        const image = pairGet(ctx, p.value, 'image');
        if (runtime && !model.runtimes.includes(runtime)) model.runtimes.push(runtime);
        else if (!runtime && image) model.runtimes.push('image');
        // A function of another language (its own runtime, the provider's, or the Framework's default,
        // Node.js): its environment is not the Python code's.
        const effective = runtime ?? (image ? 'image' : providerRuntime ?? 'nodejs');
        if (!/^python|^image$|\$\{/.test(effective)) continue;
        const env = pairGet(ctx, p.value, 'environment');
        if (env && byVariable(env.value)) model.unknown.push(`function ${name}'s environment is read from a variable when deploying`);
        yamlEnvEntries(ctx, env?.value, name, fromOf, model.entries);
      }
    }
    const plugins = pairGet(ctx, doc.contents, 'plugins')?.value;
    const pluginItems = isMap(plugins) ? seqItems(ctx.doc, pairGet(ctx, plugins, 'modules')?.value) : seqItems(ctx.doc, plugins);
    if (pluginItems.some((i) => scalarString(i)?.trim() === 'serverless-dotenv-plugin')) model.unknown.push("serverless-dotenv-plugin adds a .env file's variables");
    const errors: ParseError[] = f.errors.filter((e) => e.code !== 'yaml-templated');
    // Template syntax that left the YAML unreadable (a `{{ }}` inside a string hides nothing).
    if (f.errors.some((e) => e.code === 'yaml-templated')) model.templated = true;
    model.errors = finishedErrors(ctx, errors);
    return model;
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}

/**
 * Where and what to insert to add NAME to `provider.environment` (after its last entry, indented
 * alike), or a new `environment:` after the provider's `runtime:` (or `name:`) line. Its value is
 * `""`, the user's to type, or for a secret `${ssm:/<service>/NAME}`: read from SSM Parameter Store
 * when deploying, never written in the file (`ssm`: that parameter; the user creates it). Undefined
 * when the file is not a readable service file (syntax errors, template syntax), a secret's service
 * name is not a plain one, `provider.environment` is not a block mapping Orchard can extend (a
 * variable, a flow mapping), or the provider already sets the name.
 */
export function serverlessEntryInsert(text: string, name: string, secret: boolean): { offset: number; insert: string; ssm?: string } | undefined {
  if (!VAR_NAME.test(name)) return undefined;
  const f = parseYamlFile(text);
  const doc = f.docs[0];
  const m = doc && !f.errors.length && !doc.errors.length ? parseServerless(f, 'serverless.yml') : undefined;
  if (!m || m.templated || m.entries.some((e) => e.key === name && e.fn === undefined)) return undefined;
  const ssm = secret && m.service && /^[\w.-]+$/.test(m.service) ? `/${m.service}/${name}` : undefined;
  if (secret && !ssm) return undefined;
  const ctx = yamlCtx(f, doc);
  const at = blockMapInsert(text, ctx, pairGet(ctx, doc.contents, 'provider')?.value, 'environment', ['runtime', 'name', 'stage', 'region'], ssm ? `${name}: \${ssm:${ssm}}` : `${name}: ""`);
  return at && ssm ? { ...at, ssm } : at;
}
