// What the App Variables view shows: each twelve-factor app, its variables, and for each variable
// its sources (✓ provides / ✗ does not / ? cannot tell) and the code that reads it. Pure, so the
// presentation is unit-tested; values are never part of the data, so they cannot reach a label.
import type { AppInfo, AppSourceInfo, AppVariableInfo, LocationInfo } from '../../../server/src/lsp/protocol';
import { buildOnlyEntry, buildOnlyPhrase, hasDeploymentSource, onlySetBy, sourcesKnown, stageGap } from '../../../server/src/model/sourcesKnown';
import { besideLabel, relPath } from '../../../server/src/features/env/text';

export type AppNode =
  | { type: 'app'; app: AppInfo }
  | { type: 'variable'; app: AppInfo; variable: AppVariableInfo }
  | { type: 'source'; app: AppInfo; variable: AppVariableInfo; source: AppSourceInfo; at?: LocationInfo & { detail: string } }
  | { type: 'read'; app: AppInfo; variable: AppVariableInfo; at: AppVariableInfo['reads'][number] }
  | { type: 'message'; text: string };

export interface AppItemView {
  id: string;
  label: string;
  description?: string;
  tooltip: string;
  icon: string;
  iconColor?: string;
  contextValue: string;
  collapsible: boolean;
  /** Where a click goes. */
  open?: LocationInfo;
}

/** The state of a variable across the app's sources. */
export function variableState(app: AppInfo, v: AppVariableInfo): 'provided' | 'missing' | 'unknown' | 'unread' {
  if (v.provided.length > 0) {
    if (v.reads.length === 0) return 'unread';
    // Set by some stages of a Zappa or Chalice file but not another: missing there (as env-not-provided says).
    const givers = app.sources.filter((s) => v.provided.some((p) => p.sourceId === s.id));
    return stageGap(app.sources, givers) && sourcesKnown(app.sources) ? 'missing' : 'provided';
  }
  // Given under another name its reads accept (flask_base's FLASK_X, an alias).
  if (v.satisfiedBy?.length) return 'provided';
  if (!sourcesKnown(app.sources)) return 'unknown';
  return 'missing';
}

/** `charm ✓ · .env ✗` for a variable. */
export function sourceMarks(app: AppInfo, v: AppVariableInfo): string {
  return app.sources
    .map((s) => `${s.label} ${v.provided.some((p) => p.sourceId === s.id) ? '✓' : s.complete ? '✗' : '?'}`)
    .join(' · ');
}

