// charmcraft.yaml, and an expanded charm's legacy config.yaml / metadata.yaml → CharmModel: what
// paas-charm reads to build the app's environment (name, extensions, config options, `requires`
// endpoints). Pure, never throws; structural mistakes are errors with ranges, never crashes. Rules
// about values (secret default format, `optional: false` with a default...) belong to analysis/.
import type { Pair } from 'yaml';
import type { CharmEndpoint, CharmFramework, CharmModel, CharmOption, CharmOptionType } from './envTypes';
import type { Range } from './types';
import { deref, isMap, isScalar, isSeq, keyString, nodeRange, scalarString, type YamlFile, type YNode } from './yaml';
import { budgetError, capStructureErrors, describeNode as kind, isNullish, locatedScalar as located, pairGet, pairRange, pairsOf, structureError as err, yamlCtx, type YamlCtx } from './envYaml';

export const CHARM_OPTION_TYPES: readonly CharmOptionType[] = ['string', 'int', 'float', 'boolean', 'secret'];

const FRAMEWORKS: readonly CharmFramework[] = ['flask', 'django', 'fastapi', 'go', 'expressjs', 'spring-boot'];

/** Extension names charmcraft knows for 12-factor apps (`flask-framework`, ...). */
export function frameworkOfExtension(ext: string): CharmFramework | undefined {
  const m = /^([a-z-]+)-framework$/.exec(ext.trim());
  return m && (FRAMEWORKS as readonly string[]).includes(m[1]) ? (m[1] as CharmFramework) : undefined;
}

/**
 * The framework of an expanded charm (no `extensions:`), from the options charmcraft's extension
 * wrote into it (`charmcraft expand-extensions`). First match wins:
 * 1. an option named `flask-…` / `django-…` (the Flask and Django extensions inject options under
 *    their reserved prefix; the other extensions inject none, so `go-…` proves nothing);
 * 2. `app-profiles` (only the Spring Boot extension has it), or a `metrics-path` defaulting to
 *    `/actuator/prometheus` (Spring Boot's default);
 * 3. `node-env` (ExpressJS's only framework setting);
 * 4. `webserver-port` or `webserver-log-level` (only the FastAPI extension has them; Flask and
 *    Django share the Gunicorn `webserver-*` options, and always come with rule 1).
 * Go and ExpressJS charms without `node-env` have the same options (`app-port`, `metrics-*`,
 * `app-secret-key`): no framework is claimed for them (the model may know it from the charm's code).
 */
export function frameworkOfOptions(options: readonly CharmOption[]): { value: CharmFramework; range: Range } | undefined {
  const by = (f: (o: CharmOption) => boolean) => options.find(f);
  for (const fw of ['flask', 'django'] as const) {
    const o = by((x) => x.name.startsWith(`${fw}-`));
    if (o) return { value: fw, range: o.nameRange };
  }
  const spring = by((x) => x.name === 'app-profiles') ?? by((x) => x.name === 'metrics-path' && x.default?.value === '/actuator/prometheus');
  if (spring) return { value: 'spring-boot', range: spring.nameRange };
  const express = by((x) => x.name === 'node-env');
  if (express) return { value: 'expressjs', range: express.nameRange };
  const fastapi = by((x) => x.name === 'webserver-port' || x.name === 'webserver-log-level');
  if (fastapi) return { value: 'fastapi', range: fastapi.nameRange };
  return undefined;
}

function keyRange(f: YamlFile, p: Pair): Range {
  return nodeRange(f, p.key as YNode);
}

/** Reads a charm file. `which` says which of the three files it is. Never throws. */
export function parseCharm(file: YamlFile, uri: string, which: 'charmcraft' | 'config' | 'metadata'): CharmModel {
  const model: CharmModel = { uri, kind: 'charm', file: which, extensions: [], options: [], requires: [], errors: [...file.errors] };
  const ctx = file.docs[0] ? yamlCtx(file, file.docs[0]) : undefined;
  try {
    if (ctx) fill(model, ctx, which);
  } catch (e) {
    model.errors.push(err('parse-internal', `internal error while reading the charm file: ${e instanceof Error ? e.name : typeof e}`, nodeRange(file, undefined)));
  }
  const over = ctx && budgetError(ctx);
  if (over) model.errors.push(over);
  model.errors.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  model.errors = capStructureErrors(model.errors);
  return model;
}

