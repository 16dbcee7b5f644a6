// An Amazon ECS task definition (`task-definition.json`, `.aws/task-definition.json`, any JSON file
// with `containerDefinitions`) → EcsTaskDefModel: what each container's process gets. A container's
// `environment` (`{"name", "value"}`) and `secrets` (`{"name", "valueFrom"}`: an SSM parameter's or a
// Secrets Manager secret's ARN or name, filled in when the task starts), and `environmentFiles` (files
// in S3 Orchard cannot read: the container's environment is then unknown beyond what it lists).
//
// Recognised by content: a JSON object with a `containerDefinitions` array (the cheap test on the
// text comes first: every JSON file of a workspace passes here). Pure, never throws, bounded;
// undefined for any other JSON.
import type { Node } from 'jsonc-parser';
import type { EcsContainer, EcsTaskDefModel, LambdaEnvEntry } from './platformTypes';
import { jsonEntryInsert, jsonValueAssignment, nodeRange, objectProps, readJsonDocument, type JsonDoc } from './jsonDoc';
import { detach, lineIndex } from './text';
import type { Assignment } from './credentials/types';
import { LOOSE_VAR_NAME, VAR_NAME } from './varNames';
import { imageName } from './k8sManifest';

const MAX_ITEMS = 2_000;
/** A slot a deploy step fills in: `<DB_HOST>`, `${DB_HOST}`, `{{ db_host }}`. */
const PLACEHOLDER = /^<[^>]*>$|\$\{[^}]*\}|\{\{[^}]*\}\}/;

const prop = (obj: Node | undefined, key: string) => (obj?.type === 'object' ? objectProps(obj).filter((p) => p.key === key).pop() : undefined);
const str = (n: Node | undefined) => (n?.type === 'string' && typeof n.value === 'string' ? detach(n.value) : undefined);
const items = (n: Node | undefined) => (n?.type === 'array' ? (n.children ?? []).slice(0, MAX_ITEMS) : []);

/** Where a secret's `valueFrom` points: an SSM parameter (ARN or name) or a Secrets Manager secret. */
export function ecsSecretFrom(valueFrom: string): string {
  const ssm = /^arn:aws[\w-]*:ssm:[^:]*:[^:]*:parameter(\/.*|[^/].*)$/.exec(valueFrom);
  if (ssm) return `SSM parameter ${ssm[1].startsWith('/') ? ssm[1] : `/${ssm[1]}`}`;
  const sm = /^arn:aws[\w-]*:secretsmanager:[^:]*:[^:]*:secret:([^:]+)/.exec(valueFrom);
  if (sm) return `Secrets Manager secret ${sm[1].replace(/-[A-Za-z0-9]{6}$/, '')}`;
  return valueFrom.startsWith('/') || !valueFrom.includes(':') ? `SSM parameter ${valueFrom}` : valueFrom;
}

/** How a value written as a template slot (`"${DB_HOST}"`, `"<DB_HOST>"`) is described: by default, filled in when deploying. */
export type SlotFrom = (value: string) => string;
const deploySlot: SlotFrom = () => 'filled in when deploying';

function entries(doc: JsonDoc, list: Node | undefined, secret: boolean, out: LambdaEnvEntry[], slot: SlotFrom): void {
  for (const item of items(list)) {
    const nameProp = prop(item, 'name');
    const key = str(nameProp?.value);
    if (!nameProp?.value || key === undefined || !LOOSE_VAR_NAME.test(key)) continue;
    const e: LambdaEnvEntry = { key, keyRange: nodeRange(doc, nameProp.value), entryRange: nodeRange(doc, item) };
    if (secret) {
      const from = str(prop(item, 'valueFrom')?.value);
      e.secret = true;
      // (A deploy step's placeholder stays the parameter's name as written; Terraform's slot says what fills it.)
      e.from = from && slot !== deploySlot && PLACEHOLDER.test(from) ? slot(from) : from ? ecsSecretFrom(from) : 'a secret';
    } else {
      const v = prop(item, 'value')?.value;
      const value = v && (v.type === 'string' || v.type === 'number' || v.type === 'boolean') ? (v.type === 'string' ? str(v) : String(v.value)) : undefined;
      // A deploy step's placeholder (`"<DB_HOST>"`, `"${DB_HOST}"`, `"{{ db_host }}"`) is filled in elsewhere.
      if (value !== undefined && PLACEHOLDER.test(value)) e.from = slot(value);
      else if (value !== undefined && v) {
        e.value = value;
        e.valueRange = nodeRange(doc, v);
      }
    }
    out.push(e);
  }
}

