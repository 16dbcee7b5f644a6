// Finds config files under a workspace folder (the same file kinds and skipped folders as the CLI's scan).
import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { classifyFile } from '../model/scan';

const SKIP = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', 'env', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', 'site-packages', 'dist', 'build', '.cache']);

export async function findConfigFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    if (depth > 25) return;
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) await walk(p, depth + 1);
      } else if (e.isFile() && classifyFile(p)) out.push(p);
    }
  }
  const st = await fs.stat(root).catch(() => undefined);
  if (st?.isFile()) return classifyFile(root) ? [root] : [];
  await walk(root, 0);
  return out.sort();
}
