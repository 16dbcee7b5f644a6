// Heroku's app.json → AppJsonModel: the environment an app deployed from the manifest gets (the
// Heroku Button, review apps, `heroku apps:create --manifest`; Dokku and Scalingo read the same
// shape). Its `env` object lists each variable as a string (the value) or as an object with
// `value`, `required` (true unless said), `generator: "secret"` (a value Heroku generates) and a
// `description` (for the deploy form; not kept). Add-ons set their own variables (heroku-postgresql
// `DATABASE_URL`), and every dyno gets `PORT` and `DYNO` (model/appSources.ts herokuSource).
//
// `app.json` is a common name (Expo, React Native and Teams use it): only a JSON object with an `env`
// object whose entries are strings or objects, and no `expo` key, is Heroku's; anything else is
// undefined (the file is then only scanned for credentials). Pure, never throws, bounded by size.
import type { Node } from 'jsonc-parser';
import type { AppJsonAddon, AppJsonEnvEntry, AppJsonModel } from './envTypes';
import type { ParseError } from './types';
import type { Assignment } from './credentials/types';
import { dedupeProps, err, jsonEntryInsert, jsonValueAssignment, nodeRange, objectProps, readJsonDocument, typeName, type JsonDoc } from './jsonDoc';
import { detach, lineIndex } from './text';
import { VAR_NAME } from './varNames';

const READER = 'Heroku';
/** Entries read at most (a real manifest lists tens). */
const MAX_ENTRIES = 2_000;

/** Whether a file name is one Heroku reads its manifest from. */
export function isAppJsonName(base: string): boolean {
  return base === 'app.json';
}

/** A string node's text, detached from the document. */
function str(n: Node | undefined): string | undefined {
  return n?.type === 'string' && typeof n.value === 'string' ? detach(n.value) : undefined;
}

/** Whether the document is Heroku's manifest: an object with an `env` object of strings / objects, and no `expo`. */
function isHerokuShaped(root: Node | undefined): root is Node {
  if (root?.type !== 'object') return false;
  const props = objectProps(root);
  if (props.some((p) => p.key === 'expo')) return false;
  const env = props.filter((p) => p.key === 'env').pop()?.value;
  if (env?.type !== 'object') return false;
  return objectProps(env).every((p) => !p.value || p.value.type === 'string' || p.value.type === 'object');
}

function entryOf(doc: JsonDoc, key: string, keyNode: Node, v: Node | undefined, errors: ParseError[]): AppJsonEnvEntry | undefined {
  const where = `env entry "${key}"`;
  if (!VAR_NAME.test(key)) {
    errors.push(err('app-json-name', `"${key}" is not an environment variable name (letters, digits and _, not starting with a digit): Orchard does not read it`, nodeRange(doc, keyNode), 'warning'));
    return undefined;
  }
  const entry: AppJsonEnvEntry = { key, keyRange: nodeRange(doc, keyNode), required: true, generated: false };
  if (!v) return entry;
  if (v.type === 'string') {
    entry.value = str(v);
    entry.valueRange = nodeRange(doc, v);
    return entry;
  }
  const fields = dedupeProps(doc, objectProps(v), (k) => k, where, errors, READER);
  const value = fields.get('value')?.value;
  if (value) {
    if (value.type === 'string') {
      entry.value = str(value);
      entry.valueRange = nodeRange(doc, value);
    } else errors.push(err('app-json-type', `the value of ${where} must be a string, not ${typeName(value)}`, nodeRange(doc, value), 'warning'));
  }
  const required = fields.get('required')?.value;
  if (required) {
    if (required.type === 'boolean') entry.required = required.value === true;
    else errors.push(err('app-json-type', `"required" of ${where} must be true or false, not ${typeName(required)}`, nodeRange(doc, required), 'warning'));
  }
  const generator = fields.get('generator')?.value;
  if (generator) {
    if (str(generator) === 'secret') entry.generated = true;
    else errors.push(err('app-json-type', `"generator" of ${where} can only be "secret"`, nodeRange(doc, generator), 'warning'));
  }
  return entry;
}

/** `"heroku-postgresql:essential-0"` or `{"plan": "heroku-redis", "as": "CACHE"}`. */
function addonOf(doc: JsonDoc, n: Node): AppJsonAddon | undefined {
  const planNode = n.type === 'object' ? objectProps(n).find((p) => p.key === 'plan')?.value : n;
  const plan = str(planNode);
  if (!plan) return undefined;
  const as = n.type === 'object' ? str(objectProps(n).find((p) => p.key === 'as')?.value) : undefined;
  const name = plan.split(':')[0].trim().toLowerCase();
  return { name, as: as && VAR_NAME.test(as) ? as.toUpperCase() : undefined, range: nodeRange(doc, n) };
}

/** Reads an app.json; undefined when it is not Heroku's manifest. Never throws. */
export function parseAppJson(text: string, uri: string): AppJsonModel | undefined {
  try {
    const doc = readJsonDocument(text, 'app.json', uri, READER);
    if (!isHerokuShaped(doc.root)) return undefined;
    const model: AppJsonModel = { uri, kind: 'app-json', entries: [], addons: [], errors: [...doc.errors] };
    const top = dedupeProps(doc, objectProps(doc.root), (k) => k, 'app.json', model.errors, READER);
    const env = top.get('env')!;
    model.envRange = nodeRange(doc, env.keyNode);
    const vars = dedupeProps(doc, objectProps(env.value!).slice(0, MAX_ENTRIES), (k) => k, '"env"', model.errors, READER);
    for (const [key, p] of vars) {
      const e = entryOf(doc, key, p.keyNode, p.value, model.errors);
      if (e) model.entries.push(e);
    }
    const addons = top.get('addons')?.value;
    if (addons?.type === 'array') {
      for (const a of (addons.children ?? []).slice(0, MAX_ENTRIES)) {
        const x = addonOf(doc, a);
        if (x) model.addons.push(x);
      }
    }
    return model;
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}

/**
 * The manifest's `{"value": …}` entries as the credential scan's assignments: the value is the
 * variable's (`"DB_PASSWORD": {"value": "…"}`), which a line-wise reader would take for "value"'s.
 */
export function appJsonAssignments(m: AppJsonModel, text: string): Assignment[] {
  const idx = lineIndex(text);
  const out: Assignment[] = [];
  for (const e of m.entries) {
    if (e.value === undefined || !e.valueRange) continue;
    // The string form (`"KEY": "v"`) is the line-wise reader's already.
    if (!text.slice(idx.offsetAt(e.keyRange.end), idx.offsetAt(e.valueRange.start)).includes('{')) continue;
    const a = jsonValueAssignment(text, idx, e.key, e.keyRange, e.valueRange, 'json');
    if (a) out.push(a);
  }
  return out;
}

/**
 * Where and what to insert so the manifest's `env` asks the deployer for `name` (`"NAME":
 * {"required": true}`: Orchard never invents a value), after the last entry in its layout.
 * Undefined for a file that is not Heroku's or has syntax errors (an edit there could garble it).
 */
export function appJsonEntryInsert(text: string, name: string): { offset: number; insert: string } | undefined {
  if (!VAR_NAME.test(name)) return undefined;
  const doc = readJsonDocument(text, 'app.json', '', READER);
  if (!isHerokuShaped(doc.root) || doc.errors.some((e) => e.severity === 'error')) return undefined;
  const env = objectProps(doc.root).filter((p) => p.key === 'env').pop()!.value!;
  return jsonEntryInsert(text, env, `"${name}": {"required": true}`);
}
