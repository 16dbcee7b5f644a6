// Completion of variable names: inside a read in Python (`os.environ["`, `getenv("`, `env.str("`,
// `app.config["` for Flask keys), at the start of a `.env` line, and option names under
// `config.options` in charmcraft.yaml for variables the code reads that no option provides yet.
// Context comes from the current line only (at most its last 400 characters): linear and bounded
// however long or hostile the line is.
import type { Position } from '../../parse/types';
import type { App } from '../../model/types';
import { appVariables } from '../../model/appVariables';
import type { CompletionPlain, FeatureContext } from '../types';
import { appForUri } from './occurrences';
import { optionNameFor } from './charmEdits';

const WINDOW = 400;

function lineBefore(text: string, pos: Position): string {
  let start = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const end = Math.min(start + pos.character, text.length);
  return text.slice(Math.max(start, end - WINDOW), end);
}

/** `os.environ["FL`, `getenv('FL`, `env.bool("FL`, `environ.get("FL` before the cursor: the typed prefix and quote. */
const PY_READ = /(?:\benviron\s*(?:\[|\.get\s*\(|\.setdefault\s*\(|\.pop\s*\()|\bgetenv\s*\(|\benv(?:\.[a-z_]+)?\s*\()\s*(["'])([A-Za-z0-9_]*)$/;
const FLASK_READ = /\bconfig\s*(?:\[|\.get\s*\()\s*(["'])([A-Za-z0-9_]*)$/;

function pythonItems(app: App, before: string, pos: Position): CompletionPlain[] {
  const vars = appVariables(app).filter((v) => v.provided.length > 0);
  const m = PY_READ.exec(before);
  if (m) {
    const typed = m[2];
    const range = { start: { line: pos.line, character: pos.character - typed.length }, end: pos };
    return vars.map((v) => ({
      label: v.name,
      kind: 'variable' as const,
      detail: v.provided.map((p) => p.source.label).join(', '),
      documentation: v.provided[0]?.v.detail,
      insertText: v.name.endsWith('*') ? v.name.slice(0, -1) : v.name,
      range,
      sortText: `${v.reads.length ? '1' : '0'}${v.name}`,
    }));
  }
  const f = FLASK_READ.exec(before);
  if (f) {
    const typed = f[2];
    const range = { start: { line: pos.line, character: pos.character - typed.length }, end: pos };
    const out: CompletionPlain[] = [];
    for (const v of vars) {
      const us = v.name.indexOf('_');
      if (us < 0 || !/^(FLASK|APP|DJANGO)_/.test(v.name) || v.name.endsWith('*')) continue;
      const key = v.name.slice(us + 1);
      out.push({ label: key, kind: 'variable', detail: `${v.name} (${v.provided.map((p) => p.source.label).join(', ')})`, insertText: key, range });
    }
    return out;
  }
  return [];
}

function dotenvItems(app: App, uri: string, before: string, pos: Position): CompletionPlain[] {
  if (!/^\s*(?:export\s+)?[A-Za-z0-9_]*$/.test(before)) return [];
  const typed = /[A-Za-z0-9_]*$/.exec(before)![0];
  const range = { start: { line: pos.line, character: pos.character - typed.length }, end: pos };
  return appVariables(app)
    .filter((v) => v.reads.length > 0 && !v.provided.some((p) => p.v.uri === uri))
    .map((v) => ({
      label: v.name,
      kind: 'variable' as const,
      detail: `${v.reads.some((r) => r.read.required) ? 'required' : 'optional'}, read by ${v.reads.length} place(s)`,
      insertText: `${v.name}=`,
      range,
    }));
}

function charmItems(app: App, text: string, before: string, pos: Position): CompletionPlain[] {
  const fw = app.framework;
  if (!fw || !/^\s+[a-z0-9-]*$/.test(before)) return [];
  // Only under `options:` (of `config:` in charmcraft.yaml, top-level in config.yaml), as a key.
  const indent = /^\s*/.exec(before)![0].length;
  const lines = text.split('\n', pos.line + 1);
  let under = false;
  for (let i = pos.line - 1; i >= 0; i--) {
    const l = lines[i];
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    const ind = /^\s*/.exec(l)![0].length;
    if (ind < indent) {
      under = /^\s*options\s*:\s*$/.test(l);
      break;
    }
  }
  if (!under) return [];
  const typed = /[a-z0-9-]*$/.exec(before)![0];
  const range = { start: { line: pos.line, character: pos.character - typed.length }, end: pos };
  const pad = ' '.repeat(indent + 2);
  const out: CompletionPlain[] = [];
  for (const v of appVariables(app)) {
    if (v.provided.length > 0 || v.reads.length === 0) continue;
    const o = optionNameFor(fw, v.name, v.sensitive);
    if (!o) continue;
    out.push({
      label: o.option,
      kind: 'property',
      detail: `provides ${v.name}${o.secretKey ? ` (secret, key ${o.secretKey})` : ''}`,
      insertText: `${o.option}:\n${pad}type: ${o.type}\n${pad}description: \${1:${v.name}}`,
      snippet: true,
      range,
    });
  }
  return out;
}

/** Completion items of the twelve-factor side, or undefined when the file is not one of an app. */
export function envCompletion(ctx: FeatureContext, uri: string, text: string, pos: Position): CompletionPlain[] | undefined {
  const app = appForUri(ctx.workspace, uri);
  if (!app) return undefined;
  const before = lineBefore(text, pos);
  if (uri.endsWith('.py')) return pythonItems(app, before, pos);
  if (app.sources.some((s) => s.kind === 'dotenv' && s.uri === uri)) return dotenvItems(app, uri, before, pos);
  if (app.charm?.some((c) => c.uri === uri)) return charmItems(app, text, before, pos);
  return undefined;
}
