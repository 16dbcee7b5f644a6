// Text the extension shows: status bar, compare matrix, sync plan, history, failures.
// Pure functions over protocol results (which never carry values), so tests need no editor.
import type {
  CompareResult, EnvStatus, FailureInfo, ParameterDetailsResult, StatusResult, SyncPlanResult,
} from '../../server/src/lsp/protocol';
import { relativeTime, shortIdentity } from '../../server/src/features/time';

export { relativeTime, shortIdentity };

export function describeFailure(f: FailureInfo): string {
  return f.hint ? `${f.message} (try: ${f.hint})` : f.message;
}

export interface StatusBarText {
  text: string;
  tooltip: string;
}

/** Status bar: active environments and who we are in them; failures flagged. */
export function statusBarText(status: StatusResult | undefined, activeEnvs: string[]): StatusBarText {
  if (!status) return { text: `$(loading~spin) Orchard`, tooltip: 'Orchard: starting the language server…' };
  if (!status.trusted) {
    return {
      text: '$(shield) Orchard: restricted',
      tooltip: 'Restricted Mode: Orchard checks files only and does not contact any parameter store. Trust the workspace to enable environments.',
    };
  }
  const envs = status.envs.length ? status.envs : activeEnvs.map((env): EnvStatus => ({ env, backendKind: 'none' }));
  if (envs.length === 0) {
    return { text: '$(server-environment) Orchard: no environments', tooltip: 'Click to choose the environments to check.' };
  }
  const failing = envs.filter((e) => e.failure);
  const identities = [...new Set(envs.map((e) => e.identity).filter((i): i is string => Boolean(i)))];
  const who = identities.length === 1 ? ` · ${shortIdentity(identities[0])}` : identities.length > 1 ? ` · ${identities.length} identities` : '';
  const icon = failing.length ? '$(warning)' : '$(server-environment)';
  // `prod ✗7`: the environment and how many declared parameters it lacks; `?` when it could not be read.
  const mark = (e: EnvStatus) => (e.failure ? ' ?' : e.missing === undefined ? '' : e.missing === 0 ? ' ✓' : ` ✗${e.missing}`);
  const rows = envs.map((e) => {
    const backend = e.backendKind === 'none' ? 'no backend' : e.backendKind;
    const state = e.failure ? `⚠ ${mdCell(describeFailure(e.failure))}` : e.missing === undefined ? '' : e.missing === 0 ? '✓ complete' : `✗ ${e.missing} missing`;
    const when = e.lastRefresh ? relativeTime(e.lastRefresh) : '';
    return `| ${e.env} | ${state} | ${backend}${e.identity ? ` · ${mdCell(shortIdentity(e.identity))}` : ''} | ${when} |`;
  });
  return {
    text: `${icon} Orchard: ${envs.map((e) => `${e.env}${mark(e)}`).join(' · ')}${who}`,
    tooltip: ['**Orchard environments**', '', '| env | state | backend | refreshed |', '|---|---|---|---|', ...rows, '', 'Click to choose environments. Missing counts equal the errors in the Problems panel.'].join('\n'),
  };
}

function mdCell(s: string): string {
  return s.replace(/[|\\`*_]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}



const GROUP_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function cellText(cell: CompareResult['rows'][number]['cells'][string] | undefined): string {
  if (!cell || cell.state === 'missing') return '✗ missing';
  if (cell.state === 'unknown') return '? unknown';
  const secure = cell.type === 'SecureString' ? ' 🔒' : '';
  const group = cell.group === undefined ? '' : ` ${GROUP_LETTERS[cell.group % 26]}${cell.group >= 26 ? Math.floor(cell.group / 26) : ''}`;
  return `✓${group}${secure}`;
}

/** Markdown presence/equality matrix. Same letter in a row = same value (decided by hash on the server). */
export function compareMarkdown(title: string, r: CompareResult): string {
  const out = [`# Compare: ${title}`, ''];
  // Under a folder heading (`/app/svc/`) rows name the rest of the path: a narrower table.
  const under = title.endsWith('/') && r.rows.every((row) => row.path.startsWith(title)) ? title : '';
  out.push('Same letter in a row means the same value (compared by hash; values are never shown). ✗ missing, ? could not be read, 🔒 SecureString.', '');
  if (r.rows.length === 0) out.push('_No parameters found._', '');
  else {
    out.push(`| ${under ? `Parameter under \`${under}\`` : 'Parameter'} | ${r.envs.join(' | ')} | Equal |`, `|---|${r.envs.map(() => '---|').join('')}---|`);
    for (const row of r.rows) {
      const eq = row.allEqual === undefined ? '?' : row.allEqual ? 'yes' : 'no';
      out.push(`| \`${row.path.slice(under.length)}\` | ${r.envs.map((e) => cellText(row.cells[e])).join(' | ')} | ${eq} |`);
    }
    out.push('');
  }
  for (const f of r.failures) out.push(`- **${f.env}**: ${describeFailure(f.failure)}`);
  return out.join('\n');
}

