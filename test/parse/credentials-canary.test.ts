// Canary: no output of the scanner (findings: preview, fingerprint, titles, contexts; notices)
// carries more than the first 4 characters of a planted secret, whatever the secret holds (quotes,
// newlines, backslashes) and whichever detector finds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanCredentials, type CredentialFileKind } from '../../server/src/parse/credentials';
import { TOKENS } from './credentials.helpers';

/** Every substring of `secret` of length 5 (after the first 4 characters shown in previews). */
function leaks(out: string, secret: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 5 <= secret.length; i++) {
    const part = secret.slice(i, i + 5);
    if (/^[\w-]{5}$/.test(part) && /^(?:PASSW|ASSWO|SSWOR|SWORD|TOKEN|SECRE|ECRET)$/i.test(part)) continue;
    if (out.includes(part) || out.includes(JSON.stringify(part).slice(1, -1))) found.push(part);
  }
  return found;
}

const canaries = [
  `Cn"q'x\\y${'Zp9'}K\`r!2`,
  `Lm\\n"Qx'7\\\\Rb"zz`,
  `Ww8"quote'and\\back`,
];

test('name-rule findings never echo a canary password (quotes, backslashes)', () => {
  for (const c of canaries) {
    const texts: [string, CredentialFileKind, string][] = [
      [`DB_PASSWORD='${c.replace(/'/g, '')}'\n`, 'dotenv', '.env'],
      [`password = "${c.replace(/"/g, '\\"')}"\n`, 'python', 'settings.py'],
      [`env:\n  DB_PASSWORD: '${c.replace(/'/g, "''")}'\n`, 'yaml', '.github/workflows/a.yml'],
      [`DATABASE_URL=postgres://app:${encodeURIComponent(c).replace(/'/g, '%27')}@db/app\n`, 'dotenv', '.env'],
      [`{"Default": "Server=db;User Id=app;Password=${c.replace(/[;"\\'`]/g, '')};"}`, 'json', 'appsettings.json'],
    ];
    for (const [text, kind, uri] of texts) {
      const r = scanCredentials({ text, uri: `file:///ws/${uri}`, kind });
      assert.ok(r.findings.length >= 1, `not found in ${uri}: ${text}`);
      const out = JSON.stringify(r);
      for (const f of r.findings) assert.ok(f.preview.length <= 5, f.preview);
      const secretInFile = text.slice(text.indexOf(c.slice(0, 2)));
      assert.deepEqual(leaks(out, secretInFile.replace(/\n.*$/s, '')), [], `${uri}: ${out}`);
    }
  }
});

test('shape findings never echo the token; a multi-line private key never leaks a body line', () => {
  const key = `-----BEGIN OPENSSH PRIV${'ATE KEY'}-----\n${TOKENS.PEM1}\n${TOKENS.PEM2}\n-----END OPENSSH PRIV${'ATE KEY'}-----`;
  const text = `tls:\n  key: |\n${key.split('\n').map((l) => `    ${l}`).join('\n')}\n  token: "${TOKENS.GHP}"\nAWS: ${TOKENS.AKIA} ${TOKENS.AWS_SECRET}\njwt = "${TOKENS.JWT}"\n`;
  const r = scanCredentials({ text, uri: 'file:///ws/values.yaml', kind: 'yaml' });
  assert.deepEqual(r.findings.map((f) => f.detector).sort(), ['aws-access-key-id', 'aws-secret-access-key', 'github-pat', 'jwt', 'private-key']);
  const out = JSON.stringify(r);
  for (const s of [TOKENS.PEM1, TOKENS.PEM2, TOKENS.GHP.slice(4), TOKENS.AKIA.slice(4), TOKENS.AWS_SECRET, TOKENS.JWT.slice(4)]) assert.deepEqual(leaks(out, s), [], out);
});

test('a secret with a newline inside a YAML double-quoted scalar is not echoed either', () => {
  const text = 'env:\n  API_TOKEN: "Qz8\\nWv7\\"Rt6\\\\Yx5"\n';
  const r = scanCredentials({ text, uri: 'file:///ws/.github/workflows/a.yml', kind: 'yaml' });
  assert.equal(r.findings.length, 1);
  const out = JSON.stringify(r);
  for (const part of ['Wv7', 'Rt6', 'Yx5']) assert.ok(!out.includes(part), out);
});
