// Shared by the workspace-level and CLI credential tests: the realistic repository in
// test/fixtures/credentials/workspace (credential markers `@@NAME@@` planted at copy time, so the
// committed files hold no credential-shaped string), its expected findings, and a scan of it.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HEX, URLSAFE, synth } from '../../server/src/parse/credentials/synth';
import { TOKENS } from '../parse/credentials.helpers';

export const WORKSPACE_FIXTURE = path.join(__dirname, '..', 'fixtures', 'credentials', 'workspace');

/** The parser tests' tokens and a few more for this tree. */
export const WS_TOKENS: Record<string, string> = {
  ...TOKENS,
  MAILGUN: `key-${synth(HEX, 32, 301)}`,
  HELMKEY: synth(URLSAFE, 48, 302),
};

export function plantText(text: string): string {
  return text.replace(/@@([A-Z0-9_]+)@@/g, (_, n: string) => {
    const v = WS_TOKENS[n];
    if (v === undefined) throw new Error(`unknown token marker ${n}`);
    return v;
  });
}

function files(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel)).flatMap((n) => {
    const r = rel ? `${rel}/${n}` : n;
    return statSync(path.join(dir, r)).isDirectory() ? files(dir, r) : [r];
  });
}

/** Relative paths (with `/`) of the fixture tree's files. */
export function fixtureFiles(): string[] {
  return files(WORKSPACE_FIXTURE).filter((f) => f !== 'expected.json').sort();
}

/** Copies the fixture tree into a fresh temporary folder (outside any git work tree) with tokens planted. */
export function plantWorkspace(prefix = 'orchard-creds-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cpSync(WORKSPACE_FIXTURE, dir, { recursive: true });
  for (const f of fixtureFiles()) {
    const p = path.join(dir, f);
    writeFileSync(p, plantText(readFileSync(p, 'utf8')));
  }
  return dir;
}

/** `[code, line]` per file: every finding the tree must give; files not listed must give none. */
export type Expected = Record<string, [string, number][]>;

export function expectedFindings(): Expected {
  return JSON.parse(readFileSync(path.join(WORKSPACE_FIXTURE, 'expected.json'), 'utf8')) as Expected;
}
