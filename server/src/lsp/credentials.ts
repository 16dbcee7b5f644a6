// `orchard/credential/move`: a plaintext credential goes into a parameter store and its place in the
// file gets the reference its world uses. The value is read here from the file and handed to the
// store only; it is never logged, echoed or returned.
import { validateParameterName } from '../parse/paths';
import { fileNameOf } from '../model/uris';
import { credentialValue, referenceEdits, referencePlan } from '../features/env/credentialActions';
import { failureInfo, describeError } from './backend';
import { MoveCredentialRequest, type MoveCredentialParams, type MoveCredentialResult } from './protocol';
import type { ServerState } from './server';

const FAILED: MoveCredentialResult = { ok: false, reason: 'failed', failure: { kind: 'other', message: 'moving the credential failed' } };

export async function moveCredential(s: ServerState, p: MoveCredentialParams): Promise<MoveCredentialResult> {
  if (!s.trusted()) return { ok: false, reason: 'untrusted', message: 'the workspace is not trusted: Orchard does not write to stores from it' };
  const uri = typeof p?.uri === 'string' ? p.uri : '';
  const env = typeof p?.env === 'string' ? p.env : '';
  const path = typeof p?.path === 'string' ? p.path : '';
  const name = typeof p?.name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name) ? p.name : '';
  if (!name) return { ok: false, reason: 'invalid-name', message: 'the variable name must be letters, digits and _' };
  const bad = validateParameterName(path);
  if (bad) return { ok: false, reason: 'invalid-name', message: bad };
  const store = s.backend.store(env);
  if (!store) return { ok: false, reason: 'failed', failure: { kind: 'other', message: `no store is configured for environment ${env || '(none)'}` } };
  const ws = await s.workspace();
  const c = ws.credentials?.find((f) => f.uri === uri)?.findings.find((f) => f.fingerprint === p.fingerprint);
  const text = await s.docs.readText(uri);
  if (!c || text === undefined) return { ok: false, reason: 'not-found', message: 'the credential is no longer in the file (edited or already moved)' };
  // What the quoted text stands for (its escapes decoded), not the text as written.
  const value = credentialValue(text, c.range, uri);
  let r;
  try {
    r = await store.put({ name: path, value, type: 'SecureString', description: `moved by Orchard from ${fileNameOf(uri)} (${name})`, overwrite: p.overwrite === true });
  } catch (e) {
    return { ok: false, reason: 'failed', failure: { kind: 'other', message: `put failed (${describeError(e)})` } };
  }
  s.log.info(`credential moved to ${env} ${path}: ${r.ok ? `version ${r.version}` : r.reason}`);
  if (!r.ok) return r.reason === 'exists' ? { ok: false, reason: 'exists' } : { ok: false, reason: 'failed', failure: failureInfo(r.failure) };
  const plan = referencePlan(c.context, uri, name, path, env);
  const edits = referenceEdits(text, c.range, plan, uri);
  s.backend.invalidateLists(env);
  void s.refresh('write', [env]).catch(() => undefined);
  return { ok: true, version: r.version, changes: { [uri]: edits }, hint: plan.hint, documentVersion: s.docs.version(uri) };
}

export function registerCredentialRequests(s: ServerState): void {
  s.connection.onRequest(
    MoveCredentialRequest.method,
    s.guard('put', FAILED, async (p: MoveCredentialParams) => {
      await s.ready();
      return moveCredential(s, p);
    }),
  );
}
