// Hovers of the twelve-factor side. On a read: every source of the app and whether it provides the
// variable (values redacted when sensitive or when the hover policy says so), the charm option or
// secret key behind it with the `juju` commands that set it, and how the value is decoded. On a
// source entry: the variables it becomes and the code that reads them.
import type { AppSource, ProvidedVar } from '../../model/types';
import { appVariables, type AppVariable } from '../../model/appVariables';
import type { FeatureContext, HoverPlain } from '../types';
import type { Position } from '../../parse/types';
import { envOccurrenceAt, variablesOf, type EnvOccurrence } from './occurrences';
import { REDACTED_VALUE, besideLabel, code, relPath } from './text';
import { cell } from '../hover';
import { buildOnlyEntry, buildOnlyPhrase, hasDeploymentSource, onlySetBy } from '../../model/sourcesKnown';
import { ATTRIBUTE_READ } from '../../parse/pythonEnvDynaconf';

/** How a read by attribute on an imported reader object is named (parse/pythonEnvReads.ts importedAttribute). */
const ATTRIBUTE_READ_SUFFIX = `.${ATTRIBUTE_READ}`;

function valueText(ctx: FeatureContext, v: AppVariable | undefined, p: ProvidedVar): string {
  if (p.value === undefined) return '';
  if (p.value === null) return 'passed through from the shell';
  if (p.sensitive || v?.sensitive || ctx.hoverValues !== 'plain') return REDACTED_VALUE;
  const s = p.value.length > 60 ? `${p.value.slice(0, 57)}...` : p.value;
  return code(s);
}

function decoding(v: AppVariable, p?: ProvidedVar): string | undefined {
  const viaFlask = v.reads.find((r) => r.read.via === 'flask-config');
  const t = p?.charm?.optionType;
  const json = t === 'int' || t === 'float' || t === 'boolean';
  const parts: string[] = [];
  if (json) parts.push(`paas-charm passes this ${t} option JSON-encoded (${t === 'boolean' ? '`"true"`' : '`"42"`'})`);
  if (viaFlask) parts.push(`Flask's from_prefixed_env JSON-decodes it into app.config[${JSON.stringify(viaFlask.read.configKey)}] (a string that looks like JSON changes type)`);
  const typed = v.reads.find((r) => r.read.parse !== 'str' && r.read.parse !== 'unknown' && r.read.via !== 'flask-config');
  if (typed) parts.push(`the code parses it as ${typed.read.parse}`);
  return parts.length ? `${parts.join('; ')}.` : undefined;
}

/** `juju` commands that set the variable, for a charm option or a secret key. */
function jujuCommands(appName: string, v: AppVariable, p: ProvidedVar): string[] {
  const opt = p.charm?.option;
  if (!opt) return [];
  if (p.family || p.charm?.optionType === 'secret') {
    const key = p.family && v.name.startsWith(p.name) ? v.name.slice(p.name.length).toLowerCase().replace(/_/g, '-') : 'key';
    return [
      `juju add-secret ${opt} ${key}=<value>   # add every key the app reads; prints secret:<id>`,
      `juju grant-secret ${opt} ${appName}`,
      `juju config ${appName} ${opt}=secret:<id>`,
    ];
  }
  return [`juju config ${appName} ${opt}=<value>`];
}

function sourceRows(ctx: FeatureContext, v: AppVariable, sources: readonly AppSource[]): string[] {
  const rows = ['| source | provides |', '|---|---|'];
  for (const s of sources) {
    const hits = v.provided.filter((p) => p.source === s);
    if (hits.length === 0) {
      rows.push(`| ${cell(s.label)} | ${buildOnlyEntry(s, v.name) ? `✗ ${buildOnlyPhrase(s)}` : s.complete ? '✗' : `? ${cell(s.incompleteReason ?? 'not fully readable')}`} |`);
      continue;
    }
    for (const h of hits) {
      const val = valueText(ctx, v, h.v);
      const how = besideLabel(h.v.detail ?? '', s.label);
      rows.push(`| ${cell(s.label)} | ✓${how ? ` ${cell(how)}` : ''}${val ? ` = ${cell(val)}` : ''} |`);
    }
  }
  return rows;
}