function fill(model: CharmModel, ctx: YamlCtx, which: 'charmcraft' | 'config' | 'metadata'): void {
  const { f, doc } = ctx;
  const root = deref(doc, doc.contents);
  if (root === undefined || root === null || (isScalar(root) && root.value === null)) return;
  if (!isMap(root)) {
    if (!f.templated) model.errors.push(err('charm-not-a-map', `a charm file holds a map of keys, not ${kind(root)}`, nodeRange(f, root)));
    return;
  }
  if (which !== 'config') {
    const name = pairGet(ctx, root, 'name');
    if (name) model.name = located(f, name.value);
    const reqs = pairGet(ctx, root, 'requires');
    if (reqs) {
      model.requiresRange = keyRange(f, reqs);
      readRequires(model, ctx, reqs);
    }
  }
  if (which === 'charmcraft') {
    const ext = pairGet(ctx, root, 'extensions');
    if (ext) {
      const v = deref(doc, ext.value);
      if (isSeq(v)) {
        for (const item of v.items) {
          const l = located(f, deref(doc, item));
          if (l) model.extensions.push(l);
        }
      } else if (v !== null && v !== undefined && !(isScalar(v) && v.value === null)) {
        model.errors.push(err('charm-extensions', `"extensions" must be a list (e.g. [flask-framework]), not ${kind(v)}`, nodeRange(f, v)));
      }
    }
    const config = pairGet(ctx, root, 'config');
    if (config) {
      const cv = deref(doc, config.value);
      if (isMap(cv)) {
        const opts = pairGet(ctx, cv, 'options');
        if (opts) {
          model.optionsRange = keyRange(f, opts);
          readOptions(model, ctx, opts);
        }
      } else if (cv !== null && cv !== undefined && !(isScalar(cv) && cv.value === null)) {
        model.errors.push(err('charm-config', `"config" must be a map with "options", not ${kind(cv)}`, nodeRange(f, cv)));
      }
    }
  } else if (which === 'config') {
    const opts = pairGet(ctx, root, 'options');
    if (opts) {
      model.optionsRange = keyRange(f, opts);
      readOptions(model, ctx, opts);
    }
  }
  for (const e of model.extensions) {
    const fw = frameworkOfExtension(e.value);
    if (fw && !model.framework) model.framework = { value: fw, range: e.range, from: 'extension' };
  }
  if (!model.framework) {
    const fw = frameworkOfOptions(model.options);
    if (fw) model.framework = { ...fw, from: 'options' };
  }
}

function readOptions(model: CharmModel, ctx: YamlCtx, opts: Pair): void {
  const { f, doc } = ctx;
  const map = deref(doc, opts.value);
  if (isNullish(map)) return;
  if (!isMap(map)) {
    model.errors.push(err('charm-options', `"options" must be a map of option names, not ${kind(map)}`, nodeRange(f, map)));
    return;
  }
  const seen = new Map<string, CharmOption>();
  for (const p of pairsOf(ctx, map)) {
    const name = keyString(p);
    if (name === undefined) {
      model.errors.push(err('charm-option-name', 'an option name must be a plain string', keyRange(f, p)));
      continue;
    }
    const opt: CharmOption = { name, nameRange: keyRange(f, p), range: pairRange(f, p) };
    const body = deref(doc, p.value);
    const prev = seen.get(name);
    if (prev) {
      model.errors.push({
        ...err('charm-option-duplicate', `option "${name}" is declared twice; only the last one counts`, opt.nameRange, 'warning'),
        related: [{ uri: model.uri, range: prev.nameRange, message: 'first declared here' }],
      });
      model.options.splice(model.options.indexOf(prev), 1);
    }
    seen.set(name, opt);
    model.options.push(opt);
    if (!isMap(body)) {
      if (!f.templated) model.errors.push(err('charm-option-malformed', `option "${name}" must be a map with at least a "type", not ${kind(body)}`, isNullish(body) ? opt.nameRange : nodeRange(f, body)));
      continue;
    }
    readOption(model, ctx, opt, body);
  }
}

const YAML11_TRUE = /^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const YAML11_FALSE = /^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;

/** A boolean as charmcraft's YAML 1.1 loader reads it (`true`, and plain `yes` / `on` too). */
function yamlBool(node: unknown): boolean | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'boolean') return node.value;
  if (node.type !== 'PLAIN' || typeof node.value !== 'string') return undefined;
  return YAML11_TRUE.test(node.value) ? true : YAML11_FALSE.test(node.value) ? false : undefined;
}

