// One file's parse for the workspace index, as plain data in and out: what `orchard check`'s scan
// and the language server's start-up scan do with each file they read, in a form a worker thread
// can run (model/parsePool.ts). Pure apart from the already-initialised Python parser.
import { classifyJsonText, parseFiggyJson } from '../parse/figgyJson';
import type { FiggyJsonModel, PythonConfigModel, SecretsJsonModel } from '../parse/types';
import { parsePython } from '../parse/python';
import { parseSecretsJson } from '../parse/secretsJson';
import { parseEnvFile, pythonCredentials, type EnvFileKind, type EnvFileModel } from './files';
import type { FileCredentials } from './types';
import type { CredentialAllow } from '../parse/credentials';
import { ParseCache } from './parseCache';
import { trimLists } from './trim';

/** Which parser a file name calls for (model/scan.ts classifyFile). */
export type FileKind = 'python' | 'figgy-json' | 'secrets-json';

export interface ParseJob {
  uri: string;
  text: string;
  /** The kind the file's name gives (figgy.json, figgy-secrets.json, *.py). */
  named?: FileKind;
  /** Another JSON file the user's globs accept: its content decides whether it is Figgy's. */
  jsonCandidate?: boolean;
  /** The twelve-factor / credential kind of the path, used when the file is not Figgy's. */
  envKind?: EnvFileKind;
  /** Scan for plaintext credentials (off for files `.gitignore` or the excludes cover). */
  scanSecrets: boolean;
  /** A file only a compose file's `env_file` names: read as a `.env` file in compose's way (envKind 'dotenv'). */
  composeEnv?: boolean;
  /** What other scanners' files (gitleaks', detect-secrets', GitGuardian's, GitHub's) allow in this file (model/allowlists.ts). */
  credentialAllow?: CredentialAllow;
}

export type ParseOutcome =
  | { kind: 'python'; model: PythonConfigModel; relevant: boolean; credentials?: FileCredentials }
  | { kind: 'figgy-json'; model: FiggyJsonModel }
  | { kind: 'secrets-json'; model: SecretsJsonModel }
  | { kind: 'env'; env: EnvFileModel }
  /** Neither Figgy's nor a twelve-factor / credential kind (a JSON file of other content). */
  | { kind: 'none' };

/** True when a Python model is worth keeping in the workspace index. */
export function isRelevantPython(m: PythonConfigModel): boolean {
  return m.importsFiggy || m.classes.length > 0 || m.lazyLoadCalls.length > 0 || m.env !== undefined || m.charmCode !== undefined || m.cdk !== undefined;
}

/**
 * Parses one file's text. A Python file's credentials are scanned without its model's errors: the
 * caller, which decides whether the model is kept, drops the notices the model already gives
 * (model/files.ts withoutRepeatedNotices).
 */
export function runParseJob(job: ParseJob): ParseOutcome {
  const { uri, text } = job;
  const kind = job.named ?? (job.jsonCandidate ? classifyJsonText(text) : undefined);
  switch (kind) {
    case 'python': {
      const model = parsePython(text, uri);
      return { kind, model, relevant: isRelevantPython(model), credentials: job.scanSecrets ? pythonCredentials(text, uri, [], undefined, job.credentialAllow) : undefined };
    }
    case 'figgy-json':
      return { kind, model: parseFiggyJson(text, uri) };
    case 'secrets-json':
      return { kind, model: parseSecretsJson(text, uri) };
    case undefined:
      return job.envKind ? { kind: 'env', env: parseEnvFile(job.envKind, text, uri, { scanCredentials: job.scanSecrets, compose: job.composeEnv || undefined, credentialAllow: job.credentialAllow }) } : { kind: 'none' };
  }
}

/**
 * runParseJob with the model's lists at their exact length (model/trim.ts): for models kept for a
 * session (the language server). The CLI does not: the copies' garbage raised its peak (143-158
 * vs 144-149 MiB at 2,000 services), its models live a few seconds.
 */
export function runParseJobHere(job: ParseJob): ParseOutcome {
  return trimLists(runParseJob(job));
}

/** runParseJobHere through the parse cache: the stored outcome when the job is unchanged, else a parse that is stored. */
export function runCachedParseJob(job: ParseJob, cache: ParseCache | undefined): ParseOutcome {
  if (!cache) return runParseJobHere(job);
  const key = ParseCache.keyOf(job);
  const hit = cache.lookup(job, key);
  if (hit) return hit;
  const outcome = runParseJobHere(job);
  cache.remember(job.uri, key, outcome);
  return outcome;
}
