// The credential side of `orchard check`: `--staged` (what git is about to commit, for a pre-commit
// hook) and `--write-baseline` (accept today's findings so later runs report only new ones). Neither
// ever writes or prints a secret: the baseline holds fingerprints, detector ids and places.
import { initTerraformFor } from '../parse/terraform';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { initPython, parsePython } from '../parse/python';
import { runRules, ALL_RULES } from '../analysis/index';
import type { Finding } from '../analysis/types';
import { CREDENTIAL_PREFIX, reportableCredentials } from '../analysis/rules/credentials';
import { buildWorkspace } from '../model/build';
import { classifyEnvFile, parseEnvFile, pythonCredentials } from '../model/files';
import { stagedFiles } from '../model/git';
import { BASELINE_FILE, addEnvFile, isRelevantPython, parseBaseline, secretsScan, type ScannedFiles } from '../model/scan';
import { loadAllowlists } from '../model/allowlists';
import { toPath, toUri } from '../model/uris';
import { LIMITS, readRegularFile } from '../fsread';
import type { WorkspaceModel } from '../model/types';
import { UsageError } from './context';
import { displayPath } from './format';

/** Files above this size in the index are skipped like on disk. */
const MAX_STAGED_BYTES = LIMITS.configFile;

/**
 * Credential findings in the staged (index) content of every added, copied, modified or renamed
 * file under `target`'s work tree. The baseline at the work tree top is honoured.
 */
export async function stagedCredentials(target: string): Promise<{ ws: WorkspaceModel; findings: Finding[]; skipped: { uri: string; why: string }[] }> {
  const staged = stagedFiles(path.resolve(target));
  if (!staged) throw new UsageError(`${target} is not inside a git work tree: --staged needs git`);
  await initPython();
  await initTerraformFor(staged.files.map((f) => f.path));
  const scanned: ScannedFiles = { python: [], figgyJson: [], secrets: [], unreadable: [], env: { charms: [], dotenv: [], compose: [], helm: [] }, credentials: [], roots: [toUri(staged.root)] };
  const skipped: { uri: string; why: string }[] = [];
  // The work tree's gitleaks, detect-secrets, GitGuardian and GitHub files, as a full check honours them.
  const allowlists = await loadAllowlists(staged.root, undefined);
  for (const f of staged.files) {
    const uri = toUri(f.path);
    const isPython = f.path.endsWith('.py');
    const kind = isPython ? undefined : classifyEnvFile(f.path);
    if (!isPython && !kind) continue;
    // A file of a scanned kind that cannot be scanned is said (once), never passed over in silence.
    if (f.content.length > MAX_STAGED_BYTES) {
      skipped.push({ uri, why: `${(f.content.length / 1024 / 1024).toFixed(1)} MiB is above the ${MAX_STAGED_BYTES / 1024 / 1024} MiB limit` });
      continue;
    }
    if (f.content.subarray(0, 8192).includes(0)) {
      skipped.push({ uri, why: 'binary (NUL bytes)' });
      continue;
    }
    const text = f.content.toString('utf8');
    const scan = secretsScan(true, allowlists, f.path);
    if (isPython) {
      // The Python model too: a sensitive read's hard-coded default is env-insecure-default's, as in a full check.
      const py = parsePython(text, uri);
      const kept = isRelevantPython(py);
      if (kept) scanned.python.push(py);
      if (scan.scanSecrets) scanned.credentials.push(pythonCredentials(text, uri, kept ? py.errors : [], undefined, scan.credentialAllow));
      continue;
    }
    if (kind) addEnvFile(scanned, parseEnvFile(kind, text, uri, { scanCredentials: scan.scanSecrets, credentialAllow: scan.credentialAllow }));
  }
  const base = await readRegularFile(path.join(staged.root, BASELINE_FILE), { maxBytes: LIMITS.configFile });
  if (base.ok) scanned.baseline = parseBaseline(base.text);
  const ws = buildWorkspace(scanned);
  const rules = ALL_RULES.filter((r) => r.code.startsWith(CREDENTIAL_PREFIX));
  return { ws, skipped, findings: runRules({ workspace: ws, envStates: new Map(), settings: { envs: [], severities: {} } }, { parseOnly: true, rules }) };
}

interface BaselineEntry {
  fingerprint: string;
  detector: string;
  file: string;
  line: number;
}

/**
 * Writes the baseline of `root`: every credential finding of this run (including ones the old
 * baseline accepted). A file of that name that is not an Orchard baseline is never replaced.
 * Written to a temporary file and renamed, so a crash leaves the old or the new one.
 */
export async function writeBaseline(root: string, ws: WorkspaceModel, defaultsReported = true): Promise<{ file: string; total: number; added: number; dropped: number }> {
  const dir = (await fs.stat(root).catch(() => undefined))?.isFile() ? path.dirname(path.resolve(root)) : path.resolve(root);
  const file = path.join(dir, BASELINE_FILE);
  const old = await readRegularFile(file, { maxBytes: LIMITS.configFile });
  let before = new Set<string>();
  if (old.ok) {
    let isOurs = false;
    try {
      isOurs = (JSON.parse(old.text) as { tool?: unknown }).tool === 'orchard';
    } catch {
      isOurs = false;
    }
    if (!isOurs) throw new UsageError(`${displayPath(toUri(file))} exists and is not an Orchard baseline; not replaced`);
    before = parseBaseline(old.text);
  } else if (old.reason !== 'missing') {
    throw new UsageError(`cannot write ${displayPath(toUri(file))}: ${old.message}`);
  }
  const entries: BaselineEntry[] = [];
  const seen = new Set<string>();
  // What the credential rules report (a sensitive read's default is env-insecure-default's, not accepted here).
  for (const { uri, c } of reportableCredentials(ws, defaultsReported)) {
    if (seen.has(c.fingerprint)) continue;
    seen.add(c.fingerprint);
    entries.push({ fingerprint: c.fingerprint, detector: c.detector, file: path.relative(dir, toPath(uri)).split(path.sep).join('/'), line: c.range.start.line + 1 });
  }
  entries.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.fingerprint.localeCompare(b.fingerprint));
  const body = `${JSON.stringify({ tool: 'orchard', version: 1, note: 'Accepted credential findings: fingerprints only, no secret. Written by orchard check --write-baseline.', findings: entries }, null, 2)}\n`;
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, body, { mode: 0o644 });
  await fs.rename(tmp, file);
  return { file, total: entries.length, added: entries.filter((e) => !before.has(e.fingerprint)).length, dropped: [...before].filter((f) => !seen.has(f)).length };
}
