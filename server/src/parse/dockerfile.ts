// Dockerfile → DockerfileModel: the variables an image's `ENV` instructions set in the running
// container. Parsed by dockerfile-ast (the Docker language server's parser: escape directive, line
// continuations, comments inside continued instructions, `ENV k=v k2="v 2"` and the legacy
// `ENV key value form`, ranges in LSP positions).
//
// Only the stage the image is built from counts: the last `FROM` (`docker build` without
// `--target`; `imageOf` gives another target's), and the stages it is built on by name (`FROM base
// AS final` inherits `base`'s ENV; `FROM deps-${ARCH}` the nearest earlier stage its name can
// be). A builder stage's ENV never reaches the container. A key set twice keeps its last
// instruction (the value the container sees). Pure, never throws, bounded by size.
import type { Property } from 'dockerfile-ast';
import type { DockerfileEnvEntry, DockerfileModel, DockerfileStage } from './envTypes';
import type { Range } from './types';
import { unreadableText } from './text';
import { VAR_NAME } from './varNames';

/**
 * dockerfile-ast, loaded the first time a Dockerfile is read: the bundles keep it (with its copy of
 * vscode-languageserver-types) uninitialised until then (1.5 MiB of a process that never meets one).
 */
let dockerfileAst: typeof import('dockerfile-ast') | undefined;
function parser(): typeof import('dockerfile-ast')['DockerfileParser'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  dockerfileAst ??= require('dockerfile-ast') as typeof import('dockerfile-ast');
  return dockerfileAst.DockerfileParser;
}

/** Larger files are not read (a Dockerfile is a few KiB; this is generated or hostile text). */
export const MAX_DOCKERFILE_CHARS = 1024 * 1024;

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function copyRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function entryOf(p: Property, stage: string | undefined): DockerfileEnvEntry | undefined {
  const key = p.getName();
  if (!VAR_NAME.test(key)) return undefined;
  const raw = p.getValue();
  const valueRange = p.getValueRange();
  return {
    key,
    keyRange: copyRange(p.getNameRange()),
    // `ENV PATH=/venv/bin:$PATH`: expanded at build time, so not a literal Orchard can show.
    value: raw === null || raw.includes('$') ? undefined : raw,
    valueRange: valueRange ? copyRange(valueRange) : undefined,
    stage,
  };
}

/** Reads a Dockerfile. Never throws. */
export function parseDockerfile(text: string, uri: string): DockerfileModel {
  const model: DockerfileModel = { uri, kind: 'dockerfile', entries: [], errors: [] };
  const unreadable = unreadableText(text, MAX_DOCKERFILE_CHARS, 'for Dockerfiles', 'a Dockerfile');
  if (unreadable) {
    model.errors.push(unreadable);
    return model;
  }
  try {
    const stages: DockerfileStage[] = [];
    for (const ins of parser().parse(text).getInstructions()) {
      const keyword = ins.getKeyword().toUpperCase();
      if (keyword === 'ENV' || keyword === 'ARG') {
        const r = ins.getRange();
        (model.settings ??= []).push({ keyword, startLine: r.start.line, endLine: r.end.line });
      }
      if (keyword === 'FROM') {
        const from = ins as unknown as { getImageName(): string | null; getBuildStage(): string | null };
        stages.push({ name: from.getBuildStage()?.toLowerCase() ?? undefined, from: (from.getImageName() ?? '').toLowerCase(), entries: [] });
      } else if (keyword === 'ENV' && stages.length > 0) {
        const stage = stages[stages.length - 1];
        const env = ins as unknown as { getProperties(): Property[] };
        for (const p of env.getProperties()) {
          const e = entryOf(p, stage.name);
          if (e) stage.entries.push(e);
        }
      }
    }
    const image = imageFrom(stages, stages.length - 1);
    model.entries = image.entries;
    if (image.baseImage) model.baseImage = image.baseImage;
    if (stages.length > 0) model.stages = stages;
  } catch (e) {
    // The parser does not throw on any text we know of; this guards against one that does.
    model.errors.push({ code: 'parse-internal', message: `internal error while reading the Dockerfile: ${e instanceof Error ? e.name : typeof e}`, range: ZERO, severity: 'error' });
  }
  return model;
}