function readOption(model: CharmModel, ctx: YamlCtx, opt: CharmOption, body: unknown): void {
  const { f, doc } = ctx;
  const name = opt.name;
  const t = pairGet(ctx, body, 'type');
  if (!t) {
    model.errors.push(err('charm-option-no-type', `option "${name}" has no "type" (one of ${CHARM_OPTION_TYPES.join(', ')}); charmcraft refuses it`, opt.nameRange));
  } else {
    const tv = deref(doc, t.value);
    const l = located(f, tv);
    if (l) {
      opt.type = l;
      if (!(CHARM_OPTION_TYPES as readonly string[]).includes(l.value)) {
        model.errors.push(err('charm-option-type', `option "${name}" has an unknown type; use one of ${CHARM_OPTION_TYPES.join(', ')}`, l.range));
      }
    } else {
      model.errors.push(err('charm-option-type', `the "type" of option "${name}" must be one of ${CHARM_OPTION_TYPES.join(', ')}, not ${kind(tv)}`, nodeRange(f, tv ?? (t.key as YNode))));
    }
  }
  const d = pairGet(ctx, body, 'default');
  if (d) {
    const dv = deref(doc, d.value);
    const range = isNullish(dv) && !(dv as YNode | undefined)?.range ? keyRange(f, d) : nodeRange(f, dv);
    if (isScalar(dv)) {
      const v = dv.value;
      const value = v === null || v === undefined ? null : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      const text = dv.source !== undefined ? String(dv.source) : value === null ? '' : String(value);
      opt.default = { value, text, range };
      checkDefault(model, opt, dv.type === 'PLAIN');
    } else if (dv !== undefined && dv !== null) {
      model.errors.push(err('charm-option-default', `the default of option "${name}" must be a single value, not ${kind(dv)}`, range));
    }
  }
  const o = pairGet(ctx, body, 'optional');
  if (o) {
    const ov = deref(doc, o.value);
    const b = yamlBool(ov);
    if (b !== undefined) opt.optional = { value: b, range: nodeRange(f, ov) };
    else model.errors.push(err('charm-option-optional', `"optional" of option "${name}" must be true or false`, nodeRange(f, ov ?? (o.key as YNode))));
  }
  const desc = pairGet(ctx, body, 'description');
  if (desc) {
    const s = scalarString(deref(doc, desc.value));
    if (s !== undefined) opt.description = s;
  }
}

/** A default that does not fit the option's type (Juju rejects the charm, or the app gets a surprise). */
function checkDefault(model: CharmModel, opt: CharmOption, plain: boolean): void {
  const type = opt.type?.value;
  const d = opt.default;
  if (!d || d.value === null || !type) return;
  const v = d.value;
  let problem: string | undefined;
  switch (type) {
    case 'int':
      if (!(typeof v === 'number' && Number.isInteger(v))) problem = 'an integer';
      break;
    case 'float':
      if (typeof v !== 'number') problem = 'a number';
      break;
    case 'boolean':
      // charmcraft reads YAML 1.1, where a plain yes/no/on/off is a boolean too.
      if (typeof v !== 'boolean' && !(plain && typeof v === 'string' && (YAML11_TRUE.test(v) || YAML11_FALSE.test(v)))) problem = 'true or false';
      break;
    case 'string':
    case 'secret':
      if (typeof v !== 'string') problem = type === 'secret' ? 'a secret URI string ("secret:…")' : 'a string (put it in quotes)';
      break;
  }
  if (problem) model.errors.push(err('charm-option-default-type', `the default of ${type} option "${opt.name}" should be ${problem}`, d.range, 'warning'));
}

function readRequires(model: CharmModel, ctx: YamlCtx, reqs: Pair): void {
  const { f, doc } = ctx;
  const map = deref(doc, reqs.value);
  if (isNullish(map)) return;
  if (!isMap(map)) {
    model.errors.push(err('charm-requires', `"requires" must be a map of endpoint names, not ${kind(map)}`, nodeRange(f, map)));
    return;
  }
  for (const p of pairsOf(ctx, map)) {
    const name = keyString(p);
    if (name === undefined) continue;
    const ep: CharmEndpoint = { name, nameRange: keyRange(f, p), range: pairRange(f, p) };
    model.requires.push(ep);
    const body = deref(doc, p.value);
    if (!isMap(body)) {
      if (!f.templated) model.errors.push(err('charm-endpoint-malformed', `endpoint "${name}" must be a map with an "interface", not ${kind(body)}`, isNullish(body) ? ep.nameRange : nodeRange(f, body)));
      continue;
    }
    const i = pairGet(ctx, body, 'interface');
    const iv = i ? scalarString(deref(doc, i.value)) : undefined;
    if (iv !== undefined) ep.interface = iv;
    else model.errors.push(err('charm-endpoint-no-interface', `endpoint "${name}" has no "interface"; Juju refuses it`, ep.nameRange));
    const o = pairGet(ctx, body, 'optional');
    if (o) {
      const ov = deref(doc, o.value);
      const b = yamlBool(ov);
      if (b !== undefined) ep.optional = b;
      else model.errors.push(err('charm-endpoint-optional', `"optional" of endpoint "${name}" must be true or false`, nodeRange(f, ov ?? (o.key as YNode))));
    }
  }
}
