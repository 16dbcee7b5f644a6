// An `aws_ecs_task_definition` resource of a Terraform file → TerraformTask: its family and its
// containers, read as an ECS task definition's are (parse/ecsTaskDef.ts): each container's image,
// `environment`, `secrets` and `environmentFiles`. `container_definitions` may be written three ways
// Orchard reads — `jsonencode([{ name = "web", environment = [{ name = "X", value = "y" }] }])` (HCL
// objects), a heredoc of JSON, a quoted string of JSON, a file it renders (`file(…)`,
// `templatefile(…)`, a `template_file` data source's `template = file(…)`: the task names the file,
// model/hostedApps.ts joins it to that file's containers, parse/ecsTaskDef.ts parseEcsContainerFile)
// — and others it does not follow: a list Terraform computes (`var.containers`,
// `module.web.json_map_encoded_list`, `concat(…)`) or a heredoc's template directives (`%{ for … }`).
// Those make the task unknown, said why.
//
// A value Terraform fills in when applying (`aws_db_instance.db.address`, `"${var.db_host}"` in the
// JSON) is provided, its value unknown here; a plain reference is named in the hover (a template's
// or a call's text may hold a secret).
import type { Node } from 'web-tree-sitter';
import type { EcsContainer, LambdaEnvEntry, TerraformTask, TerraformTemplate } from './platformTypes';
import type { Range } from './types';
import { ecsSecretFrom, readEcsContainers, slotsAsJson } from './ecsTaskDef';
import { readJsonDocument } from './jsonDoc';
import { imageName } from './k8sManifest';
import { detach, lineIndex } from './text';
import { LOOSE_VAR_NAME } from './varNames';
import { fileCall, inner, literalValue, members, named, originOf, pathValue, rangeOf, stringValue, type Ctx } from './hclNodes';

/** `${ref}` alone: the reference Terraform fills in (named in the hover when short and plain). */
const SLOT_REF = /^\$\{\s*([A-Za-z_][\w-]*(?:\s*\.\s*[A-Za-z_][\w-]*|\[\s*\d+\s*\])*)\s*\}$/;

/** How a JSON value holding Terraform's `${…}` is described. */
export function terraformSlot(value: string): string {
  const m = SLOT_REF.exec(value);
  return m && m[1].length <= 80 ? `Terraform: ${m[1].replace(/\s/g, '')}` : 'Terraform, when applying';
}

/** An object literal's members by key (`name = …` or `"name" : …`): the value nodes. */
function objectMembers(obj: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const el of named(obj)) {
    if (el.type !== 'object_elem') continue;
    const k = inner(el.childForFieldName('key'));
    const v = inner(el.childForFieldName('val'));
    const key = k?.type === 'variable_expr' && named(k).length === 1 ? k.text : stringValue(k);
    if (key !== undefined && v && !out.has(key)) out.set(key, v);
  }
  return out;
}

/** The object a value is when it is an object literal (`{ … }`). */
function objectOf(n: Node | undefined): Node | undefined {
  const v = n?.type === 'collection_value' ? named(n)[0] : n;
  return v?.type === 'object' ? v : undefined;
}

/** The elements of a tuple literal (`[ … ]`); undefined for anything else (a `for` expression, a call, a reference). */
function tupleItems(n: Node | undefined): Node[] | undefined {
  const t = n?.type === 'collection_value' ? named(n)[0] : undefined;
  if (t?.type !== 'tuple') return undefined;
  return named(t)
    .filter((k) => k.type === 'expression')
    .map((k) => inner(k)!);
}

/** A container's `environment` or `secrets` list of `{ name, value }` / `{ name, valueFrom }`; a reason when Orchard cannot read it whole. */
function hclEntries(c: Ctx, list: Node | undefined, secret: boolean, what: string, out: LambdaEnvEntry[]): string | undefined {
  if (!list || (list.type === 'literal_value' && list.text === 'null')) return undefined;
  const elems = tupleItems(list);
  if (!elems) return `its ${what} is computed by Terraform`;
  let computed = false;
  for (const el of elems) {
    const obj = objectOf(el);
    const props = obj && objectMembers(obj);
    const nameNode = props?.get('name');
    const key = literalValue(nameNode);
    if (!props || !nameNode || key === undefined) {
      computed = true;
      continue;
    }
    if (!LOOSE_VAR_NAME.test(key)) continue;
    const e: LambdaEnvEntry = { key: detach(key), keyRange: rangeOf(c, nameNode), entryRange: rangeOf(c, el) };
    const v = props.get(secret ? 'valueFrom' : 'value');
    const lit = literalValue(v);
    if (secret) {
      e.secret = true;
      e.from = lit !== undefined ? ecsSecretFrom(lit) : v ? originOf(v) : 'a secret';
    } else if (lit !== undefined && v) {
      e.value = detach(lit);
      e.valueRange = rangeOf(c, v);
    } else if (v && !(v.type === 'literal_value' && v.text === 'null')) e.from = originOf(v);
    out.push(e);
  }
  return computed ? `an entry of its ${what} is computed by Terraform` : undefined;
}

