// The community modules that define ECS containers in Terraform, read as an `aws_ecs_task_definition`
// is (parse/terraformEcs.ts): terraform-aws-modules' service module (`container_definitions = { web
// = { image, environment, secrets } }`, its task's containers by key), and the container definition
// modules whose output a task lists (terraform-aws-modules' `//modules/container-definition`,
// Cloud Posse's `ecs-container-definition`: `container_name`, `environment`, `map_environment`, …).
// A value Orchard cannot read whole makes the container unknown, said why.
import type { Node } from 'web-tree-sitter';
import type { LambdaEnvEntry, TerraformContainerModule, TerraformTask } from './platformTypes';
import { ecsSecretFrom } from './ecsTaskDef';
import { detach } from './text';
import { LOOSE_VAR_NAME } from './varNames';
import { inner, literalValue, named, originOf, rangeOf, stringValue, type Ctx } from './hclNodes';
import { hclContainer, objectMembers, objectOf, type ContainerKeys } from './terraformEcs';

const REGISTRY = '^(?:registry\\.terraform\\.io\\/|app\\.terraform\\.io\\/[^/]+\\/)?';
const GITHUB = '^(?:git::)?(?:https:\\/\\/|git@)github\\.com[/:]';
/** terraform-aws-modules/ecs's service module. */
const SERVICE = new RegExp(`${REGISTRY}terraform-aws-modules\\/ecs\\/aws\\/\\/modules\\/service(?:\\?.*)?$|${GITHUB}terraform-aws-modules\\/terraform-aws-ecs(?:\\.git)?\\/\\/modules\\/service(?:\\?.*)?$`);
/** terraform-aws-modules/ecs's container definition module. */
const CONTAINER = new RegExp(`${REGISTRY}terraform-aws-modules\\/ecs\\/aws\\/\\/modules\\/container-definition(?:\\?.*)?$|${GITHUB}terraform-aws-modules\\/terraform-aws-ecs(?:\\.git)?\\/\\/modules\\/container-definition(?:\\?.*)?$`);
/** Cloud Posse's container definition module. */
const CLOUDPOSSE = new RegExp(`${REGISTRY}cloudposse\\/ecs-container-definition\\/aws(?:\\?.*)?$|${GITHUB}cloudposse\\/terraform-aws-ecs-container-definition(?:\\.git)?(?:\\?.*)?$`);

const MODULE_KEYS: ContainerKeys = { name: 'name', image: 'image', environmentFiles: ['environmentFiles', 'environment_files'] };
const CLOUDPOSSE_KEYS: ContainerKeys = { name: 'container_name', image: 'container_image', environmentFiles: ['environment_files'] };

/** A module block's arguments, each the expression it is. */
function args(attrs: ReadonlyMap<string, Node>): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const [k, v] of attrs) {
    const x = inner(v);
    if (x) out.set(k, x);
  }
  return out;
}

/** Cloud Posse's `map_environment` / `map_secrets` (`{ KEY = value }`): more entries; a reason when not an object literal. */
function mapEntries(c: Ctx, value: Node | undefined, secret: boolean, what: string, out: LambdaEnvEntry[]): string | undefined {
  if (!value || (value.type === 'literal_value' && value.text === 'null')) return undefined;
  const obj = objectOf(value);
  if (!obj) return `its ${what} is computed by Terraform`;
  for (const el of named(obj)) {
    if (el.type !== 'object_elem') continue;
    const k = inner(el.childForFieldName('key'));
    const v = inner(el.childForFieldName('val'));
    const key = k?.type === 'variable_expr' && named(k).length === 1 ? k.text : stringValue(k);
    if (!k || !v || key === undefined || !LOOSE_VAR_NAME.test(key)) continue;
    const e: LambdaEnvEntry = { key: detach(key), keyRange: rangeOf(c, k), entryRange: rangeOf(c, el) };
    const lit = literalValue(v);
    if (secret) {
      e.secret = true;
      e.from = lit !== undefined ? ecsSecretFrom(lit) : originOf(v);
    } else if (lit !== undefined) {
      e.value = detach(lit);
      e.valueRange = rangeOf(c, v);
    } else e.from = originOf(v);
    out.push(e);
  }
  return undefined;
}

/** A container definition module's container (`module "web" { source = … }`); undefined for another module. */
export function containerModule(c: Ctx, b: Node, id: string, source: string, attrs: ReadonlyMap<string, Node>): TerraformContainerModule | undefined {
  const cloudposse = CLOUDPOSSE.test(source);
  if (!cloudposse && !CONTAINER.test(source)) return undefined;
  const props = args(attrs);
  const container = hclContainer(c, props, b, cloudposse ? CLOUDPOSSE_KEYS : MODULE_KEYS, undefined, id);
  if (cloudposse) {
    const why = [mapEntries(c, props.get('map_environment'), false, 'map_environment', container.entries), mapEntries(c, props.get('map_secrets'), true, 'map_secrets', container.entries)].filter((w): w is string => w !== undefined);
    if (why.length) container.unknown = [container.unknown, ...why].filter(Boolean).join('; ');
  }
  return { name: id, container };
}

/** terraform-aws-modules' service module as a task: its `container_definitions` map's containers, by key; undefined for another module. */
export function serviceModuleTask(c: Ctx, id: string, idNode: Node, source: string, attrs: ReadonlyMap<string, Node>): TerraformTask | undefined {
  if (!SERVICE.test(source)) return undefined;
  const props = args(attrs);
  const task: TerraformTask = { id, idRange: rangeOf(c, idNode), containers: [], form: 'hcl' };
  const family = literalValue(props.get('family')) ?? literalValue(props.get('name'));
  if (family !== undefined && /^[\w.-]+$/.test(family)) task.family = family;
  const defs = props.get('container_definitions');
  const map = objectOf(defs);
  if (!map) {
    task.unknown = defs ? 'its container definitions are computed by Terraform' : 'it has no container definitions';
    return task;
  }
  for (const el of named(map)) {
    if (el.type !== 'object_elem') continue;
    const k = inner(el.childForFieldName('key'));
    const key = k?.type === 'variable_expr' && named(k).length === 1 ? k.text : stringValue(k);
    const obj = objectOf(inner(el.childForFieldName('val')));
    if (!k || key === undefined || !obj) {
      task.unknown ??= 'a container definition is computed by Terraform';
      continue;
    }
    task.containers.push(hclContainer(c, objectMembers(obj), el, { image: 'image', environmentFiles: MODULE_KEYS.environmentFiles }, { text: key, node: k }));
  }
  return task;
}
