// `.gitignore` semantics through the `ignore` package (the matcher ESLint and many others use): each
// ignore file's patterns apply to paths below its own folder, deeper files can re-include with `!`.
// Pure: the walker (model/scan.ts) hands in the texts it read.
import ignore, { type Ignore } from 'ignore';

function rel(from: string, to: string): string | undefined {
  const f = from.endsWith('/') ? from : `${from}/`;
  if (!to.startsWith(f)) return undefined;
  return to.slice(f.length);
}

/** Every ignore file read so far, by the folder (absolute path, `/`-separated) it sits in. */
export class GitIgnore {
  private readonly byDir = new Map<string, Ignore>();

  /** Adds the patterns of the `.gitignore` (or `.git/info/exclude`) that applies from `dir`. */
  add(dir: string, text: string): void {
    const d = dir.replace(/\/+$/, '');
    let ig = this.byDir.get(d);
    if (!ig) this.byDir.set(d, (ig = ignore({ allowRelativePaths: true })));
    ig.add(text);
  }

  /** Whether `path` (absolute, `/`-separated; a folder ends with `/`) is ignored. */
  ignores(path: string): boolean {
    const p = path.replace(/\\/g, '/');
    let verdict = false;
    // Outer ignore files first; a deeper one may re-include (`!x`) what an outer one ignored.
    const dirs = [...this.byDir.keys()].filter((d) => p.startsWith(`${d}/`)).sort((a, b) => a.length - b.length);
    for (const d of dirs) {
      const r = rel(d, p);
      if (!r) continue;
      const t = this.byDir.get(d)!.test(r);
      if (t.ignored) verdict = true;
      else if (t.unignored) verdict = false;
    }
    return verdict;
  }
}