/** What an image built from a Dockerfile sets: its variables and where it starts (as in DockerfileModel). */
export interface DockerImage {
  entries: DockerfileEnvEntry[];
  baseImage?: string;
}

/**
 * The image `docker build --target <target>` makes (compose `build.target`); without a target, the
 * last stage's (the model's own `entries` and `baseImage`). Undefined when no stage has that name:
 * Docker refuses such a build.
 */
export function imageOf(m: Pick<DockerfileModel, 'stages'>, target?: string): DockerImage | undefined {
  const stages = m.stages ?? [];
  const last = target === undefined ? stages.length - 1 : lastIndexNamed(stages, target.toLowerCase(), stages.length);
  return target !== undefined && last < 0 ? undefined : imageFrom(stages, last);
}

function imageFrom(stages: readonly DockerfileStage[], last: number): DockerImage {
  const chain = chainOf(stages, last);
  const baseImage = chain[0]?.from.replace(/@.*$/, '').replace(/:[^/:]*$/, '') || undefined;
  return { entries: entriesOf(chain), baseImage };
}

/** The last stage before `before` that `name` can be: equal, or, for `deps-${ARCH}`, any value of the variable. */
function lastIndexNamed(stages: readonly DockerfileStage[], name: string, before: number): number {
  const parts = name.includes('$') ? stageParts(name) : undefined;
  if (name.includes('$') && !parts) return -1;
  for (let j = before - 1; j >= 0; j--) {
    const n = stages[j].name;
    if (n !== undefined && (parts ? fitsParts(n, parts) : n === name)) return j;
  }
  return -1;
}

const ARG_REF = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/;

/**
 * `deps-${ARCH}` / `deps-$ARCH` → ['deps-', ''], the literal text around the variables (whose
 * values are not known here). None for what is an image, not a stage (`${BASE}`,
 * `python:${VER}-slim`): no letter outside the variables, or a registry / tag separator.
 */
function stageParts(name: string): string[] | undefined {
  const parts = name.split(ARG_REF);
  const literal = parts.join('');
  return /[:/@]/.test(literal) || !/[a-z]/.test(literal) ? undefined : parts;
}

/**
 * Whether `name` is `parts` with at least one character where each variable was. Each part is
 * placed at its leftmost place after the previous one (which leaves the most room for the rest),
 * so the test is linear in the name and never backtracks, whatever the Dockerfile says.
 */
function fitsParts(name: string, parts: readonly string[]): boolean {
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (!name.startsWith(first)) return false;
  let at = first.length;
  for (let k = 1; k < parts.length - 1; k++) {
    const i = name.indexOf(parts[k], at + 1);
    if (i < 0) return false;
    at = i + parts[k].length;
  }
  return name.length - last.length >= at + 1 && name.endsWith(last);
}

/** Stage `i` and the named stages it is built on, first built first. */
function chainOf(stages: readonly DockerfileStage[], i: number): DockerfileStage[] {
  const chain: DockerfileStage[] = [];
  while (i >= 0) {
    const s = stages[i];
    chain.push(s);
    // `FROM base`: the nearest earlier stage named `base` (a later one cannot be referred to), so i falls.
    i = lastIndexNamed(stages, s.from, i);
  }
  return chain.reverse();
}

/** The chain's ENV, the last setting of each key. */
function entriesOf(chain: readonly DockerfileStage[]): DockerfileEnvEntry[] {
  const byKey = new Map<string, DockerfileEnvEntry>();
  for (const s of chain) for (const e of s.entries) {
    byKey.delete(e.key);
    byKey.set(e.key, e);
  }
  return [...byKey.values()];
}