/** The containers of a `containerDefinitions` array (`slot`: how a template slot's value is described). */
export function readEcsContainers(doc: JsonDoc, defs: Node, slot: SlotFrom = deploySlot): EcsContainer[] {
  const out: EcsContainer[] = [];
  for (const c of items(defs)) {
    if (c.type !== 'object') continue;
    const name = str(prop(c, 'name')?.value) ?? `container ${out.length + 1}`;
    const container: EcsContainer = { name, nameRange: nodeRange(doc, prop(c, 'name')?.value ?? c), image: imageName(str(prop(c, 'image')?.value) ?? ''), entries: [] };
    entries(doc, prop(c, 'environment')?.value, false, container.entries, slot);
    entries(doc, prop(c, 'secrets')?.value, true, container.entries, slot);
    if (items(prop(c, 'environmentFiles')?.value).length) container.environmentFiles = true;
    out.push(container);
  }
  return out;
}

/**
 * The text with everything outside [start, end) blanked (line ends kept, so offsets and lines are the
 * file's) and each `${…}` written outside a JSON string set to a `0` of its length (`"cpu": ${var.cpu}`
 * is a number once applied); one inside a string stays, as the slot a value is.
 */
export function slotsAsJson(text: string, start: number, end: number, slots: readonly [number, number][]): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  let out = blank(text.slice(0, start));
  let at = start;
  let inString = false;
  let escaped = false;
  for (const [s, e] of slots) {
    for (let i = at; i < s; i++) {
      const ch = text[i];
      if (escaped) escaped = false;
      else if (ch === '\\' && inString) escaped = true;
      else if (ch === '"') inString = !inString;
    }
    out += text.slice(at, s) + (inString ? text.slice(s, e) : '0' + blank(text.slice(s + 1, e)));
    at = e;
  }
  return out + text.slice(at, end) + blank(text.slice(end));
}

/** A Terraform template of container definitions, by name (`task.json.tpl`, `containers.tftpl`, `task_definition.tpl`). */
export function isContainerTemplateName(base: string): boolean {
  return /\.json\.(?:tpl|tftpl|tmpl)$|\.tftpl$|(?:task|container)[\w.-]*\.tpl$/i.test(base);
}

/** `${…}` of a Terraform template (not `$${`, its escape). */
const SLOT = /(?<!\$)\$\{[^{}]*\}/g;

/** The `${…}` slots of a template's text between `start` and `end` (at most MAX_ITEMS × 10), as offsets. */
export function templateSlots(text: string, start = 0, end = text.length): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.slice(start, end).matchAll(SLOT)) {
    out.push([start + m.index, start + m.index + m[0].length]);
    if (out.length >= MAX_ITEMS * 10) break;
  }
  return out;
}

/**
 * A file of container definitions a Terraform file renders (`file(…)`, `templatefile(…)`, a
 * `template_file` data source's `template`): a JSON array of containers, each `${…}` a slot (a value
 * inside a string, a number outside one). `fragment`: not a task definition of its own, only the
 * containers of the task that renders it. Template directives (`%{ for … }`) make it `templated`.
 * Undefined for any other text (the cheap test first). Never throws.
 */