/** `jsonencode([{ … }, …])`'s containers, or why they cannot be read. */
function hclContainers(c: Ctx, arg: Node | undefined): { containers: EcsContainer[]; unknown?: string } {
  const elems = tupleItems(arg);
  if (!elems) return { containers: [], unknown: `its container definitions are ${computedBy(arg)}` };
  const containers: EcsContainer[] = [];
  let unknown: string | undefined;
  for (const el of elems) {
    const obj = objectOf(el);
    if (!obj) {
      unknown ??= 'a container definition is computed by Terraform';
      continue;
    }
    const props = objectMembers(obj);
    const nameNode = props.get('name');
    const name = literalValue(nameNode) ?? `container ${containers.length + 1}`;
    // An image Terraform computes (`"${aws_ecr_repository.app.repository_url}:latest"`) may be the app's.
    const container: EcsContainer = { name: detach(name), nameRange: rangeOf(c, nameNode ?? el), image: imageName(literalValue(props.get('image')) ?? ''), entries: [] };
    const why = [hclEntries(c, props.get('environment'), false, 'environment', container.entries), hclEntries(c, props.get('secrets'), true, 'secrets', container.entries)].filter((w): w is string => w !== undefined);
    const env = props.get('environment');
    const secrets = props.get('secrets');
    if (env && tupleItems(env)) container.envList = rangeOf(c, env);
    if (secrets && tupleItems(secrets)) container.secretsList = rangeOf(c, secrets);
    const files = props.get('environmentFiles');
    if (files && !(files.type === 'literal_value' && files.text === 'null') && tupleItems(files)?.length !== 0) container.environmentFiles = true;
    if (why.length) container.unknown = why.join('; ');
    containers.push(container);
  }
  return { containers, unknown };
}

/** What gives a value Orchard does not follow, for a reason (a plain reference named; never a literal's text). */
function computedBy(n: Node | undefined): string {
  if (!n) return 'computed by Terraform';
  const o = originOf(n);
  return o.startsWith('Terraform: ') ? `computed by Terraform (${o.slice('Terraform: '.length)})` : 'computed by Terraform';
}

/** A heredoc's JSON (`<<EOF … EOF`, `<<-EOF`): its containers, with places in the file. */
function heredocContainers(c: Ctx, h: Node): { containers: EcsContainer[]; unknown?: string; jsonRange?: Range } {
  const kids = named(h);
  if (kids.some((k) => k.type === 'template_directive' || k.type === 'template_for' || k.type === 'template_if')) return { containers: [], unknown: 'its container definitions are a template with directives (`%{ … }`), which Orchard does not follow' };
  const open = kids.find((k) => k.type === 'heredoc_identifier');
  const close = kids.filter((k) => k.type === 'heredoc_identifier').pop();
  if (!open || !close || close === open) return { containers: [], unknown: 'its container definitions are not JSON Orchard can read' };
  const start = c.text.indexOf('\n', open.endIndex) + 1;
  const slots = kids.filter((k) => k.type === 'template_interpolation').map((k) => [k.startIndex, k.endIndex] as [number, number]);
  return { ...jsonContainers(slotsAsJson(c.text, start, close.startIndex, slots)), jsonRange: c.li.rangeAt(start, close.startIndex - start) };
}

/** A JSON array of container definitions (places as in `json`). */
function jsonContainers(json: string): { containers: EcsContainer[]; unknown?: string } {
  const doc = readJsonDocument(json, 'container definitions', '', 'ECS');
  if (!doc.root || doc.root.type !== 'array' || doc.errors.some((e) => e.severity === 'error')) return { containers: [], unknown: 'its container definitions are not JSON Orchard can read' };
  return { containers: readEcsContainers(doc, doc.root, terraformSlot) };
}

