// One lens per declaration: presence in every environment at a glance, e.g. `dev ✓ qa ✗ prod ?`.
// Clicking a lens shows the parameter in the Orchard tree; it never starts a write (adding a
// value is a quick fix on the diagnostic, where the kind of parameter decides what is offered).
import { ClientCommands } from './commands';
import { MAX_NAME_LENGTH } from '../parse/paths';
import type { CodeLensPlain, FeatureContext } from './types';
import { documentOccurrences } from './occurrences';
import { presenceIn, PRESENCE_MARK } from './presence';

export function codeLenses(ctx: FeatureContext, uri: string): CodeLensPlain[] {
  if (ctx.envs.length === 0) return [];
  const out: CodeLensPlain[] = [];
  const seen = new Set<string>();
  for (const o of documentOccurrences(ctx.workspace, uri)) {
    if (o.role !== 'decl-py' && o.role !== 'decl-json') continue;
    // Longer than AWS allows: not a parameter any store can hold (and not worth echoing in a lens).
    if (o.path.length > MAX_NAME_LENGTH) continue;
    // config.py indexes both the attribute and its name argument; one lens per statement.
    const key = o.decl ? `${o.decl.attr}@${o.decl.range.start.line}` : `${o.path}@${o.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const states = ctx.envs.map((env) => ({ env, state: presenceIn(ctx.envStates.get(env), o.path).state }));
    const title = states.map((s) => `${s.env} ${PRESENCE_MARK[s.state]}`).join(' ');
    const missing = states.filter((s) => s.state === 'missing').map((s) => s.env);
    const range = o.decl ? { start: o.decl.range.start, end: o.decl.range.start } : { start: o.range.start, end: o.range.start };
    const words: Record<string, string> = { present: 'present', missing: 'missing', unknown: 'could not be checked' };
    const tooltip = `${o.path}: ${states.map((s) => `${s.env} ${words[s.state] ?? s.state}`).join(', ')}. Click to show it in the Orchard tree${missing.length ? '; the quick fix on the diagnostic adds it' : ''}.`;
    out.push({ range, title, tooltip, command: { title, command: ClientCommands.revealInTree, arguments: [{ path: o.path }] } });
  }
  return out;
}