function readSection(ctx: FeatureContext, o: Extract<EnvOccurrence, { kind: 'read' }>, v: AppVariable): string {
  const r = o.read.read;
  const optional = r.passedIn ? `optional here: the module passes it in where it builds ${code(r.field?.className ?? 'the settings')} (line ${r.passedIn.start.line + 1})` : r.default ? `optional, default ${v.sensitive ? REDACTED_VALUE : code(r.default.text)}` : 'optional';
  const head = `**${code(v.name)}** — ${r.required ? (r.requiredWhen ? `required when ${r.requiredWhen.map(code).join(' or ')} is set` : 'required') : optional}${v.sensitive ? ' · sensitive' : ''}`;
  const out = [head];
  // Notes go in a paragraph of their own (Markdown joins adjacent lines into the head's sentence).
  const notes: string[] = [];
  if (r.via === 'helper' && r.helper) {
    // `settings.REDIS_URL` on an imported dynaconf instance: an attribute, not a call.
    const attr = r.helper.endsWith(ATTRIBUTE_READ_SUFFIX) ? r.helper.slice(0, -ATTRIBUTE_READ_SUFFIX.length) : undefined;
    notes.push(attr ? `Read as an attribute of ${code(attr)}.` : `Read through ${code(r.helper)}().`);
  }
  if (r.via === 'figgy') notes.push('figgy-lib override: when set, this value is used instead of Parameter Store.');
  if (r.caseInsensitive) notes.push('pydantic-settings matches the name in any case.');
  const alternatives = [...new Set((r.alternatives ?? []).map((a) => a.name).filter((n): n is string => n !== undefined && n !== v.name))];
  if (alternatives.length) {
    // Another name that gives the same setting (an alias, FLASK_X beside X, X_FILE): where it comes from.
    const vars = new Map(appVariables(o.app).map((x) => [x.name, x]));
    const said = alternatives.slice(0, 6).map((n) => {
      const by = [...new Set((vars.get(n)?.provided ?? []).map((p) => p.source.label))];
      return `${code(n)} (${by.length ? `✓ ${by.join(', ')}` : 'no source provides it'})`;
    });
    notes.push(`Also satisfied by ${said.join(', ')}.`);
  }
  if (notes.length) out.push('', notes.join(' '));
  if (o.app.sources.length === 0) out.push('', `No source of values (charm, .env, compose, Helm values) belongs to ${code(o.app.label)}: where it comes from is unknown.`);
  else {
    out.push('', ...sourceRows(ctx, v, o.app.sources));
    if (!hasDeploymentSource(o.app.sources)) {
      const who = onlySetBy(o.app.sources).replace("the app's", `${code(o.app.label)}'s`);
      out.push('', `Only ${who} set${who.includes(' and ') ? '' : 's'} variables (no charm, .env, compose or Helm values): where the others come from is unknown.`);
    }
  }
  const charm = v.provided.find((p) => p.v.charm?.option);
  if (charm) out.push('', 'Set it:', '```sh', ...jujuCommands(o.app.label, v, charm.v), '```');
  const dec = decoding(v, charm?.v);
  if (dec) out.push('', dec);
  return out.join('\n');
}

function providedSection(o: Extract<EnvOccurrence, { kind: 'provided' }>, vars: AppVariable[]): string {
  const p = o.v;
  const out: string[] = [];
  const label = p.charm?.option ? `option ${code(p.charm.option)}${p.charm.optionType ? ` (${p.charm.optionType})` : ''}` : code(p.name);
  out.push(`**${label}** — ${o.source.label}`);
  if (p.charm?.option) out.push(p.family ? `Becomes one variable per secret key: ${code(`${p.name}<KEY>`)}.` : `Becomes ${code(p.name)}.`);
  const readers = vars.flatMap((v) => v.reads.map((r) => ({ v, r })));
  if (readers.length === 0) out.push('', `Nothing in ${code(o.app.label)} reads ${p.family ? 'any of its variables' : 'it'}.`);
  else {
    out.push('', 'Read by:');
    for (const { v, r } of readers.slice(0, 12)) out.push(`- ${code(v.name)} at ${relPath(o.app.root, r.uri)}:${r.read.range.start.line + 1}${r.read.required ? ' (required)' : ''}`);
    if (readers.length > 12) out.push(`- … and ${readers.length - 12} more`);
  }
  const others = vars.flatMap((v) => v.provided.filter((x) => x.v !== p).map((x) => x.source.label));
  if (others.length) out.push('', `Also provided by: ${[...new Set(others)].join(', ')}`);
  return out.join('\n');
}

export function envHover(ctx: FeatureContext, uri: string, pos: Position): HoverPlain | undefined {
  const o = envOccurrenceAt(ctx.workspace, uri, pos);
  if (!o) return undefined;
  const vars = variablesOf(o);
  if (o.kind === 'read') {
    const v = vars[0];
    if (!v) return undefined;
    return { range: o.read.read.name.range, markdown: readSection(ctx, o, v) };
  }
  return { range: o.v.range, markdown: providedSection(o, vars) };
}
