// Dockerfile → DockerfileModel: the variables an image's `ENV` instructions set in the running
// container. Parsed by dockerfile-ast (the Docker language server's parser: escape directive, line
// continuations, comments inside continued instructions, `ENV k=v k2="v 2"` and the legacy
// `ENV key value form`, ranges in LSP positions).
//
// Only the stage the image is built from counts: the last `FROM` (`docker build` without
// `--target`), and the stages it is built on by name (`FROM base AS final` inherits `base`'s ENV).
// A builder stage's ENV never reaches the container. A key set twice keeps its last instruction
// (the value the container sees). Pure, never throws, bounded by size.
import type { Property } from 'dockerfile-ast';
import type { DockerfileEnvEntry, DockerfileModel } from './envTypes';
import type { Range } from './types';
import { unreadableText } from './text';

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
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Stage {
  /** `AS name`, lower-cased (Docker compares stage names case-insensitively). */
  name?: string;
  /** The image it starts from, lower-cased, as written (`base`, `python:3.12-slim`). */
  from: string;
  entries: DockerfileEnvEntry[];
}

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
    const stages: Stage[] = [];
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
    const chain = finalChain(stages);
    model.entries = entriesOf(chain);
    const image = chain[0]?.from.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
    if (image) model.baseImage = image;
  } catch (e) {
    // The parser does not throw on any text we know of; this guards against one that does.
    model.errors.push({ code: 'parse-internal', message: `internal error while reading the Dockerfile: ${e instanceof Error ? e.name : typeof e}`, range: ZERO, severity: 'error' });
  }
  return model;
}

/** The last stage and the named stages it is built on, first built first. */
function finalChain(stages: readonly Stage[]): Stage[] {
  const chain: Stage[] = [];
  let i = stages.length - 1;
  while (i >= 0) {
    const s = stages[i];
    chain.push(s);
    // `FROM base`: the nearest earlier stage named `base` (a later one cannot be referred to), so i falls.
    let j = i - 1;
    while (j >= 0 && stages[j].name !== s.from) j--;
    i = j;
  }
  return chain.reverse();
}

/** The chain's ENV, the last setting of each key. */
function entriesOf(chain: readonly Stage[]): DockerfileEnvEntry[] {
  const byKey = new Map<string, DockerfileEnvEntry>();
  for (const s of chain) for (const e of s.entries) {
    byKey.delete(e.key);
    byKey.set(e.key, e);
  }
  return [...byKey.values()];
}
