// Custom messages of the twelve-factor and credential jobs (protocol.ts re-exports them): the apps
// of the workspace for the App Variables view (names, places and labels, never a value), and moving
// a plaintext credential into a store (the value is read by the server: it never crosses the
// protocol). Importable by the client; no runtime code beyond the method names.
import type { FailureInfo } from './protocol';

/** A place in a file. */
export interface LocationInfo {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface AppSourceInfo {
  id: string;
  label: string;
  kind: 'charm' | 'dotenv' | 'compose' | 'helm' | 'dockerfile' | 'heroku' | 'render' | 'digitalocean' | 'kubernetes' | 'app-engine' | 'fly' | 'databricks' | 'serverless' | 'sam' | 'zappa' | 'chalice' | 'ecs' | 'terraform' | 'cdk' | 'code';
  uri: string;
  /** False when the source may provide names Orchard cannot see; then "not provided" is unknown. */
  complete: boolean;
  incompleteReason?: string;
  /** Variables it sets for the build only (a DigitalOcean `scope: BUILD_TIME`, App Engine's `build_env_variables`, Fly's `[build.args]`): the running app does not get them. */
  buildOnly?: { name: string; range: LocationInfo['range'] }[];
}

export interface AppVariableInfo {
  name: string;
  sensitive: boolean;
  /** Some read fails when it is unset (no default, no provided alternative, no feature switch that is off everywhere). */
  required: boolean;
  /**
   * Each read as written: `required`, no default; `requiredWhen`, no default but under a presence test
   * of these names (a feature switch); neither, optional. `inTests`: in test code, which its runner
   * sets up (not the app's requirement: it never makes the variable `required`).
   */
  reads: (LocationInfo & { required: boolean; requiredWhen?: string[]; inTests?: true })[];
  /** Sources that provide it; `detail` names the option / entry, never a value. */
  provided: (LocationInfo & { sourceId: string; detail: string })[];
  /** Provided by no source itself, but through these other names its reads accept (`FLASK_X` for `X`, an alias). */
  satisfiedBy?: string[];
}

export interface AppInfo {
  id: string;
  label: string;
  root: string;
  kind: 'charm' | 'compose' | 'folder' | 'configured';
  framework?: string;
  sources: AppSourceInfo[];
  variables: AppVariableInfo[];
}

/** client → server. Every twelve-factor app with its variables and their sources; no values. */
export const AppsRequest = { method: 'orchard/apps' } as const;
export interface AppsResult {
  apps: AppInfo[];
}

/**
 * client → server. Move a plaintext credential into `env`'s store as a SecureString at `path`, and
 * answer the edit that puts the file's reference form in its place (the client applies it). The
 * value is read by the server from the file: it never crosses the protocol. With `overwrite:
 * false` an existing parameter is left alone (`exists`), so the client can ask and resend.
 */
export const MoveCredentialRequest = { method: 'orchard/credential/move' } as const;
export interface MoveCredentialParams {
  uri: string;
  fingerprint: string;
  name: string;
  path: string;
  env: string;
  overwrite: boolean;
}
export type MoveCredentialResult =
  | {
      ok: true;
      version: number;
      /** Edits per file uri (LSP ranges). */
      changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]>;
      /** How the CI or runtime gets the value now (commands, no value). */
      hint: string;
      /** The document version the edit was computed for (undefined: the file is not open). */
      documentVersion?: number;
    }
  | { ok: false; reason: 'exists' }
  | { ok: false; reason: 'not-found' | 'invalid-name' | 'untrusted'; message: string }
  | { ok: false; reason: 'failed'; failure: FailureInfo };
