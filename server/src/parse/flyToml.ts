// A Fly.io app's `fly.toml` → FlyTomlModel: what `fly deploy` gives the app's Machines. The `[env]`
// table's variables are set in every Machine (`env.X = …` and `env = { … }` are the same table);
// `[build.args]` reach the image build only; secrets are set with `fly secrets set` and are never in
// the file. `fly.<name>.toml` (`fly.staging.toml`, deployed with `fly deploy -c`) is one too.
//
// TOML through toml-eslint-parser (its syntax tree keeps every key's and value's place). Pure, never
// throws: a file that is not TOML gives a model with its error.
import type { FlyEnvEntry, FlyTomlModel } from './platformTypes';
import type { Range } from './types';
import { lineIndex, type LineIndex } from './text';
import { LOOSE_VAR_NAME } from './varNames';

/**
 * toml-eslint-parser, loaded the first time a fly.toml is read: the bundles keep it uninitialised in
 * a process that meets none (as the other file kinds' parsers).
 */
let tomlParser: typeof import('toml-eslint-parser') | undefined;
function parseTOML(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (tomlParser ??= require('toml-eslint-parser') as typeof import('toml-eslint-parser')).parseTOML(text);
}

/** Above this many characters a fly.toml is not parsed (a real one is a few hundred). */
const MAX_CHARS = 512 * 1024;
const MAX_ITEMS = 2_000;
/** Arrays and inline tables nested deeper than this are refused before parsing (the parser recurses). */
const MAX_DEPTH = 256;

/** Where brackets first nest deeper than MAX_DEPTH (strings and comments skipped), else -1. */
function tooDeepAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
    } else if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c && text[i] !== '\n'; i++) if (c === '"' && text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return -1;
}

/** `fly.toml`, `fly.staging.toml`, `fly.production.toml`. */
export function isFlyTomlName(base: string): boolean {
  return /^fly(?:\.[\w-]+)?\.toml$/i.test(base);
}

/** The parts of toml-eslint-parser's tree read here (its types are ESLint's, not needed whole). */
interface TNode {
  type: string;
  range: [number, number];
}
interface TKeyValue extends TNode {
  type: 'TOMLKeyValue';
  key: { keys: ({ type: 'TOMLBare'; name: string } | { type: 'TOMLQuoted'; value: string })[] } & TNode;
  value: TNode & { value?: unknown; kind?: string; body?: TKeyValue[] };
}
interface TTable extends TNode {
  type: 'TOMLTable';
  kind: 'standard' | 'array';
  resolvedKey: (string | number)[];
  body: TKeyValue[];
}

function keyNames(kv: TKeyValue): string[] {
  return kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
}

/** Every key with a scalar value, by its full path (`env`, `A`), inline tables followed. */
function* pairs(prefix: (string | number)[], body: readonly TKeyValue[], depth = 0): Generator<{ path: (string | number)[]; kv: TKeyValue }> {
  for (const kv of body.slice(0, MAX_ITEMS)) {
    const path = [...prefix, ...keyNames(kv)];
    if (kv.value.type === 'TOMLInlineTable' && depth < 8) yield* pairs(path, kv.value.body ?? [], depth + 1);
    else yield { path, kv };
  }
}

function rangeOf(index: LineIndex, n: TNode): Range {
  return { start: index.positionAt(n.range[0]), end: index.positionAt(n.range[1]) };
}

function scalar(v: TKeyValue['value']): string | undefined {
  if (v.type !== 'TOMLValue') return undefined;
  const x = v.value;
  return typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint' ? String(x) : undefined;
}

/** Reads a fly.toml. Never throws; a file that is not TOML gives its error. */
export function parseFlyToml(text: string, uri: string): FlyTomlModel {
  const index = lineIndex(text);
  const model: FlyTomlModel = { uri, kind: 'fly', entries: [], buildArgs: [], errors: [] };
  if (text.length > MAX_CHARS) {
    model.errors.push({ code: 'file-too-large', severity: 'warning', message: `fly.toml is larger than ${MAX_CHARS / 1024} KiB: not read`, range: rangeOf(index, { type: '', range: [0, 0] }) });
    model.unread = true;
    return model;
  }
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    const p = index.positionAt(deep);
    model.errors.push({ code: 'toml-too-deep', severity: 'error', message: `fly.toml is not read: its values are nested more than ${MAX_DEPTH} levels deep`, range: { start: p, end: p } });
    model.unread = true;
    return model;
  }
  let top: { body: (TKeyValue | TTable)[] } | undefined;
  try {
    top = (parseTOML(text) as unknown as { body: { body: (TKeyValue | TTable)[] }[] }).body[0];
  } catch (e) {
    const at = typeof (e as { index?: unknown }).index === 'number' ? Math.min((e as { index: number }).index, text.length) : 0;
    const why = e instanceof Error ? e.message : String(e);
    const p = index.positionAt(at);
    model.errors.push({ code: 'toml-syntax', severity: 'error', message: `fly.toml is not valid TOML: ${why.slice(0, 200)}`, range: { start: p, end: p } });
    model.unread = true;
    return model;
  }
  const found: { path: (string | number)[]; kv: TKeyValue }[] = [];
  for (const node of top?.body ?? []) {
    if (node.type === 'TOMLKeyValue') found.push(...pairs([], [node]));
    else if (node.type === 'TOMLTable' && node.kind === 'standard') found.push(...pairs(node.resolvedKey, node.body));
  }
  for (const { path, kv } of found.slice(0, MAX_ITEMS)) {
    const name = String(path[path.length - 1]);
    if (path.length === 1 && name === 'app') {
      const app = scalar(kv.value);
      if (app) model.app = app;
    } else if (path.length === 1 && name === 'primary_region') {
      model.primaryRegion = true;
    } else if (path.length === 2 && path[0] === 'env' && LOOSE_VAR_NAME.test(name)) {
      const e: FlyEnvEntry = { key: name, keyRange: rangeOf(index, kv.key), entryRange: rangeOf(index, kv) };
      const value = scalar(kv.value);
      if (value !== undefined) {
        e.value = value;
        e.valueRange = rangeOf(index, kv.value);
      }
      model.entries.push(e);
    } else if (path.length === 3 && path[0] === 'build' && path[1] === 'args' && LOOSE_VAR_NAME.test(name)) {
      model.buildArgs.push({ key: name, keyRange: rangeOf(index, kv.key), entryRange: rangeOf(index, kv) });
    }
  }
  return model;
}
