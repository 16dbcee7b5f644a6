// Edits of charmcraft.yaml / config.yaml the twelve-factor quick fixes make: which option provides a
// variable (paas-charm's mapping run backwards) and where a new option goes in the file.
import type { CharmFramework, CharmModel } from '../../parse/envTypes';
import type { Range } from '../../parse/types';
import type { TextEdit } from '../types';

const PREFIX: Record<CharmFramework, string> = { flask: 'FLASK_', django: 'DJANGO_', fastapi: 'APP_', go: 'APP_', expressjs: 'APP_', 'spring-boot': 'APP_' };
const JUJU_KEY = /^[a-z](?:-?[a-z0-9]){2,}$/;

export interface OptionPlan {
  option: string;
  type: 'string' | 'secret';
  /** For a secret option: the key the variable is made from. */
  secretKey?: string;
}

/**
 * The option that would provide `name` in a charm of `framework`: `FLASK_API_URL` → `api-url`
 * (string); a sensitive `FLASK_DB_PASSWORD` → secret option `db` with key `password` (paas-charm
 * makes `PREFIX + OPTION + "_" + KEY` of every key of a secret). Undefined when no option can.
 */
export function optionNameFor(framework: CharmFramework, name: string, sensitive: boolean): OptionPlan | undefined {
  const prefix = PREFIX[framework];
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  if (!/^[A-Z][A-Z0-9_]*$/.test(rest)) return undefined;
  const parts = rest.split('_').filter(Boolean);
  const opt = (ps: string[]) => ps.join('-').toLowerCase();
  if (sensitive && parts.length >= 2) {
    const key = parts[parts.length - 1].toLowerCase();
    if (JUJU_KEY.test(key)) return { option: opt(parts.slice(0, -1)), type: 'secret', secretKey: key };
  }
  return { option: opt(parts), type: 'string' };
}

function lineText(text: string, line: number): string {
  let start = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}

function endOfFile(text: string): Range {
  const lines = text.split('\n');
  const last = lines.length - 1;
  return { start: { line: last, character: lines[last].length }, end: { line: last, character: lines[last].length } };
}

/** An edit that adds an option block to a charm file, after the last option (or a new `config.options`). */
export function addOptionEdit(charm: CharmModel, text: string, plan: OptionPlan, description: string): TextEdit {
  const body = (pad: string) =>
    `${pad}${plan.option}:\n${pad}  type: ${plan.type}\n${pad}  description: ${JSON.stringify(description)}\n`;
  const last = charm.options[charm.options.length - 1];
  if (last) {
    const pad = ' '.repeat(last.nameRange.start.character);
    // After the last line of the last option's block.
    const line = last.range.end.character === 0 ? last.range.end.line : last.range.end.line + 1;
    return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: body(pad) };
  }
  if (charm.optionsRange) {
    const keyLine = lineText(text, charm.optionsRange.start.line);
    if (/options\s*:\s*(#.*)?$/.test(keyLine)) {
      const pad = ' '.repeat(charm.optionsRange.start.character + 2);
      const line = charm.optionsRange.start.line + 1;
      return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: body(pad) };
    }
  }
  const eof = endOfFile(text);
  const nl = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  const block = charm.file === 'config' ? `${nl}options:\n${body('  ')}` : `${nl}config:\n  options:\n${body('    ')}`;
  return { range: eof, newText: block };
}

/** Lines [start, end) covering a range, as a deletion edit (a whole option block or `.env` line). */
export function deleteLines(r: Range): TextEdit {
  const endLine = r.end.character === 0 && r.end.line > r.start.line ? r.end.line : r.end.line + 1;
  return { range: { start: { line: r.start.line, character: 0 }, end: { line: endLine, character: 0 } }, newText: '' };
}
