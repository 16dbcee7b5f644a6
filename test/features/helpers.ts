// Builds a real workspace model from fixture texts through the real parsers, plus hand-made env states.
import { parseFiggyJson } from '../../server/src/parse/figgyJson';
import { parseSecretsJson } from '../../server/src/parse/secretsJson';
import { buildWorkspace } from '../../server/src/model/build';
import type { EnvState } from '../../server/src/analysis/types';
import type { ParameterMeta, StoreFailure } from '../../server/src/store/types';
import type { FiggyJsonModel, PythonConfigModel, SecretsJsonModel } from '../../server/src/parse/types';
import type { WorkspaceModel } from '../../server/src/model/types';
import type { FeatureContext } from '../../server/src/features/types';

export const ROOT = 'file:///ws/svc';

/** Text with a `|` cursor marker → text and position. */
export function cursor(withMarker: string): { text: string; pos: { line: number; character: number } } {
  const i = withMarker.indexOf('|');
  if (i < 0) throw new Error('no cursor marker');
  const before = withMarker.slice(0, i);
  return { text: before + withMarker.slice(i + 1), pos: { line: before.split('\n').length - 1, character: i - (before.lastIndexOf('\n') + 1) } };
}

/** Parses files (relative path → text) under ROOT and builds the workspace. */
export function workspaceOf(files: Record<string, string>): { ws: WorkspaceModel; uri: (rel: string) => string; texts: Map<string, string> } {
  const python: PythonConfigModel[] = [];
  const figgyJson: FiggyJsonModel[] = [];
  const secrets: SecretsJsonModel[] = [];
  const texts = new Map<string, string>();
  for (const [rel, text] of Object.entries(files)) {
    const uri = `${ROOT}/${rel}`;
    texts.set(uri, text);
    const base = rel.split('/').pop()!;
    if (base === 'figgy.json') figgyJson.push(parseFiggyJson(text, uri));
    else if (base === 'figgy-secrets.json') secrets.push(parseSecretsJson(text, uri));
    else if (base.endsWith('.py')) {
      // Loaded on demand so JSON-only tests do not need the tree-sitter grammar.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const py = require('../../server/src/parse/python') as { parsePython(t: string, u: string): PythonConfigModel };
      python.push(py.parsePython(text, uri));
    }
  }
  return { ws: buildWorkspace({ python, figgyJson, secrets }), uri: (rel) => `${ROOT}/${rel}`, texts };
}

export function meta(name: string, type: 'String' | 'SecureString' = 'String', version = 1): ParameterMeta {
  return { name, type, version, lastModified: '2026-01-02T03:04:05.000Z', lastModifiedBy: 'local:alice@host' };
}

/** An env state whose twig listing succeeded with exactly `present`. */
export function listedState(env: string, twig: string, present: ParameterMeta[], extra: Partial<EnvState> = {}): EnvState {
  return {
    env,
    params: new Map(present.map((m) => [m.name, m])),
    listedPrefixes: [twig],
    knownMissing: new Set(),
    failures: [],
    brokenMerges: new Set(),
    ...extra,
  };
}

export function failedState(env: string, twig: string, failure: StoreFailure): EnvState {
  return { env, params: new Map(), listedPrefixes: [], knownMissing: new Set(), failures: [{ prefix: twig, failure }], brokenMerges: new Set() };
}

export function ctxOf(ws: WorkspaceModel, states: EnvState[], extra: Partial<FeatureContext> = {}): FeatureContext {
  return { workspace: ws, envStates: new Map(states.map((s) => [s.env, s])), envs: states.map((s) => s.env), ...extra };
}

/** Applies LSP-style text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
