// django-configurations keeps each deployment's settings in a class of one module (`class
// Development(Base)`, `class Test(Base)`, `class Build(Base)`, `class Production(Base)`); the
// DJANGO_CONFIGURATION variable picks one. A default written in a class only development, tests or
// an image build use is not what a deployment runs with: such reads are marked `devOnly`, and
// env-insecure-default says so at a lower severity. Pure; runs only when a module binds values to
// class attributes.
import type { Node } from 'web-tree-sitter';
import type { PyEnvRead, PythonEnvFacts } from './envTypes';

/** Words of a class name that say who runs it: developers, tests, CI or an image build. */
const DEV_WORDS = new Set(['dev', 'develop', 'development', 'local', 'test', 'tests', 'testing', 'ci', 'continuous', 'integration', 'build', 'demo', 'debug', 'e2e', 'sandbox']);

/** `ContinuousIntegration` → continuous, integration; `DevSettings` → dev, settings. */
export function isDevConfigurationName(name: string): boolean {
  const words = name.split(/(?<=[a-z0-9])(?=[A-Z])|_+/).map((w) => w.toLowerCase());
  return words.some((w) => DEV_WORDS.has(w));
}

interface ClassInfo {
  bases: string[];
  attrs: Set<string>;
}

/** The module's top-level classes: the names of their bases and the attributes their bodies assign. */
function classTable(root: Node): Map<string, ClassInfo> {
  const out = new Map<string, ClassInfo>();
  for (let c of root.namedChildren) {
    if (c?.type === 'decorated_definition') c = c.childForFieldName('definition');
    if (c?.type !== 'class_definition') continue;
    const name = c.childForFieldName('name')?.text;
    if (!name) continue;
    const bases: string[] = [];
    for (const b of c.childForFieldName('superclasses')?.namedChildren ?? []) {
      if (b?.type === 'identifier') bases.push(b.text);
      else if (b?.type === 'attribute') bases.push(b.childForFieldName('attribute')?.text ?? '');
    }
    const attrs = new Set<string>();
    for (const s of c.childForFieldName('body')?.namedChildren ?? []) {
      const a = s?.type === 'expression_statement' ? s.namedChild(0) : undefined;
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
      if (left?.type === 'identifier') attrs.add(left.text);
    }
    out.set(name, { bases, attrs });
  }
  return out;
}

/**
 * True when `attr`'s value in class `cls` reaches only development configurations: `cls` is named
 * so, or it has subclasses in the module and each one not named so sets `attr` again (itself or a
 * class between it and `cls`). Classes defined elsewhere are unknown: then false.
 */
function reachesOnlyDev(table: Map<string, ClassInfo>, cls: string, attr: string): boolean {
  if (isDevConfigurationName(cls)) return true;
  if (!table.has(cls)) return false;
  const inherits = new Map<string, boolean>();
  // Whether `name` inherits `attr` from `cls` (true), sets it again on the way (false), or does not derive from `cls` (undefined).
  const fromCls = (name: string, depth: number): boolean | undefined => {
    if (name === cls) return true;
    if (inherits.has(name)) return inherits.get(name);
    const info = table.get(name);
    if (!info || depth > 32) return undefined;
    inherits.set(name, false); // a cycle ends here
    let r: boolean | undefined;
    for (const b of info.bases) {
      const v = fromCls(b, depth + 1);
      if (v !== undefined) r = (r ?? false) || v;
    }
    if (r !== undefined && info.attrs.has(attr)) r = false;
    inherits.set(name, r as boolean);
    if (r === undefined) inherits.delete(name);
    return r;
  };
  let subclasses = 0;
  for (const name of table.keys()) {
    if (name === cls) continue;
    const v = fromCls(name, 0);
    if (v === undefined) continue;
    subclasses++;
    if (v && !isDevConfigurationName(name)) return false;
  }
  return subclasses > 0;
}

/** Marks (on fresh objects: read objects may be shared with an earlier extraction) the reads whose default reaches only development. */
export function markDevOnlySettings(root: Node, facts: PythonEnvFacts): void {
  let table: Map<string, ClassInfo> | undefined;
  const reads = facts.reads;
  for (let i = 0; i < reads.length; i++) {
    const r = reads[i];
    if (!r.setting) continue;
    const dev = r.default !== undefined && reachesOnlyDev((table ??= classTable(root)), r.setting.cls, r.setting.attr);
    if (dev === (r.devOnly === true)) continue;
    const next: PyEnvRead = { ...r };
    if (dev) next.devOnly = true;
    else delete next.devOnly;
    reads[i] = next;
  }
}
