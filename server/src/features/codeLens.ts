// One lens per declaration: presence in every environment at a glance, e.g. `dev ✓ qa ✗ prod ?`.
// Clicking a lens with missing environments runs "add missing parameter" for exactly those.
import type { WorkspaceModel } from '../model/types';
import { ClientCommands, type AddParameterCommandArgs } from './commands';
import type { CodeLensPlain, FeatureContext } from './types';
import { documentOccurrences, serviceForUri } from './occurrences';
import { presenceIn, PRESENCE_MARK } from './presence';

function likelySecret(ws: WorkspaceModel, path: string): boolean {
  return ws.services.some((s) => s.expected.get(path)?.likelySecret);
}

export function codeLenses(ctx: FeatureContext, uri: string): CodeLensPlain[] {
  if (ctx.envs.length === 0) return [];
  const service = serviceForUri(ctx.workspace, uri);
  const out: CodeLensPlain[] = [];
  const seen = new Set<string>();
  for (const o of documentOccurrences(ctx.workspace, uri)) {
    if (o.role !== 'decl-py' && o.role !== 'decl-json') continue;
    // config.py indexes both the attribute and its name argument; one lens per statement.
    const key = o.decl ? `${o.decl.attr}@${o.decl.range.start.line}` : `${o.path}@${o.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const states = ctx.envs.map((env) => ({ env, state: presenceIn(ctx.envStates.get(env), o.path).state }));
    const title = states.map((s) => `${s.env} ${PRESENCE_MARK[s.state]}`).join(' ');
    const missing = states.filter((s) => s.state === 'missing').map((s) => s.env);
    const range = o.decl ? { start: o.decl.range.start, end: o.decl.range.start } : { start: o.range.start, end: o.range.start };
    const args: AddParameterCommandArgs = { path: o.path, envs: missing, likelySecret: likelySecret(ctx.workspace, o.path), serviceId: service?.id };
    out.push({
      range,
      title,
      command: missing.length
        ? { title, command: ClientCommands.addParameter, arguments: [args] }
        : { title, command: ClientCommands.revealInTree, arguments: [{ path: o.path }] },
    });
  }
  return out;
}
