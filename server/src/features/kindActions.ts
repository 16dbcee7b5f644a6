// Quick fixes for parameters the user does not type a value for. A SharedFig comes from its owner:
// open the figgy-secrets.json entry that shares it, and say the command the owner runs. A MergeFig
// is built by Figgy from its references: go to each reference missing where the merge is missing.
// (A ReplicatedFig whose source is missing is one replication-source-missing finding whose fix adds
// the source; one whose source exists is created by sync.)
import { isMissing } from '../analysis/presence';
import type { Finding } from '../analysis/types';
import { secretEntries, serviceMergeRefs } from '../model/decls';
import type { Service } from '../model/types';
import { decodePercent } from '../parse/text';
import { ServerCommands, type OwnerCommandArgs, type ShowLocationArgs } from './commands';
import type { CodeActionPlain, FeatureContext } from './types';

const MAX_ACTIONS = 5;

function showAction(f: Finding, title: string, args: ShowLocationArgs): CodeActionPlain {
  return { title, kind: 'quickfix', fixes: [f], command: { title, command: ServerCommands.showLocation, arguments: [args] } };
}

/** `figgy/figgy-secrets.json` as the owner passes it to `--config` (the file's folder when it is `figgy/`). */
function configArg(uri: string | undefined): string {
  if (!uri) return 'figgy/figgy-secrets.json';
  const parts = decodePercent(uri).split('/');
  const file = parts.pop() ?? 'figgy-secrets.json';
  const dir = parts.pop();
  return dir === 'figgy' ? `figgy/${file}` : file;
}

export function sharedActions(f: Finding, service: Service | undefined, path: string, envs: string[]): CodeActionPlain[] {
  const out: CodeActionPlain[] = [];
  const entries = service ? secretEntries(service).filter((e) => e.destPath === path) : [];
  for (const e of entries.slice(0, MAX_ACTIONS)) {
    out.push(showAction(f, `Open the figgy-secrets.json entry that shares ${path}`, { uri: e.uri, range: e.dest.range }));
  }
  for (const env of envs.slice(0, MAX_ACTIONS)) {
    const command = `figgy config sync --env ${env} --replication-only --config ${configArg(entries[0]?.uri)}`;
    const args: OwnerCommandArgs = { path, env, command };
    const title = `Show the command the owner of ${path} runs for ${env}`;
    out.push({ title, kind: 'quickfix', fixes: [f], command: { title, command: ServerCommands.showOwnerCommand, arguments: [args] } });
  }
  return out;
}

export function mergedActions(ctx: FeatureContext, f: Finding, service: Service | undefined, path: string, envs: string[]): CodeActionPlain[] {
  if (!service) return [];
  const out: CodeActionPlain[] = [];
  const seen = new Set<string>();
  for (const r of serviceMergeRefs(service)) {
    if (r.decl.path !== path || !r.path || r.decl.uri !== f.uri || seen.has(r.path)) continue;
    const lacking = envs.filter((env) => {
      const st = ctx.envStates.get(env);
      return st !== undefined && isMissing(st, r.path!);
    });
    if (!lacking.length) continue;
    seen.add(r.path);
    out.push(showAction(f, `Go to reference ${r.path} (missing in ${lacking.join(', ')})`, { uri: r.decl.uri, range: r.part.range }));
    if (out.length >= MAX_ACTIONS) break;
  }
  return out;
}