export interface PlanCounts {
  create: number;
  /** Missing but not ours to create: a shared secret, a copy whose source is missing, a merge lacking parts. */
  blocked: number;
  stray: number;
  unknown: number;
}

export function planCounts(plan: SyncPlanResult): PlanCounts {
  return plan.plans.reduce(
    (c, p) => ({ create: c.create + p.create.length, blocked: c.blocked + (p.blocked?.length ?? 0), stray: c.stray + p.stray.length, unknown: c.unknown + p.unknown.length }),
    { create: 0, blocked: 0, stray: 0, unknown: 0 },
  );
}

/** Markdown sync plan: what would be created and pruned per environment. */
export function planMarkdown(title: string, plan: SyncPlanResult): string {
  const out = [`# Sync plan: ${title}`, ''];
  for (const p of plan.plans) {
    out.push(`## ${p.env}`, '');
    if (p.failure) out.push(`> Could not read this environment: ${describeFailure(p.failure)}`, '');
    if (!p.create.length && !p.blocked?.length && !p.stray.length && !p.unknown.length && !p.failure) out.push('Everything declared exists. Nothing to do.', '');
    if (p.create.length) {
      out.push(`**Create** (${p.create.length}):`, '');
      for (const c of p.create) {
        const how = c.source ? ` — filled by Figgy from \`${c.source}\`` : c.likelySecret ? ' — secret' : '';
        out.push(`- \`${c.path}\` (${c.origin}${c.serviceId ? `, ${c.serviceId}` : ''})${how}`);
      }
      out.push('');
    }
    if (p.blocked?.length) {
      out.push(`**Missing, not created here** (${p.blocked.length}) — shared by an owner, copied by Figgy once its source exists, or merged once its parts exist:`, '');
      for (const b of p.blocked) out.push(`- \`${b.path}\`: ${b.reason}`);
      out.push('');
    }
    if (p.stray.length) {
      out.push(`**Stray** — under the twig but declared by nothing (${p.stray.length}); use *Orchard: Prune Stray Parameters* to delete:`, '');
      for (const s of p.stray) out.push(`- \`${s}\``);
      out.push('');
    }
    if (p.unknown.length) {
      out.push(`**Unknown** — could not be checked (${p.unknown.length}):`, '');
      for (const u of p.unknown) out.push(`- \`${u}\``);
      out.push('');
    }
  }
  return out.join('\n');
}

/** One-line summary for notifications, e.g. `qa: 2 missing · prod: 1 stray`. */
export function planSummary(plan: SyncPlanResult): string {
  const parts = plan.plans.map((p) => {
    // Every category, so the counts add up to the Problems panel's: missing = to create + blocked.
    const blocked = p.blocked?.length ?? 0;
    const missing = p.create.length + blocked;
    const bits = [
      missing ? `${missing} missing${blocked ? ` (${p.create.length} to create, ${blocked} blocked)` : ''}` : '',
      p.stray.length ? `${p.stray.length} stray` : '',
      p.unknown.length ? `${p.unknown.length} unknown` : '',
      p.failure ? 'unreadable' : '',
    ].filter(Boolean);
    return `${p.env}: ${bits.length ? bits.join(', ') : 'ok'}`;
  });
  return parts.join(' · ') || 'no environments selected';
}

/** Markdown details and value-free history of one parameter. */
export function historyMarkdown(d: ParameterDetailsResult, rel: (uri: string) => string = (u) => u): string {
  const out = [`# ${d.path} — ${d.env}`, ''];
  if (d.state === 'missing') out.push('Not present in this environment.', '');
  if (d.state === 'unknown') out.push(`Could not be read${d.failure ? `: ${describeFailure(d.failure)}` : '.'}`, '');
  if (d.info) {
    out.push(`- Type: ${d.info.type}`, `- Version: ${d.info.version}`, `- Last modified: ${d.info.lastModified}${d.info.lastModifiedBy ? ` by ${d.info.lastModifiedBy}` : ''}`);
    if (d.info.description) out.push(`- Description: ${d.info.description}`);
  }
  if (d.replicatedFrom) out.push(`- Replicated from \`${d.replicatedFrom}\``);
  if (d.replicatedTo.length) out.push(`- Replicated to: ${d.replicatedTo.map((p) => `\`${p}\``).join(', ')}`);
  for (const decl of d.declaredBy) out.push(`- Declared by ${decl.serviceId}${decl.attr ? ` (\`${decl.attr}\`)` : ''} in ${rel(decl.uri)}:${decl.line + 1}`);
  out.push('');
  if (d.history?.length) {
    out.push('## History', '', '| Version | Type | Modified | By | Description |', '|---|---|---|---|---|');
    for (const h of [...d.history].sort((a, b) => b.version - a.version)) {
      out.push(`| ${h.version}${h.deleted ? ' (deleted)' : ''} | ${h.type} | ${h.lastModified} | ${h.lastModifiedBy ?? ''} | ${(h.description ?? '').replace(/\|/g, '\\|')} |`);
    }
    out.push('', 'Values are not shown. Use *Orchard: Reveal Value* to see the current one.');
  }
  return out.join('\n');
}
