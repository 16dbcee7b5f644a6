// Secret values never come back through AWS error text, whatever the encoding the server echoes
// them in. Real SDK, real HTTP: a fault proxy in front of moto (loopback only) answers PutParameter
// with a ValidationException quoting the request in seven ways; the canaries hold every character
// that changes under an encoding (quote, newline, backslash, tab, <&>, %, +, space, non-ASCII).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { SsmStore } from '../../server/src/store/ssm';
import { mapAwsError } from '../../server/src/store/ssmErrors';
import { encodingsOf } from '../../server/src/store/redact';
import { FaultProxy, type EchoEncoding } from '../aws/faultProxy';
import { startMoto, useDummyAwsEnv, type Moto } from '../aws/moto';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const ENCODINGS: EchoEncoding[] = ['json-body', 'raw-value', 'url-value', 'base64-body', 'xml-body', 'value-as-code', 'member-message'];

/** Distinctive fragments: none may appear in any output, in any form we can recognise. */
const FRAGMENTS = ['Qz7kVw', 'Jr4nTx', 'Lm9pSd', 'Hb2cGf', 'Yt6eRu', 'Wq3aZo'];
const VALUES = [
  `Qz7kVw"quoted"Jr4nTx`,
  `Lm9pSd\nsecond line\nHb2cGf`,
  `Yt6eRu\\back\\slash\\Wq3aZo`,
  `Qz7kVw\ttab\tJr4nTx`,
  `-----BEGIN PRIVATE KEY-----\nLm9pSd+/=\n"Hb2cGf"\\n\t<&>'% é ü\n-----END PRIVATE KEY-----`,
];
const DESCRIPTION = `desc Yt6eRu "with" \\ quotes\nand Wq3aZo`;

function leaks(text: string, secrets: string[]): string[] {
  const out: string[] = [];
  for (const f of FRAGMENTS) if (text.includes(f)) out.push(f);
  for (const s of secrets) for (const e of encodingsOf(s)) if (text.includes(e)) out.push(`encoding of a secret: ${e.slice(0, 12)}…`);
  return out;
}

let moto: Moto;
let proxy: FaultProxy;
let endpoint: string;
let restoreEnv: () => void;
let tmp: string;
const stores: SsmStore[] = [];

before(async () => {
  restoreEnv = useDummyAwsEnv();
  moto = await startMoto();
  proxy = new FaultProxy(moto.endpoint);
  endpoint = await proxy.start();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'orchard-canary-'));
});
after(async () => {
  for (const s of stores) s.dispose();
  await proxy?.close();
  await moto?.stop();
  restoreEnv?.();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('AWS error canary', () => {
  it('PutParameter echoed in every encoding: the failure never carries the value or the description', async () => {
    const s = new SsmStore({ env: 'dev', config: { backend: 'ssm', region: 'us-east-1', endpoint, timeoutMs: 2000, maxAttempts: 1 } });
    stores.push(s);
    let checked = 0;
    for (const encoding of ENCODINGS) {
      for (const value of VALUES) {
        proxy.rules = [{ op: 'PutParameter', fault: { kind: 'echo', encoding } }];
        const r = await s.put({ name: '/app/canary/x', value, type: 'SecureString', overwrite: false, description: DESCRIPTION });
        assert.equal(r.ok, false, encoding);
        const text = JSON.stringify(r);
        assert.deepEqual(leaks(text, [value, DESCRIPTION]), [], `${encoding}: ${text}`);
        // Still useful: what failed, in which environment.
        assert.match(r.ok === false && r.reason === 'failed' ? r.failure.message : '', /^writing \/app\/canary\/x in dev: /);
        checked++;
      }
    }
    proxy.rules = [];
    assert.equal(checked, ENCODINGS.length * VALUES.length);
  });

  it('validation errors keep which member failed, without the request text', async () => {
    const s = new SsmStore({ env: 'dev', config: { backend: 'ssm', region: 'us-east-1', endpoint, timeoutMs: 2000, maxAttempts: 1 } });
    stores.push(s);
    proxy.rules = [{ op: 'PutParameter', fault: { kind: 'echo', encoding: 'raw-value' } }];
    const r = await s.put({ name: '/app/canary/y', value: VALUES[0], type: 'SecureString', overwrite: false });
    proxy.rules = [];
    assert.equal(
      r.ok === false && r.reason === 'failed' && r.failure.message,
      "writing /app/canary/y in dev: ValidationException (failed: 'value': Member must have length less than or equal to 4096)",
    );
  });

  it('the built CLI prints nothing of the value either (stdout and stderr)', { timeout: 60_000 }, async () => {
    const config = path.join(tmp, 'config.json');
    writeFileSync(config, JSON.stringify({ environments: { dev: { backend: 'ssm', region: 'us-east-1', endpoint, timeoutMs: 2000, maxAttempts: 1 } } }));
    const valueFile = path.join(tmp, 'value');
    for (const encoding of ENCODINGS) {
      proxy.rules = [{ op: 'PutParameter', fault: { kind: 'echo', encoding } }];
      writeFileSync(valueFile, VALUES[4]);
      const run = await new Promise<{ code: number | null; text: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'put', '/app/canary/cli', '--env', 'dev', '--secure', '--value-file', valueFile, '-d', DESCRIPTION], {
          env: { ...process.env, NO_COLOR: '1', ORCHARD_CONFIG: config },
        });
        let text = '';
        child.stdout.on('data', (d) => (text += d));
        child.stderr.on('data', (d) => (text += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, text });
        });
      });
      assert.equal(run.code, 2, run.text);
      assert.match(run.text, /writing \/app\/canary\/cli in dev/);
      // The value file's own text ends with a newline stripped by the CLI: check both.
      assert.deepEqual(leaks(run.text, [VALUES[4], VALUES[4].replace(/\n$/, ''), DESCRIPTION]), [], `${encoding}: ${run.text}`);
    }
    proxy.rules = [];
  });

  it('property: whatever the value, an error quoting it in any encoding never returns it', () => {
    const forms: ((v: string) => string)[] = [
      (v) => v,
      (v) => JSON.stringify({ Value: v }),
      (v) => encodeURIComponent(v),
      (v) => encodeURIComponent(v).replace(/%20/g, '+'),
      (v) => Buffer.from(`{"Value":${JSON.stringify(v)}}`).toString('base64'),
      (v) => Buffer.from(`xx${v}`).toString('base64'),
      (v) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    ];
    const special = fc.constantFrom('"', '\n', '\\', '\t', '<', '&', "'", '%', '+', ' ', 'é', '/', '=');
    const value = fc
      .array(fc.oneof(special, fc.string({ minLength: 1, maxLength: 3 })), { minLength: 4, maxLength: 30 })
      .map((parts) => `K${parts.join('')}Z`);
    fc.assert(
      fc.property(value, fc.nat(forms.length - 1), fc.boolean(), (v, i, asCode) => {
        const quoted = forms[i](v);
        const err = Object.assign(new Error(`1 validation error detected: Value '${quoted}' at 'value' failed`), {
          name: asCode ? quoted : 'ValidationException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
        const f = mapAwsError(err, { subject: 'writing /app/x in dev', redact: [v] });
        const text = `${f.message} ${f.hint ?? ''}`;
        return !text.includes(v) && !text.includes(quoted) && encodingsOf(v).every((e) => !text.includes(e));
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