export function appView(n: AppNode): AppItemView {
  switch (n.type) {
    case 'app': {
      const a = n.app;
      const missing = a.variables.filter((v) => v.required && variableState(a, v) === 'missing').length;
      const what = a.framework ? `${a.framework} charm` : a.kind === 'compose' ? 'compose service' : 'app';
      const tooltip = [
        `${a.label}: ${what}`,
        `Sources: ${a.sources.map((s) => s.label).join(', ') || 'none found (where values come from is unknown)'}${a.sources.length > 0 && !hasDeploymentSource(a.sources) ? ` (${onlySetBy(a.sources)} only: where the others come from is unknown)` : ''}`,
        `${a.variables.length} variable(s)${missing ? `, ${missing} required but not provided` : ''}`,
      ].join('\n');
      return {
        id: `app:${a.id}`,
        label: a.label,
        description: `${what} · ${a.variables.length} var${a.variables.length === 1 ? '' : 's'}${missing ? ` · ✗${missing}` : ''}`,
        tooltip,
        icon: a.framework ? 'package' : 'symbol-module',
        iconColor: missing ? 'list.errorForeground' : undefined,
        contextValue: 'orchard.app',
        collapsible: true,
      };
    }
    case 'variable': {
      const { app: a, variable: v } = n;
      const st = variableState(a, v);
      const icon = st === 'missing' && v.required ? 'error' : st === 'unread' ? 'circle-slash' : v.sensitive ? 'key' : 'symbol-variable';
      const color = st === 'missing' && v.required ? 'list.errorForeground' : st === 'unread' ? 'disabledForeground' : undefined;
      const via = v.satisfiedBy?.length ? `via ${v.satisfiedBy.join(', ')}` : '';
      const lines = [
        `${v.name}${v.sensitive ? ' (sensitive)' : ''}`,
        v.reads.length ? `Read in ${v.reads.length} place(s)${v.required ? ', required' : ', optional'}` : 'Not read by the code',
        sourceMarks(a, v) || 'No source of values',
      ];
      if (via) lines.push(`Provided ${via}: its reads accept that name too.`);
      if (st === 'unknown') lines.push('A source could not be read completely: whether it provides this is unknown.');
      const description = [sourceMarks(a, v), via].filter(Boolean).join(' · ');
      return { id: `var:${a.id}:${v.name}`, label: v.name, description, tooltip: lines.join('\n'), icon, iconColor: color, contextValue: `orchard.variable.${st}`, collapsible: true };
    }
    case 'source': {
      const { source: s, at } = n;
      // Set for the build only: not provided to the running app, and the entry is where to change that.
      const build = at ? undefined : buildOnlyEntry(s, n.variable.name);
      const mark = at ? '✓' : s.complete || build ? '✗' : '?';
      const notProvided = build ? buildOnlyPhrase(s) : s.complete ? 'does not provide it' : s.incompleteReason ?? 'cannot tell';
      return {
        id: `src:${n.app.id}:${n.variable.name}:${s.id}`,
        label: `${mark} ${s.label}`,
        description: at ? besideLabel(at.detail ?? '', s.label) || 'provides it' : notProvided,
        tooltip: at
          ? `${s.label}: ${at.detail}\n${relPath(n.app.root, at.uri)}:${at.range.start.line + 1}`
          : build
            ? `${s.label} ${buildOnlyPhrase(s)}: the running app does not get ${n.variable.name}\n${relPath(n.app.root, s.uri)}:${build.range.start.line + 1}`
            : `${s.label} does not provide ${n.variable.name}`,
        icon: at ? 'pass' : s.complete || build ? 'circle-large-outline' : 'question',
        iconColor: at ? 'testing.iconPassed' : undefined,
        contextValue: 'orchard.variableSource',
        collapsible: false,
        open: at ?? (build ? { uri: s.uri, range: build.range } : { uri: s.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }),
      };
    }
    case 'read': {
      const where = `${relPath(n.app.root, n.at.uri)}:${n.at.range.start.line + 1}`;
      return {
        id: `read:${n.app.id}:${n.variable.name}:${n.at.uri}:${n.at.range.start.line}:${n.at.range.start.character}`,
        label: where,
        description: `${n.at.required ? 'read, required' : n.at.requiredWhen ? `read, required when ${n.at.requiredWhen.join(' or ')} is set` : 'read, optional'}${n.at.inTests ? ' (test code)' : ''}`,
        tooltip: `${n.variable.name} is read at ${where}`,
        icon: 'go-to-file',
        contextValue: 'orchard.variableRead',
        collapsible: false,
        open: n.at,
      };
    }
    case 'message':
      return { id: `msg:${n.text}`, label: n.text, tooltip: n.text, icon: 'info', contextValue: 'orchard.message', collapsible: false };
  }
}

/** Children in display order: apps by label; variables required-and-missing first, then by name. */
export function appChildren(n: AppNode | undefined, apps: readonly AppInfo[]): AppNode[] {
  if (!n) {
    if (apps.length === 0) return [{ type: 'message', text: 'No app reads environment variables in this workspace' }];
    return [...apps].sort((a, b) => a.label.localeCompare(b.label)).map((app) => ({ type: 'app', app }));
  }
  if (n.type === 'app') {
    const rank = (v: AppVariableInfo) => (v.required && variableState(n.app, v) === 'missing' ? 0 : 1);
    return [...n.app.variables].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name)).map((variable) => ({ type: 'variable', app: n.app, variable }));
  }
  if (n.type === 'variable') {
    const out: AppNode[] = [];
    for (const s of n.app.sources) {
      const hits = n.variable.provided.filter((p) => p.sourceId === s.id);
      if (hits.length === 0) out.push({ type: 'source', app: n.app, variable: n.variable, source: s });
      for (const h of hits) out.push({ type: 'source', app: n.app, variable: n.variable, source: s, at: h });
    }
    for (const r of n.variable.reads) out.push({ type: 'read', app: n.app, variable: n.variable, at: r });
    return out;
  }
  return [];
}
