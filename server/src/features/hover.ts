// Hover on a declaration, figgy.json entry, merge reference or replication source: where the
// parameter stands in every environment. Values are redacted: SecureString always, String values
// only when the user's hover policy allows and the server had them cached.
import type { Position } from '../parse/types';
import type { ExpectedParam, Service } from '../model/types';
import type { Presence } from '../analysis/types';
import { envOverrideName, MAX_NAME_LENGTH } from '../parse/paths';
import { mergeTemplate, quotePlus } from '../analysis/plan';
import type { FeatureContext, HoverPlain } from './types';
import { occurrenceAt, occurrencePaths, serviceForUri } from './occurrences';
import { presenceIn, PRESENCE_MARK } from './presence';
import { relativeTime, shortIdentity } from './time';

export const REDACTED = '••••••';

function findExpected(ctx: FeatureContext, path: string): { service: Service; param: ExpectedParam } | undefined {
  for (const s of ctx.workspace.services) {
    const p = s.expected.get(path);
    if (p) return { service: s, param: p };
  }
  return undefined;
}

/** Markdown-safe inline code (values are never passed here, only paths and metadata). */
function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s}${ticks}`;
}

/** Text in a Markdown table cell: a `|` (even in a code span, GFM) or a line break would end the cell or the row. */
export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function presenceText(p: Presence): string {
  if (p.state === 'present') return `${PRESENCE_MARK.present} present`;
  if (p.state === 'missing') return `${PRESENCE_MARK.missing} missing`;
  return `${PRESENCE_MARK.unknown} unknown${p.failure ? ` (${p.failure.message})` : ''}`;
}

/** What may be shown for a value: never a SecureString, String only with the plain policy. */
function shownValue(ctx: FeatureContext, env: string, path: string, p: Presence, likelySecret: boolean): string {
  if (p.state !== 'present') return '';
  if (p.meta.type === 'SecureString') return REDACTED;
  if (ctx.hoverValues !== 'plain' || likelySecret) return REDACTED;
  const v = ctx.plainValue?.(env, path);
  return v === undefined ? REDACTED : code(v.length > 80 ? `${v.slice(0, 77)}...` : v);
}

/**
 * Presence per environment in a table narrow enough not to wrap in a hover: the type folded into
 * the state, the time relative (the exact stamp is the link title), the author as the backend names
 * it (an ARN's role/user, the local store's user@host).
 */
function envTable(ctx: FeatureContext, path: string, likelySecret: boolean): string[] {
  const lines = ['| env | state | v | modified | value |', '|---|---|---|---|---|'];
  const now = ctx.now ?? Date.now();
  for (const env of ctx.envs) {
    const p = presenceIn(ctx.envStates.get(env), path);
    if (p.state === 'present') {
      const m = p.meta;
      const when = relativeTime(m.lastModified, now);
      const modified = when ? `[${when}](# "${cell(m.lastModified).replace(/"/g, "'")}")` : cell(m.lastModified);
      const by = m.lastModifiedBy ? ` by ${cell(shortIdentity(m.lastModifiedBy))}` : '';
      const type = m.type === 'SecureString' ? '🔒' : '';
      lines.push(`| ${cell(env)} | ${presenceText(p)}${type ? ` ${type}` : ''} | ${m.version} | ${modified}${by} | ${cell(shownValue(ctx, env, path, p, likelySecret))} |`);
    } else {
      lines.push(`| ${cell(env)} | ${cell(presenceText(p))} |  |  |  |`);
    }
  }
  return lines;
}

function envSummary(ctx: FeatureContext, path: string): string {
  return ctx.envs.map((env) => `${env} ${PRESENCE_MARK[presenceIn(ctx.envStates.get(env), path).state]}`).join(' · ');
}

/** A MergeFig's value as it would be assembled in one environment, every secret part masked. */
export function assembledValue(ctx: FeatureContext, service: Service, dest: string, env: string): string | undefined {
  const parts = mergeTemplate(service, dest);
  if (!parts) return undefined;
  let out = '';
  for (const part of parts) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    const path = part.ref;
    const p = presenceIn(ctx.envStates.get(env), path);
    const last = path.split('/').pop() ?? path;
    if (p.state === 'missing') out += `‹missing ${last}›`;
    else if (p.state === 'unknown') out += `‹? ${last}›`;
    else {
      const secret = p.meta.type === 'SecureString' || Boolean(findExpected(ctx, path)?.param.likelySecret);
      const v = !secret && ctx.hoverValues === 'plain' ? ctx.plainValue?.(env, path) : undefined;
      out += v === undefined ? (secret ? REDACTED : `‹${last}›`) : part.uri ? quotePlus(v) : v;
    }
  }
  return out;
}

export function hover(ctx: FeatureContext, uri: string, pos: Position): HoverPlain | undefined {
  const occ = occurrenceAt(ctx.workspace, uri, pos);
  if (!occ) return undefined;
  // A name no parameter can have (a hostile file's megabyte string) is not echoed back in full.
  if (occ.path.length > MAX_NAME_LENGTH) {
    return { range: occ.range, markdown: `${code(`${occ.path.slice(0, 80)}…`)}\n\nNot a parameter name: ${occ.path.length.toLocaleString('en-US')} characters (AWS allows ${MAX_NAME_LENGTH}).` };
  }
  const paths = occurrencePaths(ctx.workspace, occ);
  if (paths.length === 0) {
    return { range: occ.range, markdown: `${code(occ.path)}\n\nNo service in this workspace matches this template.` };
  }
  const sections = paths.slice(0, 3).map((path) => hoverForPath(ctx, uri, path, occ.role === 'source'));
  return { range: occ.range, markdown: sections.join('\n\n---\n\n') };
}

function hoverForPath(ctx: FeatureContext, uri: string, path: string, isSource: boolean): string {
  const found = findExpected(ctx, path);
  const service = found?.service ?? serviceForUri(ctx.workspace, uri);
  const param = found?.param;
  const out: string[] = [];
  const kind = param?.kind ?? (param ? param.origin : isSource ? 'replication source' : 'parameter');
  out.push(`**${code(path)}** — ${kind}${param?.attr ? ` ${code(param.attr)}` : ''}`);
  // figgy-lib reads the override where the Fig is declared in Python; elsewhere it is noise.
  if ((param?.envVar ?? (service?.twig && param)) && uri.endsWith('.py')) {
    out.push(`Environment override: ${code(param?.envVar ?? envOverrideName(service?.twig, path))} (when set, Parameter Store is not asked)`);
  }
  out.push('', ...envTable(ctx, path, param?.likelySecret ?? false));
  if (param?.source) {
    out.push('', `Replicated from ${code(param.source)}: ${envSummary(ctx, param.source)}`);
  }
  if (param?.origin === 'merged' && service) {
    const lines = ctx.envs.map((env) => {
      const v = assembledValue(ctx, service, path, env);
      return v === undefined ? undefined : `- ${env}: ${code(v)}`;
    });
    if (lines.some(Boolean)) out.push('', 'Merged value (secret parts masked):', ...lines.filter((l): l is string => Boolean(l)));
  }
  if (isSource && !param) {
    const dests = ctx.workspace.services.flatMap((s) => [...s.expected.values()].filter((p) => p.source === path).map((p) => p.path));
    if (dests.length) out.push('', `Replicated to: ${dests.map(code).join(', ')}`);
  }
  return out.join('\n');
}