export function parseEcsContainerFile(text: string, uri: string): EcsTaskDefModel | undefined {
  try {
    if (!/^\s*\[/.test(text) || !text.includes('"name"') || !/"(?:image|environment|secrets)"/.test(text)) return undefined;
    const model: EcsTaskDefModel = { uri, kind: 'ecs', containers: [], errors: [], fragment: true };
    if (/%\{/.test(text)) {
      model.templated = true;
      return model;
    }
    const doc = readJsonDocument(slotsAsJson(text, 0, text.length, templateSlots(text)), 'container definitions', uri, 'ECS');
    if (!doc.root || doc.root.type !== 'array') return undefined;
    if (doc.errors.some((e) => e.severity === 'error')) model.templated = true;
    model.containers = readEcsContainers(doc, doc.root, slotFrom);
    return model.containers.length || model.templated ? model : undefined;
  } catch {
    return undefined;
  }
}

/** A template slot's value: what the rendering Terraform file passes (`${db_host}`: its template variable). */
const slotFrom: SlotFrom = (value) => {
  const m = /^\$\{\s*([A-Za-z_][\w-]*)\s*\}$/.exec(value);
  return m ? `Terraform template variable ${m[1]}` : 'Terraform, when applying';
};

/** Reads an ECS task definition; undefined when the JSON is not one. Never throws. */
export function parseEcsTaskDef(text: string, uri: string): EcsTaskDefModel | undefined {
  try {
    if (!text.includes('"containerDefinitions"')) return undefined;
    const doc = readJsonDocument(text, 'task definition', uri, 'ECS');
    // The task definition itself, or `aws ecs describe-task-definition`'s output around it.
    const root = prop(doc.root, 'taskDefinition')?.value ?? doc.root;
    const defs = prop(root, 'containerDefinitions')?.value;
    if (defs?.type !== 'array') return undefined;
    const model: EcsTaskDefModel = { uri, kind: 'ecs', containers: [], errors: [...doc.errors] };
    // A template a deploy step fills in (`"cpu": ${CPU}`, `{{ memory }}`) is not JSON until then: not
    // an error, but what it sets is partly unknown.
    if (doc.errors.some((e) => e.severity === 'error') && /\$\{|\{\{|<%/.test(text)) {
      model.errors = [];
      model.templated = true;
    }
    const family = str(prop(root, 'family')?.value);
    if (family) model.family = family;
    // A template a script renders (`"family": "<TASKNAME>"`): what it sets may be filled in too.
    if (family && PLACEHOLDER.test(family)) model.templated = true;
    model.containers = readEcsContainers(doc, defs);
    return model;
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}

/**
 * The containers' `{"name": …, "value": …}` entries as the credential scan's assignments: the value is
 * the named variable's, which a line-wise reader would take for the key "value"'s.
 */
export function ecsAssignments(m: Pick<EcsTaskDefModel, 'containers'>, text: string, context = 'ecs-environment'): Assignment[] {
  if (!m.containers.some((c) => c.entries.some((e) => e.valueRange))) return [];
  const idx = lineIndex(text);
  const out: Assignment[] = [];
  for (const c of m.containers) {
    for (const e of c.entries) {
      // (An entry named by a quoted string: Cloud Posse's `map_environment` keys, `X = "…"`, the line scan reads as they are.)
      const quoted = text[idx.offsetAt(e.keyRange.start)] === '"';
      const a = quoted && e.value !== undefined && e.valueRange ? jsonValueAssignment(text, idx, e.key, e.keyRange, e.valueRange, context) : undefined;
      if (a) out.push(a);
    }
  }
  return out;
}

/**
 * Where and what to insert to give the container `container` the variable NAME: in its
 * `environment` (`{"name": "NAME", "value": ""}`, the value the user's to type) or, for a secret, in
 * its `secrets` as an SSM parameter (`{"name": "NAME", "valueFrom": "/<family>/NAME"}`, `ssm`: that
 * parameter; the user creates it). Undefined when the file is not a readable task definition, the
 * container or that list is not there, the family is not a plain name, or it already has the name.
 */
export function ecsEntryInsert(text: string, container: string, name: string, secret: boolean, opts: { json?: string; family?: string } = {}): { offset: number; insert: string; ssm?: string } | undefined {
  if (!VAR_NAME.test(name)) return undefined;
  // `json`: the text as JSON, offsets the text's (a template's with its slots set aside, a Terraform heredoc's).
  const json = opts.json ?? text;
  const m = parseEcsTaskDef(json, '') ?? parseEcsContainerFile(json, '');
  if (!m || m.templated || m.errors.some((e) => e.severity === 'error')) return undefined;
  const c = m.containers.find((x) => x.name === container);
  if (!c || c.entries.some((e) => e.key === name)) return undefined;
  const doc = readJsonDocument(m.fragment ? slotsAsJson(json, 0, json.length, templateSlots(json)) : json, 'task definition', '', 'ECS');
  const root = prop(doc.root, 'taskDefinition')?.value ?? doc.root;
  const defs = root?.type === 'array' ? root : prop(root, 'containerDefinitions')?.value;
  const node = items(defs).find((x) => str(prop(x, 'name')?.value) === container);
  const list = prop(node, secret ? 'secrets' : 'environment')?.value;
  if (list?.type !== 'array') return undefined;
  if (!secret) return jsonEntryInsert(text, list, `{"name": "${name}", "value": ""}`);
  const family = m.family ?? opts.family;
  if (!family || !/^[\w.-]+$/.test(family)) return undefined;
  const ssm = `/${family}/${name}`;
  return { ...jsonEntryInsert(text, list, `{"name": "${name}", "valueFrom": "${ssm}"}`), ssm };
}
