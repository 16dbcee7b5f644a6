// Shared by the credential tests: synthetic credentials planted into fixtures at test time. The
// fixtures hold `@@NAME@@` markers, never a credential-shaped string, so secret scanners running on
// this repository have nothing to report; the values are deterministic so previews are stable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALNUM, BASE32, BASE64, DIGITS, HEX, LOWER, UPPER, URLSAFE, b64url, cat, synth } from '../../server/src/parse/credentials/synth';
import { scanCredentials, type CredentialScanInput } from '../../server/src/parse/credentials';
import type { CredentialFinding } from '../../server/src/parse/envTypes';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'credentials');

const pem = (i: number) => synth(BASE64, 64, 900 + i);

export const TOKENS: Record<string, string> = {
  AKIA: cat('AK', 'IA', synth(BASE32, 16, 101)),
  AKIA2: cat('AK', 'IA', synth(BASE32, 16, 102)),
  AKIA3: cat('AS', 'IA', synth(BASE32, 16, 103)),
  AKIA4: cat('AK', 'IA', synth(BASE32, 16, 104)),
  AWS_SECRET: synth(BASE64, 40, 111),
  AWS_SECRET2: synth(BASE64, 40, 112),
  AWS_SECRET3: synth(BASE64, 40, 113),
  AWS_SECRET4: synth(BASE64, 40, 114),
  GHP: cat('gh', 'p_', synth(ALNUM, 36, 121)),
  GHP2: cat('gh', 'p_', synth(ALNUM, 36, 122)),
  GHS: cat('gh', 's_', synth(ALNUM, 36, 123)),
  GH_CLIENT_SECRET: synth(HEX, 40, 124),
  GLPAT: cat('glp', 'at-', synth(URLSAFE, 20, 131)),
  SLACK_BOT: cat('xo', 'xb-', synth(DIGITS, 12, 141), '-', synth(DIGITS, 13, 142), '-', synth(ALNUM, 24, 143)),
  SLACK_BOT2: cat('xo', 'xb-', synth(DIGITS, 11, 144), '-', synth(DIGITS, 12, 145), '-', synth(ALNUM, 24, 146)),
  SLACK_WEBHOOK: cat('https://hooks.', 'slack.com/services/T', synth(UPPER + DIGITS, 8, 147), '/B', synth(UPPER + DIGITS, 10, 148), '/', synth(ALNUM, 24, 149)),
  SLACK_WEBHOOK2: cat('https://hooks.', 'slack.com/services/T', synth(UPPER + DIGITS, 8, 150), '/B', synth(UPPER + DIGITS, 10, 151), '/', synth(ALNUM, 24, 152)),
  STRIPE_LIVE: cat('sk', '_live_', synth(ALNUM, 24, 161)),
  STRIPE_LIVE2: cat('rk', '_live_', synth(ALNUM, 24, 162)),
  STRIPE_TEST: cat('sk', '_test_', synth(ALNUM, 24, 163)),
  GOOGLE: cat('AI', 'za', synth(URLSAFE, 35, 171)),
  GOOGLE2: cat('AI', 'za', synth(URLSAFE, 35, 172)),
  GOCSPX: cat('GOC', 'SPX-', synth(URLSAFE, 28, 173)),
  NPM: cat('np', 'm_', synth(ALNUM, 36, 181)),
  NPM2: cat('np', 'm_', synth(ALNUM, 36, 182)),
  PYPI: cat('py', 'pi-', 'AgEIcHlwaS5vcmc', synth(URLSAFE, 70, 183)),
  PYPI2: cat('py', 'pi-', 'AgEIcHlwaS5vcmc', synth(URLSAFE, 80, 184)),
  SENDGRID: cat('S', 'G.', synth(URLSAFE, 22, 191), '.', synth(URLSAFE, 43, 192)),
  SENDGRID2: cat('S', 'G.', synth(URLSAFE, 22, 193), '.', synth(URLSAFE, 43, 194)),
  SENDGRID3: cat('S', 'G.', synth(URLSAFE, 22, 195), '.', synth(URLSAFE, 43, 196)),
  TWILIO_SID: cat('A', 'C', synth(HEX, 32, 201)),
  TWILIO_TOKEN: synth(HEX, 32, 202),
  OPENAI: cat('sk', '-proj-', synth(URLSAFE, 40, 211), 'T3Blbk', 'FJ', synth(URLSAFE, 40, 212)),
  HF: cat('h', 'f_', synth(UPPER + LOWER, 34, 221)),
  AZURE: synth(BASE64, 86, 231) + '==',
  JWT: cat(b64url('{"alg":"RS256","typ":"JWT"}'), '.', b64url('{"iss":"kubernetes/serviceaccount","sub":"system:serviceaccount:default:deployer"}'), '.', synth(URLSAFE, 86, 241)),
  PEM1: pem(1),
  PEM2: pem(2),
  PEM3: pem(3),
};

/** Replaces `@@NAME@@` markers with the synthetic credentials. */
export function plant(text: string): string {
  return text.replace(/@@([A-Z0-9_]+)@@/g, (_, n: string) => {
    const v = TOKENS[n];
    if (v === undefined) throw new Error(`unknown token marker ${n}`);
    return v;
  });
}

export function fixture(name: string): string {
  return plant(readFileSync(join(FIXTURES, name), 'utf8'));
}

export function scanFixture(name: string, input: Omit<CredentialScanInput, 'text'>): CredentialFinding[] {
  return scanCredentials({ ...input, text: fixture(name) }).findings;
}

/** [detector, 1-based line, preview, context, keyName] — the compact form expected.json holds. */
export type Row = [string, number, string, string, string | null];

export function rows(findings: CredentialFinding[]): Row[] {
  return findings.map((f) => [f.detector, f.range.start.line + 1, f.preview, f.context, f.keyName ?? null]);
}