/** The containers of `container_definitions`, or why they cannot be read here. */
function containersOf(c: Ctx, value: Node | undefined): { containers: EcsContainer[]; unknown?: string; form?: 'hcl' | 'json'; renders?: string; template?: string; jsonRange?: Range } {
  const v = inner(value);
  if (!v) return { containers: [], unknown: 'it has no container definitions' };
  if (v.type === 'function_call') {
    const [fn, args] = named(v);
    const first = inner(named(args?.type === 'function_arguments' ? args : undefined)[0]);
    if (fn?.text === 'jsonencode') return { ...hclContainers(c, first), form: 'hcl' };
    if (fn && /^(?:file|templatefile)$/.test(fn.text)) {
      const p = pathValue(first);
      if (p === undefined) return { containers: [], unknown: 'its container definitions are rendered from a file Terraform computes the path of' };
      return { containers: [], renders: p, unknown: notRead(p) };
    }
    return { containers: [], unknown: `its container definitions are computed by Terraform (${fn?.text ?? 'a function'}(…))` };
  }
  const t = v.type === 'template_expr' ? named(v)[0] : undefined;
  if (t?.type === 'heredoc_template') return { ...heredocContainers(c, t), form: 'json' };
  const s = stringValue(v);
  if (s !== undefined) {
    // A quoted string of JSON (as `terraform import` writes it): read, with every place the string's.
    const r = jsonContainers(s);
    const at = rangeOf(c, v);
    for (const k of r.containers) {
      k.nameRange = at;
      for (const e of k.entries) {
        e.keyRange = at;
        e.entryRange = at;
        delete e.valueRange;
      }
    }
    return { ...r, form: 'json' };
  }
  const ref = /\bdata\s*\.\s*template_file\s*\.\s*([A-Za-z_][\w-]*)\s*\.\s*rendered\b/.exec(v.text);
  if (ref) return { containers: [], template: ref[1], unknown: `its container definitions are rendered by the template_file data source ${ref[1]}, whose template Orchard cannot read` };
  return { containers: [], unknown: `its container definitions are ${computedBy(v)}` };
}

/** Why a task rendered from `p` is unknown when that file is not one Orchard reads as container definitions. */
export function notRead(p: string): string {
  return `its container definitions are rendered from ${p.replace(/^\.\//, '')}, which Orchard cannot read as container definitions`;
}

/** `data "template_file" "<name>" { template = file(…) }`: the file it reads (none when given inline). */
export function templateFile(b: Node, name: string): TerraformTemplate {
  const t: TerraformTemplate = { name };
  const p = fileCall(inner(members(b).attrs.get('template')));
  if (p !== undefined) t.file = p;
  return t;
}

/** One `resource "aws_ecs_task_definition" "<id>"` block. */
export function ecsTask(c: Ctx, b: Node, id: string, idNode: Node): TerraformTask {
  const { attrs } = members(b);
  const task: TerraformTask = { id, idRange: rangeOf(c, idNode), containers: [] };
  const family = literalValue(inner(attrs.get('family')));
  if (family !== undefined && /^[\w.-]+$/.test(family)) task.family = family;
  const r = containersOf(c, attrs.get('container_definitions'));
  task.containers = r.containers;
  if (r.unknown) task.unknown = r.unknown;
  if (r.form) task.form = r.form;
  if (r.jsonRange) task.jsonRange = r.jsonRange;
  if (r.renders !== undefined) task.renders = r.renders;
  if (r.template !== undefined) task.template = r.template;
  return task;
}

/**
 * Where and what to insert to give a `jsonencode` container of `task` the variable NAME: `{ name =
 * "NAME", value = "" }` in its `environment` (the value the user's to type), or for a secret
 * `{ name = "NAME", valueFrom = "/<family>/NAME" }` in its `secrets` (`ssm`: the parameter, which the
 * user creates), after the last entry and alike (one line, or a line of its own with the entries'
 * indentation and commas). Undefined when that list is not a literal Orchard reads whole, the
 * container already has the name, or a secret's task has no plain family name.
 */
export function hclEcsEntryInsert(text: string, task: TerraformTask, container: string, name: string, secret: boolean): { offset: number; insert: string; ssm?: string } | undefined {
  const c = task.containers.find((x) => x.name === container);
  const list = secret ? c?.secretsList : c?.envList;
  if (!c || !list || c.unknown || task.unknown || c.entries.some((e) => e.key === name)) return undefined;
  if (secret && !task.family) return undefined;
  const ssm = secret ? `/${task.family}/${name}` : undefined;
  const item = ssm ? `{ name = "${name}", valueFrom = "${ssm}" }` : `{ name = "${name}", value = "" }`;
  const li = lineIndex(text);
  const start = li.offsetAt(list.start);
  const end = li.offsetAt(list.end);
  if (text[start] !== '[' || text[end - 1] !== ']') return undefined;
  const last = c.entries.filter((e) => (e.secret === true) === secret).pop();
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const at = (o: { offset: number; insert: string }) => (ssm ? { ...o, ssm } : o);
  if (!last) return at({ offset: start + 1, insert: text.slice(start + 1, end - 1).trim() ? `${item}, ` : item });
  const after = li.offsetAt(last.entryRange.end);
  const comma = /^[ \t]*,/.exec(text.slice(after, end));
  const next = after + (comma ? comma[0].length : 0);
  if (!text.slice(start, end).includes('\n')) return at({ offset: next, insert: comma ? ` ${item},` : `, ${item}` });
  const lineStart = text.lastIndexOf('\n', li.offsetAt(last.entryRange.start) - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return at({ offset: next, insert: comma ? `${eol}${indent}${item},` : `,${eol}${indent}${item}` });
}
