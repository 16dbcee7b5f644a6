// AWS CDK stacks written in Python: the Lambda functions a module declares — `aws_lambda.Function`
// (`code=Code.from_asset(…)`), `DockerImageFunction` (`DockerImageCode.from_image_asset(…)`) and
// the alpha `PythonFunction` (`entry=…`) — with their runtime, the folder of their code and their
// `environment={…}` (and `fn.add_environment("K", v)` on the name the function is bound to); and
// its ECS containers — `task_definition.add_container(…)`, `ContainerDefinition(…)`, the
// `ecs_patterns` services' image options — with the folder their image is built from
// (`ContainerImage.from_asset(…)`), their `environment={…}` and `secrets={…}` (`Secret.from_ssm_parameter`,
// `Secret.from_secrets_manager`).
// model/lambdaSources.ts makes the sources. Read from the tree python.ts parsed, only for a module
// whose text names `aws_cdk` (a substring test on every Python file).
//
// A code path is a string, or `os.path.join(os.path.dirname(__file__), …)` / `Path(__file__).parent
// / …` (from the module's folder); a plain string is from the CDK app's folder (the process's
// working directory: where cdk.json is), resolved by the model. Anything else: no folder.
// Pure, never throws, bounded.
import type { Node } from 'web-tree-sitter';
import type { CdkFunction, LambdaEnvEntry } from './envTypes';
import { evalStatic, named } from './pythonEval';
import type { SNode } from './pythonNode';
import { lineIndex, type LineIndex } from './text';
import { LOOSE_VAR_NAME } from './varNames';
import { imageName } from './k8sManifest';

/** Nodes visited at most, and functions kept. */
const MAX_NODES = 200_000;
const MAX_FUNCTIONS = 500;
/** A constructor of a Lambda function: `Function`, `DockerImageFunction`, `PythonFunction` (after an alias or a module). */
const CONSTRUCTOR = /(?:^|\.)(Function|DockerImageFunction|PythonFunction)$/;

interface Ctx {
  text: string;
  li: LineIndex;
}

const rangeOf = (c: Ctx, n: SNode) => c.li.rangeAt(n.startIndex, n.endIndex - n.startIndex);

const kids = (n: SNode | null | undefined): SNode[] => (n ? named(n) : []);

/** A string literal's value (no names, no f-string placeholders). */
function str(n: SNode | null | undefined): string | undefined {
  if (!n || (n.type !== 'string' && n.type !== 'concatenated_string')) return undefined;
  const r = evalStatic(n, () => undefined);
  return r.ok && r.value.t === 'str' ? r.value.v : undefined;
}

/** The call's keyword arguments by name, and its positional ones. */
function args(call: SNode): { kw: Map<string, SNode>; pos: SNode[] } {
  const kw = new Map<string, SNode>();
  const pos: SNode[] = [];
  for (const a of kids(call.childForFieldName('arguments'))) {
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) kw.set(name, value);
    } else if (a.type !== 'list_splat' && a.type !== 'dictionary_splat') pos.push(a);
  }
  return { kw, pos };
}

/** `__file__`'s folder: `os.path.dirname(__file__)`, `Path(__file__).parent` (`.resolve()`, `.absolute()` between). */
function fileDir(n: SNode): boolean {
  const t = n.text.replace(/\s+/g, '');
  return /^(?:os\.path\.|path\.)?dirname\((?:os\.path\.(?:abspath|realpath)\()?__file__\)?\)$/.test(t) || /^(?:pathlib\.)?Path\(__file__\)(?:\.(?:resolve|absolute)\(\))?\.parent$/.test(t);
}

/** A code path: from the module's folder (`file`) or the CDK app's (`cwd`); undefined when computed otherwise. */
function pathOf(n: SNode | null | undefined, depth = 0): { base: 'file' | 'cwd'; path: string } | undefined {
  if (!n || depth > 8) return undefined;
  const s = str(n);
  if (s !== undefined) return { base: 'cwd', path: s };
  if (fileDir(n)) return { base: 'file', path: '.' };
  if (n.type === 'parenthesized_expression') return pathOf(kids(n)[0], depth + 1);
  if (n.type === 'call') {
    const fn = n.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    const { pos } = args(n);
    // str(path), os.fspath(path)
    if ((fn === 'str' || fn === 'os.fspath') && pos.length === 1) return pathOf(pos[0], depth + 1);
    if (/(?:^|\.)join$/.test(fn) && pos.length >= 1) {
      const head = pathOf(pos[0], depth + 1);
      const rest = pos.slice(1).map(str);
      if (!head || rest.some((r) => r === undefined)) return undefined;
      return { base: head.base, path: [head.path, ...(rest as string[])].join('/') };
    }
    return undefined;
  }
  if (n.type === 'attribute' && n.childForFieldName('attribute')?.text === 'parent') {
    const inner = pathOf(n.childForFieldName('object'), depth + 1);
    return inner && { base: inner.base, path: `${inner.path}/..` };
  }
  if (n.type === 'binary_operator' && n.childForFieldName('operator')?.text === '/') {
    const left = pathOf(n.childForFieldName('left'), depth + 1);
    const right = str(n.childForFieldName('right'));
    return left && right !== undefined ? { base: left.base, path: `${left.path}/${right}` } : undefined;
  }
  return undefined;
}

