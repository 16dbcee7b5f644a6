// An `aws_ecs_task_definition` resource of a Terraform file → TerraformTask: its family and its
// containers, read as an ECS task definition's are (parse/ecsTaskDef.ts): each container's image,
// `environment`, `secrets` and `environmentFiles`. `container_definitions` may be
// `jsonencode([{ name = "web", environment = [{ name = "X", value = "y" }] }])` (HCL objects), a
// heredoc of JSON, a quoted string of JSON, a file it renders (`file(…)`, `templatefile(…)`, a
// `template_file` data source's `template = file(…)`: the task names the file) or container
// definition modules' outputs (`module.web.json_map_object`: the task names the modules);
// model/hostedSources.ts terraformResolver joins those to the rendered file's containers
// (parse/ecsTaskDef.ts parseEcsContainerFile) and the modules' (terraformEcsModules.ts). A list
// Terraform computes otherwise (`var.containers`, `concat(…)`, a `for` expression) or a heredoc's
// template directives (`%{ for … }`) make the task unknown, said why.
//
// A value Terraform fills in when applying (`aws_db_instance.db.address`, `"${var.db_host}"` in the
// JSON) is provided, its value unknown here; a plain reference is named in the hover (a template's
// or a call's text may hold a secret).
import type { Node } from 'web-tree-sitter';
import type { EcsContainer, LambdaEnvEntry, TerraformContainerLocal, TerraformTask, TerraformTemplate } from './platformTypes';
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
export function objectMembers(obj: Node): Map<string, Node> {
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
export function objectOf(n: Node | undefined): Node | undefined {
  const v = n?.type === 'collection_value' ? named(n)[0] : n;
  return v?.type === 'object' ? v : undefined;
}

/** The elements of a tuple literal (`[ … ]`); undefined for anything else (a `for` expression, a call, a reference). */
export function tupleItems(n: Node | undefined): Node[] | undefined {
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

/** The names a container's fields have: in a container definition, and in a module's arguments (`container_image`, `environment_files`). */
export interface ContainerKeys {
  name?: string;
  image: string;
  environmentFiles: readonly string[];
}
const DEFINITION_KEYS: ContainerKeys = { name: 'name', image: 'image', environmentFiles: ['environmentFiles'] };

/**
 * One container from its fields (an object literal's members, or a module's arguments): its image,
 * `environment` and `secrets`, their lists' places (the quick fix's), and `environmentFiles`.
 * `name`: when the fields do not hold it (a module's map key); `fallback` when neither gives one. `at`:
 * where it is, when no name node is.
 */
export function hclContainer(c: Ctx, props: ReadonlyMap<string, Node>, at: Node, keys: ContainerKeys = DEFINITION_KEYS, name?: { text: string; node: Node }, fallback = 'container'): EcsContainer {
  const nameNode = name?.node ?? (keys.name ? props.get(keys.name) : undefined);
  const text = name?.text ?? literalValue(nameNode) ?? fallback;
  // An image Terraform computes (`"${aws_ecr_repository.app.repository_url}:latest"`) may be the app's.
  const container: EcsContainer = { name: detach(text), nameRange: rangeOf(c, nameNode ?? at), image: imageName(literalValue(props.get(keys.image)) ?? ''), entries: [] };
  const env = props.get('environment');
  const secrets = props.get('secrets');
  const why = [hclEntries(c, env, false, 'environment', container.entries), hclEntries(c, secrets, true, 'secrets', container.entries)].filter((w): w is string => w !== undefined);
  if (env && tupleItems(env)) container.envList = rangeOf(c, env);
  if (secrets && tupleItems(secrets)) container.secretsList = rangeOf(c, secrets);
  for (const k of keys.environmentFiles) {
    const files = props.get(k);
    if (files && !(files.type === 'literal_value' && files.text === 'null') && tupleItems(files)?.length !== 0) container.environmentFiles = true;
  }
  if (why.length) container.unknown = why.join('; ');
  return container;
}

/** `module.<name>.…`: a container definition module's output (`module.web.json_map_object`), by the module's name. */
export function moduleRef(n: Node | undefined): string | undefined {
  return n ? /^module\s*\.\s*([A-Za-z_][\w-]*)\s*\.\s*[A-Za-z_][\w-]*$/.exec(n.text.trim())?.[1] : undefined;
}

/** `local.<name>` alone: a local of the module's folder, by name. */
export function localRef(n: Node | undefined): string | undefined {
  return n ? /^local\s*\.\s*([A-Za-z_][\w-]*)$/.exec(n.text.trim())?.[1] : undefined;
}

/** `jsonencode([{ … }, …])`'s containers (a module's output or a local as one of them, or as the whole list: `modules`, `locals`), or why they cannot be read. */
function hclContainers(c: Ctx, arg: Node | undefined): { containers: EcsContainer[]; unknown?: string; modules?: string[]; locals?: string[] } {
  const whole = moduleRef(arg);
  if (whole) return { containers: [], modules: [whole] };
  const local = localRef(arg);
  if (local) return { containers: [], locals: [local] };
  const elems = tupleItems(arg);
  if (!elems) return { containers: [], unknown: `its container definitions are ${computedBy(arg)}` };
  const containers: EcsContainer[] = [];
  const modules: string[] = [];
  const locals: string[] = [];
  let unknown: string | undefined;
  for (const el of elems) {
    const obj = objectOf(el);
    const ref = obj ? undefined : moduleRef(el);
    const loc = obj || ref ? undefined : localRef(el);
    if (ref) modules.push(ref);
    else if (loc) locals.push(loc);
    else if (!obj) unknown ??= 'a container definition is computed by Terraform';
    else containers.push(hclContainer(c, objectMembers(obj), el, DEFINITION_KEYS, undefined, `container ${containers.length + 1}`));
  }
  return { containers, unknown, ...(modules.length ? { modules } : {}), ...(locals.length ? { locals } : {}) };
}

/** A container definition's keys, one of which an object must have to be read as one. */
const CONTAINER_KEYS = /^(?:image|environment|secrets|portMappings|essential|environmentFiles)$/;

/**
 * A `locals` block's values that are container definitions — a list of objects, or one object,
 * with a container's keys (`image`, `environment`, `portMappings`, …) — as containers by the local's name.
 */
export function containerLocals(c: Ctx, b: Node): TerraformContainerLocal[] {
  const out: TerraformContainerLocal[] = [];
  for (const [name, v] of members(b).attrs) {
    const value = inner(v);
    const one = objectOf(value);
    const objs = one ? [value!] : (tupleItems(value) ?? []);
    const looks = objs.length > 0 && objs.every((el) => {
      const o = objectOf(el);
      return o !== undefined && [...objectMembers(o).keys()].some((k) => CONTAINER_KEYS.test(k));
    });
    if (!looks) continue;
    out.push({ name, containers: objs.map((el, i) => hclContainer(c, objectMembers(objectOf(el)!), el, DEFINITION_KEYS, undefined, `container ${i + 1}`)) });
  }
  return out;
}

/** A quoted JSON list of module outputs and nothing else (`"[${module.a.json_map_encoded}]"`): the modules' names. */
function moduleList(v: Node): string[] | undefined {
  const t = v.type === 'template_expr' ? named(v)[0] : undefined;
  if (t?.type !== 'quoted_template') return undefined;
  const out: string[] = [];
  for (const k of named(t)) {
    if (k.type === 'template_literal' && /^[\s[\],]*$/.test(k.text)) continue;
    if (k.type === 'quoted_template_start' || k.type === 'quoted_template_end') continue;
    const ref = k.type === 'template_interpolation' ? moduleRef(inner(named(k).find((x) => x.type === 'expression'))) : undefined;
    if (!ref) return undefined;
    out.push(ref);
  }
  return out.length ? out : undefined;
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
function containersOf(c: Ctx, value: Node | undefined): { containers: EcsContainer[]; unknown?: string; form?: 'hcl' | 'json'; renders?: string; template?: string; jsonRange?: Range; modules?: string[]; locals?: string[] } {
  const v = inner(value);
  if (!v) return { containers: [], unknown: 'it has no container definitions' };
  // A container definition module's output (`module.web.json_map_encoded_list`), or several in a JSON list (`"[${module.a.json_map_encoded}, ${module.b.json_map_encoded}]"`).
  const whole = moduleRef(v) ?? moduleList(v);
  if (whole) return { containers: [], modules: Array.isArray(whole) ? whole : [whole] };
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
  if (r.modules) task.modules = r.modules;
  if (r.locals) task.locals = r.locals;
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
