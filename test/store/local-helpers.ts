// Shared bits for the local store tests: temp dirs and child writers spawned as real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export function tempStoreDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchard-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'store');
}

/** Every regular file under `dir` (recursively), for canary greps. */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

export function grepFiles(dir: string, needle: string): string[] {
  return allFiles(dir).filter((f) => readFileSync(f).includes(Buffer.from(needle, 'utf8')));
}

const WRITER = path.join(__dirname, 'local-writer.ts');

export interface Writer {
  child: ChildProcess;
  lines: string[];
  /** Resolves when a line satisfying `pred` has been printed (or rejects on exit first). */
  waitFor(pred: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function spawnWriter(args: string[]): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ pred: (l: string) => boolean; resolve: (l: string) => void }> = [];
  let buf = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    buf += String(d);
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pred(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const waitFor = (pred: (line: string) => boolean, timeoutMs = 15_000) => {
    const seen = lines.find(pred);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child did not print the expected line in time; stderr: ${stderr}`)), timeoutMs);
      waiters.push({
        pred,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
      void exited.then((e) => {
        clearTimeout(timer);
        reject(new Error(`child exited (${e.code ?? e.signal}) before the expected line; stderr: ${e.stderr}`));
      });
    });
  };
  return { child, lines, waitFor, exited };
}