/** A value's origin when it is not a literal: a plain name or attribute chain is named. */
function originOf(n: SNode): string {
  const t = n.text.replace(/\s+/g, '');
  return /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(t) && t.length <= 80 ? `CDK: ${t}` : 'CDK, when deploying';
}

function entry(c: Ctx, fn: string, keyNode: SNode, key: string, value: SNode, whole: SNode): LambdaEnvEntry {
  const e: LambdaEnvEntry = { key, keyRange: rangeOf(c, keyNode), entryRange: rangeOf(c, whole), fn };
  const v = str(value) ?? (value.type === 'integer' || value.type === 'float' ? value.text : undefined);
  if (v !== undefined) {
    e.value = v;
    e.valueRange = rangeOf(c, value);
  } else e.from = originOf(value);
  return e;
}

/** `environment={…}`: its entries; a reason when it is not a dict literal of string keys. */
function environment(c: Ctx, fn: CdkFunction, value: SNode): void {
  fn.envRange = rangeOf(c, value);
  // `dict(K="v", …)`: keyword arguments are its entries.
  if (value.type === 'call' && value.childForFieldName('function')?.text === 'dict') {
    for (const a of kids(value.childForFieldName('arguments')).slice(0, 2_000)) {
      const k = a.type === 'keyword_argument' ? a.childForFieldName('name') : undefined;
      const v = a.childForFieldName('value');
      if (!k || !v) fn.unknown = 'its environment takes in another dict';
      else if (LOOSE_VAR_NAME.test(k.text)) fn.entries.push(entry(c, fn.id, k, k.text, v, a));
    }
    return;
  }
  if (value.type !== 'dictionary') {
    fn.unknown = `its environment is ${originOf(value).replace(/^CDK: /, '').replace(/^CDK, when deploying$/, 'computed')} (evaluated when deploying)`;
    return;
  }
  for (const p of kids(value).slice(0, 2_000)) {
    if (p.type === 'dictionary_splat') fn.unknown = 'its environment takes in another dict (**…)';
    if (p.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    const v = p.childForFieldName('value');
    const key = str(k);
    if (key === undefined || !k || !v) {
      fn.unknown = 'a key of its environment is computed';
      continue;
    }
    if (LOOSE_VAR_NAME.test(key)) fn.entries.push(entry(c, fn.id, k, key, v, p));
  }
}

function lambdaFunction(c: Ctx, call: SNode, kind: string, bound: string | undefined): CdkFunction {
  const { kw, pos } = args(call);
  const idNode = pos[1] && str(pos[1]) !== undefined ? pos[1] : undefined;
  const fn: CdkFunction = { id: (idNode && str(idNode)) || bound || kind, idRange: rangeOf(c, idNode ?? call), entries: [] };
  const runtime = kw.get('runtime')?.text;
  if (kind === 'PythonFunction' || (runtime && /\bPYTHON/i.test(runtime))) fn.runtime = 'python';
  else if (runtime) fn.runtime = /\b(?:NODEJS|JAVA|DOTNET|GO_|PROVIDED|RUBY)/i.test(runtime) ? 'other' : undefined;
  // The code: `entry=` (PythonFunction), `code=Code.from_asset(p)` / `DockerImageCode.from_image_asset(p)`.
  let code: ReturnType<typeof pathOf>;
  if (kind === 'PythonFunction') code = pathOf(kw.get('entry'));
  else {
    const codeArg = kw.get('code');
    if (codeArg?.type === 'call' && /\.(?:from_asset|from_image_asset|asset)$/.test(codeArg.childForFieldName('function')?.text ?? '')) code = pathOf(args(codeArg).pos[0]);
  }
  if (code) fn.code = code;
  else fn.codeElsewhere = true;
  const env = kw.get('environment');
  if (env) environment(c, fn, env);
  return fn;
}

/** A call that defines an ECS container: `task_definition.add_container(…)`, `ContainerDefinition(…)`, `ecs_patterns`' image options, `QueueProcessing…Service(…)`. */
const CONTAINER = /(?:^|\.)(add_container|ContainerDefinition|\w+TaskImageOptions|QueueProcessing(?:Fargate|Ec2)Service)$/;
/** The keyword of an `ecs_patterns` service whose dict is its container's image options. */
const IMAGE_OPTIONS = /^(?:task_image_options|scheduled_(?:fargate|ec2)_task_image_options)$/;

/** `secrets={"K": ecs.Secret.from_ssm_parameter(p), …}`: the container's secrets, where each comes from. */
function secrets(c: Ctx, fn: CdkFunction, value: SNode): void {
  if (value.type !== 'dictionary') {
    fn.unknown ??= 'its secrets are computed';
    return;
  }
  for (const p of kids(value).slice(0, 2_000)) {
    if (p.type === 'dictionary_splat') fn.unknown ??= 'its secrets take in another dict (**…)';
    if (p.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    const v = p.childForFieldName('value');
    const key = str(k);
    if (key === undefined || !k || !v) {
      fn.unknown ??= 'a key of its secrets is computed';
      continue;
    }
    if (!LOOSE_VAR_NAME.test(key)) continue;
    const callee = v.type === 'call' ? (v.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '') : '';
    const arg = v.type === 'call' ? args(v).pos[0] : undefined;
    const ref = arg ? originOf(arg).replace(/^CDK: /, '').replace(/^CDK, when deploying$/, '') : '';
    const store = /from_ssm_parameter$/.test(callee) ? 'SSM parameter' : /from_secrets_manager(?:_version)?$/.test(callee) ? 'Secrets Manager secret' : 'a secret';
    fn.entries.push({ key, keyRange: rangeOf(c, k), entryRange: rangeOf(c, p), fn: fn.id, secret: true, from: ref ? `${store} ${ref}` : store });
  }
}

/** A container's fields (keyword arguments, or an image options dict's keys): its image, environment and secrets. */
function ecsContainer(c: Ctx, kw: ReadonlyMap<string, SNode>, id: string, at: SNode): CdkFunction {
  const fn: CdkFunction = { id, idRange: rangeOf(c, at), entries: [], ecs: true };
  const image = kw.get('image');
  const callee = image?.type === 'call' ? (image.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '') : '';
  if (image && /\.from_asset$/.test(callee)) {
    const a = args(image);
    const code = pathOf(a.pos[0] ?? a.kw.get('directory'));
    if (code) fn.code = code;
    else fn.codeElsewhere = true;
  } else {
    fn.codeElsewhere = true;
    if (image && /\.from_registry$/.test(callee)) fn.image = imageName(str(args(image).pos[0]) ?? '');
  }
  const env = kw.get('environment');
  if (env) environment(c, fn, env);
  const sec = kw.get('secrets');
  if (sec) secrets(c, fn, sec);
  return fn;
}

/** A dict literal's string keys to their values (`{"image": …, "environment": …}`). */
function dictArgs(d: SNode): Map<string, SNode> {
  const out = new Map<string, SNode>();
  for (const p of kids(d)) {
    const k = p.type === 'pair' ? str(p.childForFieldName('key')) : undefined;
    const v = p.childForFieldName('value');
    if (k !== undefined && v) out.set(k, v);
  }
  return out;
}

/** The ECS container a call defines, or undefined. `bound`: the name the call is assigned to. */
function containerOf(c: Ctx, call: Node, kind: string, bound: string | undefined): CdkFunction | undefined {
  const { kw, pos } = args(call);
  if (kind === 'add_container') return ecsContainer(c, kw, str(pos[0]) ?? bound ?? 'container', pos[0] && str(pos[0]) !== undefined ? pos[0] : call);
  if (kind === 'ContainerDefinition' || kind.startsWith('QueueProcessing')) return ecsContainer(c, kw, str(pos[1]) ?? bound ?? kind, pos[1] && str(pos[1]) !== undefined ? pos[1] : call);
  // `…TaskImageOptions(…)`: named by the service it is given to (`ApplicationLoadBalancedFargateService(self, "Web", task_image_options=…)`).
  const service = call.parent?.type === 'keyword_argument' ? call.parent.parent?.parent : undefined;
  const sid = service?.type === 'call' ? args(service).pos[1] : undefined;
  return ecsContainer(c, kw, str(sid) ?? 'container', sid && str(sid) !== undefined ? sid : call);
}

/** The Lambda functions and ECS containers a CDK module declares. */
export function extractCdkFunctions(root: Node, text: string): CdkFunction[] {
  const c: Ctx = { text, li: lineIndex(text) };
  const out: CdkFunction[] = [];
  const byName = new Map<string, CdkFunction>();
  const adds: Node[] = [];
  const cursor = root.walk();
  try {
    let visited = 0;
    for (;;) {
      const n = cursor.currentNode;
      if (++visited > MAX_NODES || out.length >= MAX_FUNCTIONS) break;
      if (n.type === 'call') {
        const callee = n.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
        const m = CONSTRUCTOR.exec(callee);
        if (m) {
          // `x = Function(…)`, `self.fn = Function(…)`: the name `add_environment` is called on.
          const parent = n.parent;
          const bound = parent?.type === 'assignment' && parent.childForFieldName('right')?.id === n.id ? parent.childForFieldName('left')?.text.replace(/\s+/g, '') : undefined;
          const fn = lambdaFunction(c, n, m[1], bound);
          out.push(fn);
          if (bound) byName.set(bound, fn);
        } else if (/\.add_environment$/.test(callee)) adds.push(n);
        else {
          const k = CONTAINER.exec(callee);
          const parent = n.parent;
          const bound = parent?.type === 'assignment' && parent.childForFieldName('right')?.id === n.id ? parent.childForFieldName('left')?.text.replace(/\s+/g, '') : undefined;
          const container = k ? containerOf(c, n, k[1], bound) : undefined;
          if (container) out.push(container);
          // An `ecs_patterns` service given its image options as a dict.
          if (!k && /(?:^|\.)\w+(?:Service|Task)$/.test(callee)) {
            const { kw, pos } = args(n);
            for (const [name, v] of kw) if (IMAGE_OPTIONS.test(name) && v.type === 'dictionary') out.push(ecsContainer(c, dictArgs(v), str(pos[1]) ?? 'container', pos[1] && str(pos[1]) !== undefined ? pos[1] : n));
          }
        }
      }
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return finish(c, out, byName, adds);
    }
    return finish(c, out, byName, adds);
  } finally {
    cursor.delete();
  }
}

/** `fn.add_environment("K", v)` on a bound function: one more entry of it. */
function finish(c: Ctx, out: CdkFunction[], byName: Map<string, CdkFunction>, adds: SNode[]): CdkFunction[] {
  for (const call of adds) {
    const target = call.childForFieldName('function')?.childForFieldName('object')?.text.replace(/\s+/g, '');
    const fn = target === undefined ? undefined : byName.get(target);
    const { pos } = args(call);
    const key = str(pos[0]);
    if (!fn || !pos[0] || !pos[1]) continue;
    if (key === undefined) fn.unknown ??= 'add_environment is called with a computed name';
    else if (LOOSE_VAR_NAME.test(key)) fn.entries.push(entry(c, fn.id, pos[0], key, pos[1], call));
  }
  return out;
}

/**
 * Where and what to insert to add `"NAME": ""` to a function's `environment={…}` dict literal: after
 * its last entry, indented alike (a trailing comma kept), or into an empty `{}`. Undefined when the
 * function's environment is not a dict literal Orchard reads whole, or already holds the name.
 */
export function cdkEntryInsert(text: string, fn: CdkFunction, name: string): { offset: number; insert: string } | undefined {
  if (!fn.envRange || fn.unknown || fn.entries.some((e) => e.key === name)) return undefined;
  const li = lineIndex(text);
  const start = li.offsetAt(fn.envRange.start);
  const end = li.offsetAt(fn.envRange.end);
  if (text[start] !== '{' || text[end - 1] !== '}') return undefined;
  const entry = `"${name}": ""`;
  // The dict's own entries (add_environment's are elsewhere).
  const own = fn.entries.filter((e) => {
    const at = li.offsetAt(e.entryRange.start);
    return at > start && at < end;
  });
  const last = own[own.length - 1];
  if (!last) return text.slice(start + 1, end - 1).trim() ? undefined : { offset: start + 1, insert: entry };
  let at = li.offsetAt(last.entryRange.end);
  const comma = /^[ \t]*,/.exec(text.slice(at, end));
  if (!text.slice(at, end - 1).includes('\n')) return { offset: at, insert: `, ${entry}` };
  const lineStart = text.lastIndexOf('\n', li.offsetAt(last.entryRange.start) - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (comma) {
    at += comma[0].length;
    return { offset: at, insert: `${eol}${indent}${entry},` };
  }
  return { offset: at, insert: `,${eol}${indent}${entry}` };
}
