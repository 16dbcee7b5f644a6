// Split Django settings (`settings/base.py`, `local.py`, `production.py`): the module that runs is
// the one `DJANGO_SETTINGS_MODULE` names. When the app's sources name one (a compose service's
// `DJANGO_SETTINGS_MODULE: pydotorg.settings.local`, manage.py's `setdefault`), a sibling module
// that none of them names and no named module imports belongs to a deployment whose sources are
// not here (python.org's `cabotage.py`): its reads are required only when DJANGO_SETTINGS_MODULE
// names it (`requiredWhen`), so nothing is "not provided" against the sources that run another.
import type { PythonConfigModel } from '../parse/types';
import type { AppRead, AppSource } from './types';
import type { ModuleIndex } from './appReads';

const MAX_MODULES = 500;

function dirOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

/** Modules `from` reaches by its imports (itself included), within the index. */
function reachable(idx: ModuleIndex, from: readonly PythonConfigModel[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...from];
  while (todo.length && seen.size < MAX_MODULES) {
    const f = todo.pop()!;
    if (seen.has(f.uri)) continue;
    seen.add(f.uri);
    for (const imp of f.env?.imports ?? []) {
      const targets = [idx.resolve(f.uri, imp.module), ...imp.names.map((n) => idx.resolve(f.uri, `${imp.module}${imp.module.endsWith('.') ? '' : '.'}${n.name}`))];
      for (const t of targets) if (t && !seen.has(t.uri)) todo.push(t);
    }
  }
  return seen;
}

/** The app's reads, those of settings modules no source selects marked as required only when selected. */
export function withSettingsSelection(reads: AppRead[], idx: ModuleIndex, python: readonly PythonConfigModel[], sources: readonly AppSource[], root: string): AppRead[] {
  if (!reads.some((r) => r.read.required)) return reads;
  const names = new Set<string>();
  for (const s of sources) for (const p of s.provides) if (p.name === 'DJANGO_SETTINGS_MODULE' && typeof p.value === 'string' && /^[\w.]+$/.test(p.value.trim())) names.add(p.value.trim());
  if (names.size === 0) return reads;
  const chosen = [...names].map((n) => ({ name: n, file: idx.resolve(`${root}/manage.py`, n) }));
  // A named module Orchard cannot find: what runs is not known, so nothing changes. Nor when one is
  // a package (`app.settings` → settings/__init__.py): its own code picks among the modules beside
  // it, perhaps by a name known only at run time.
  if (chosen.some((c) => !c.file || c.file.uri.endsWith('/__init__.py'))) return reads;
  const packages = new Map<string, string>(chosen.map((c) => [dirOf(c.file!.uri), c.name.slice(0, c.name.lastIndexOf('.'))]));
  const running = reachable(idx, chosen.map((c) => c.file!));
  const other = new Map<string, string>();
  for (const f of python) {
    const pkg = packages.get(dirOf(f.uri));
    const base = f.uri.slice(f.uri.lastIndexOf('/') + 1);
    if (pkg === undefined || running.has(f.uri) || !base.endsWith('.py') || base === '__init__.py') continue;
    other.set(f.uri, `${pkg ? `${pkg}.` : ''}${base.slice(0, -3)}`);
  }
  if (other.size === 0) return reads;
  return reads.map((r) => {
    const mod = r.read.required ? other.get(r.uri) : undefined;
    return mod ? { ...r, read: { ...r.read, requiredWhen: [`DJANGO_SETTINGS_MODULE=${mod}`] } } : r;
  });
}
