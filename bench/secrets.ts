// Benchmark (not a test): Orchard's credential scanner and secretlint (recommended preset, offline)
// on the same generated tree, in the same run. The tree holds CI files, .env files, settings and
// source files with planted credentials and safe forms, each labelled by line when generated:
// `secret` lines hold one plaintext credential; `safe` lines hold an encrypted / referenced /
// placeholder / documented-example / public value that must not be reported. Prints measured
// throughput (MB/s), recall on the secret lines and false positives (findings on any other line).
//
// Run: npm run bench:secrets   (ORCHARD_BENCH_REPOS=N sets the number of generated repositories)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { classifyCredentialFile, scanCredentials } from '../server/src/parse/credentials';
import { ALNUM, BASE32, BASE64, DIGITS, HEX, LOWER, UPPER, URLSAFE, b64url, cat, synth } from '../server/src/parse/credentials/synth';

const REPOS = Number(process.env.ORCHARD_BENCH_REPOS ?? 60);
/** Benign lines appended to each file so sizes look like real files (a few KB). */
const FILLER_LINES = Number(process.env.ORCHARD_BENCH_FILLER ?? 60);

type Label = 'secret' | 'safe' | '';
interface Line {
  text: string;
  label: Label;
  /** What was planted, for the per-category table. */
  what?: string;
}

const S = (text: string, what: string): Line => ({ text, label: 'secret', what });
const F = (text: string, what: string): Line => ({ text, label: 'safe', what });
const N = (text: string): Line => ({ text, label: '' });

/** Generators of credentials, fresh per seed. */
function creds(seed: number) {
  const s = (alphabet: string, n: number, k: number) => synth(alphabet, n, seed * 1000 + k);
  return {
    akia: cat('AK', 'IA', s(BASE32, 16, 1)),
    awsSecret: s(BASE64, 40, 2),
    ghp: cat('gh', 'p_', s(ALNUM, 36, 3)),
    ghs: cat('gh', 's_', s(ALNUM, 36, 4)),
    glpat: cat('glp', 'at-', s(URLSAFE, 20, 5)),
    xoxb: cat('xo', 'xb-', s(DIGITS, 12, 6), '-', s(DIGITS, 13, 7), '-', s(ALNUM, 24, 8)),
    webhook: cat('https://hooks.', 'slack.com/services/T', s(UPPER + DIGITS, 8, 9), '/B', s(UPPER + DIGITS, 10, 10), '/', s(ALNUM, 24, 11)),
    stripe: cat('sk', '_live_', s(ALNUM, 24, 12)),
    rk: cat('rk', '_live_', s(ALNUM, 24, 13)),
    google: cat('AI', 'za', s(URLSAFE, 35, 14)),
    npm: cat('np', 'm_', s(ALNUM, 36, 15)),
    pypi: cat('py', 'pi-', 'AgEIcHlwaS5vcmc', s(URLSAFE, 70, 16)),
    sendgrid: cat('S', 'G.', s(URLSAFE, 22, 17), '.', s(URLSAFE, 43, 18)),
    twilioSid: cat('A', 'C', s(HEX, 32, 19)),
    twilioToken: s(HEX, 32, 20),
    openai: cat('sk', '-proj-', s(URLSAFE, 40, 21), 'T3Blbk', 'FJ', s(URLSAFE, 40, 22)),
    jwt: cat(b64url('{"alg":"HS256","typ":"JWT"}'), '.', b64url(`{"sub":"svc-${seed}","role":"service_role"}`), '.', s(URLSAFE, 43, 23)),
    anonJwt: cat(b64url('{"alg":"HS256","typ":"JWT"}'), '.', b64url(`{"iss":"supabase","ref":"p${seed}","role":"anon"}`), '.', s(URLSAFE, 43, 24)),
    hex40: s(HEX, 40, 25),
    password: cat(s(UPPER, 1, 26), s(LOWER, 5, 27), s(DIGITS, 2, 28), '!', s(LOWER, 3, 29)),
    word: `${['hunter', 'tiger', 'maple', 'orbit', 'copper'][seed % 5]}${seed % 97}${['!', '#', '%', '&'][seed % 4]}${['sun', 'moon', 'rain'][seed % 3]}`,
    b64: s(BASE64, 24, 30),
    pem: [s(BASE64, 64, 31), s(BASE64, 64, 32), s(BASE64, 64, 33)],
    gocspx: cat('GOC', 'SPX-', s(URLSAFE, 28, 34)),
    travisSecure: s(BASE64, 340, 35) + '=',
  };
}

function filler(kind: string, seed: number): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < FILLER_LINES; i++) {
    const w = synth(LOWER, 8, seed * 7 + i);
    switch (kind) {
      case 'py':
        out.push(N(`def handler_${w}(request, limit=${i}):\n    return render(request, "${w}.html", {"items": items[:limit], "page": ${i}})`));
        break;
      case 'js':
        out.push(N(`export function ${w}(items, opts = {}) { return items.filter((x) => x.id !== ${i}).map((x) => ({ ...x, key: \`${w}-\${x.id}\` })); }`));
        break;
      case 'go':
        out.push(N(`func ${w}(ctx context.Context, n int) error { if n > ${i} { return fmt.Errorf("${w}: %d", n) }; return nil }`));
        break;
      case 'sh':
        out.push(N(`echo "step ${i}: ${w}" && test -d "build/${w}" || mkdir -p "build/${w}"`));
        break;
      default:
        out.push(N(`# ${w} ${synth(LOWER, 30, seed + i)}`));
    }
  }
  return out;
}

/** One generated repository: relative path → labelled lines. */
function repo(r: number): Map<string, Line[]> {
  const c = creds(r);
  const d = creds(r + 100000);
  const files = new Map<string, Line[]>();
  files.set('.travis.yml', [
    N('language: python'), N('env:'), N('  global:'),
    F(`    - secure: "${c.travisSecure}"`, 'travis-secure'),
    S(`    - AWS_ACCESS_KEY_ID=${c.akia}`, 'aws-access-key-id'),
    S(`    - AWS_SECRET_ACCESS_KEY=${c.awsSecret}`, 'aws-secret-access-key'),
    S(`    - DB_PASSWORD=${c.word}`, 'low-entropy-password'),
    N('deploy:'), N('  provider: s3'),
    N('  access_key_id:'), F(`    secure: "${d.travisSecure}"`, 'travis-secure'),
    F(`  secret_access_key: {secure: "${c.travisSecure.slice(10)}"}`, 'travis-secure'),
    ...filler('yaml', r),
  ]);
  files.set('.github/workflows/deploy.yml', [
    N('name: deploy'), N('on: [push]'), N('env:'),
    F('  AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}', 'github-secret-ref'),
    F('  API_URL: ${{ vars.API_URL }}', 'github-vars-ref'),
    N('jobs:'), N('  deploy:'), N('    runs-on: ubuntu-latest'), N('    env:'),
    S(`      STRIPE_KEY: ${c.stripe}`, 'stripe-live-key'),
    S(`      DB_PASSWORD: ${d.word}`, 'low-entropy-password'),
    F('      DATABASE_URL: postgres://postgres:postgres@localhost:5432/test', 'local-default-url'),
    N('    steps:'), N('      - uses: pypa/gh-action-pypi-publish@release/v1'), N('        with:'),
    S(`          password: ${c.pypi}`, 'pypi-token'),
    N('      - uses: actions/cache@v4'), N('        with:'),
    F(`          key: deps-${c.hex40}`, 'cache-key-hash'),
    N('  call:'), N('    uses: org/repo/.github/workflows/r.yml@main'), F('    secrets: inherit', 'secrets-inherit'),
    ...filler('yaml', r + 1),
  ]);
  files.set('.gitlab-ci.yml', [
    N('variables:'),
    S(`  GITLAB_TOKEN: ${c.glpat}`, 'gitlab-pat'),
    F('  DEPLOY_PASSWORD: $CI_DEPLOY_PASSWORD', 'shell-ref'),
    F('  REGISTRY_PASSWORD: ${CI_REGISTRY_PASSWORD}', 'shell-ref'),
    N('deploy:'), N('  script:'), N('    - ./deploy.sh'),
    ...filler('yaml', r + 2),
  ]);
  files.set('.circleci/config.yml', [
    N('version: 2.1'), N('jobs:'), N('  build:'), N('    environment:'),
    S(`      SLACK_TOKEN: ${c.xoxb}`, 'slack-token'),
    S(`      SENDGRID_API_KEY: ${c.sendgrid}`, 'sendgrid-api-key'),
    N('    steps: [checkout]'), N('workflows:'), N('  main:'), N('    jobs:'), N('      - build:'), F('          context: [aws-prod, slack]', 'circleci-context'),
    ...filler('yaml', r + 3),
  ]);
  files.set('buildspec.yml', [
    N('version: 0.2'), N('env:'), N('  variables:'),
    S(`    AWS_ACCESS_KEY_ID: ${d.akia}`, 'aws-access-key-id'),
    S(`    AWS_SECRET_ACCESS_KEY: ${d.awsSecret}`, 'aws-secret-access-key'),
    N('  parameter-store:'), F(`    DB_PASSWORD: /prod/db/password-${r}`, 'parameter-store'),
    N('  secrets-manager:'), F(`    API_TOKEN: prod/api-${r}:token`, 'secrets-manager'),
    ...filler('yaml', r + 4),
  ]);
  files.set('.env', [
    N('FLASK_APP=app'),
    S(`DATABASE_URL=postgres://app:${c.password}@db/app`, 'url-password'),
    S(`OPENAI_API_KEY=${c.openai}`, 'openai-api-key'),
    N(`TWILIO_ACCOUNT_SID=${c.twilioSid}`),
    S(`TWILIO_AUTH_TOKEN=${c.twilioToken}`, 'twilio-auth-token'),
    F('ADMIN_PASSWORD=change-me', 'placeholder'),
    F('API_KEY=your-api-key-here', 'placeholder'),
    F('SESSION_SECRET=<session-secret>', 'placeholder'),
    F('MAIL_PASSWORD=', 'empty'),
    F('AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'documented-example'),
    F('AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'documented-example'),
    F(`SUPABASE_ANON_KEY=${c.anonJwt}`, 'public-anon-jwt'),
    F(`DB_PASSWORD=ENC[AES256_GCM,data:${c.b64},iv:${d.b64},tag:${c.b64.slice(4)},type:str]`, 'sops'),
    F('KEY_PATH=/etc/app/key.pem', 'non-secret-name'),
    F('TOKEN_URL=https://auth.example.org/token', 'non-secret-name'),
    F('PASSWORD_MIN_LENGTH=12', 'non-secret-name'),
  ]);
  files.set('app/settings.py', [
    N('import os'),
    S(`SECRET_KEY = "django-insecure-${c.b64.replace(/[+/]/g, '#')}"`, 'secret-assignment'),
    S(`STRIPE_KEY = os.getenv("STRIPE_KEY", "${c.rk}")`, 'stripe-live-key'),
    F('EMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]', 'env-read'),
    F('API_TOKEN = os.environ.get("API_TOKEN")', 'env-read'),
    N('DATABASES = {"default": {'),
    S(`    "PASSWORD": "${d.password}",`, 'password-assignment'),
    N('}}'),
    F(`GIT_SHA = "${d.hex40}"`, 'git-sha'),
    F(`REQUEST_ID = "${[synth(HEX, 8, r), synth(HEX, 4, r + 1), synth(HEX, 4, r + 2), synth(HEX, 4, r + 3), synth(HEX, 12, r + 4)].join('-')}"`, 'uuid'),
    ...filler('py', r + 5),
  ]);
  files.set('src/config.js', [
    N('module.exports = {'),
    S(`  clientSecret: '${c.gocspx}',`, 'google-oauth-client-secret'),
    S(`  serviceToken: "${c.jwt}",`, 'jwt'),
    F('  token: process.env.GITHUB_TOKEN,', 'env-read'),
    N('};'),
    N('const firebaseConfig = {'),
    F(`  apiKey: "${d.google}",`, 'firebase-web-key'),
    N('  authDomain: "demo.firebaseapp.com",'),
    N('};'),
    F(`const integrity = "sha512-${c.travisSecure.slice(0, 86)}==";`, 'integrity-hash'),
    ...filler('js', r + 6),
  ]);
  files.set('cmd/main.go', [
    N('package main'),
    S(`const sendgridKey = "${d.sendgrid}"`, 'sendgrid-api-key'),
    S(`var dbPassword = "${c.password}x"`, 'password-assignment'),
    F('var token = os.Getenv("TOKEN")', 'env-read'),
    ...filler('go', r + 7),
  ]);
  files.set('scripts/deploy.sh', [
    N('#!/usr/bin/env bash'),
    S(`export AWS_ACCESS_KEY_ID=${c.akia.replace('AKIA', 'ASIA')}`, 'aws-access-key-id'),
    S(`export AWS_SECRET_ACCESS_KEY="${c.awsSecret.split('').reverse().join('')}"`, 'aws-secret-access-key'),
    S(`mysql -u root --password=${d.word} app < schema.sql`, 'low-entropy-password'),
    S(`git clone https://x-access-token:${c.ghs}@github.com/org/repo.git`, 'github-app-token'),
    F('curl -H "Authorization: Bearer $API_TOKEN" https://api.example.org', 'shell-ref'),
    F('export DB_PASSWORD="$(aws ssm get-parameter --name /prod/db --query Parameter.Value --output text)"', 'command-substitution'),
    ...filler('sh', r + 8),
  ]);
  files.set('config.ini', [
    N('[database]'), N('host = db.internal'),
    S(`password = ${d.password}`, 'password-assignment'),
    N('[pypi]'), N('username = __token__'),
    S(`password = ${d.pypi}`, 'pypi-token'),
    F('; password = %(DB_PASSWORD)s', 'interpolation'),
  ]);
  files.set('chart/values.yaml', [
    N('image:'), N('  repository: registry.example.com/app'),
    F('existingSecret: app-secrets', 'secret-object-name'),
    N('postgresql:'), N('  auth:'),
    S(`    postgresPassword: "${c.password}"`, 'password-assignment'),
    N('tlsKey: |'),
    S(`  -----BEGIN RSA PRIV${'ATE KEY'}-----`, 'private-key'),
    ...c.pem.map((l) => N(`  ${l}`)),
    N(`  -----END RSA PRIV${'ATE KEY'}-----`),
    F(`publicKey: "ssh-ed25519 ${c.b64}${d.b64}"`, 'public-key'),
    ...filler('yaml', r + 9),
  ]);
  files.set('notify.json', [
    N('{'),
    S(`  "webhook": "${c.webhook}",`, 'slack-webhook'),
    S(`  "npmToken": "${c.npm}",`, 'npm-token'),
    S(`  "githubToken": "${c.ghp}"`, 'github-pat'),
    N('}'),
  ]);
  return files;
}

interface Truth {
  file: string;
  line: number; // 1-based
  label: Label;
  what?: string;
}

function writeTree(root: string): { files: string[]; truth: Truth[]; bytes: number } {
  const files: string[] = [];
  const truth: Truth[] = [];
  let bytes = 0;
  for (let r = 0; r < REPOS; r++) {
    for (const [rel, lines] of repo(r)) {
      const path = join(root, `repo-${r}`, rel);
      mkdirSync(dirname(path), { recursive: true });
      let line = 1;
      const text: string[] = [];
      for (const l of lines) {
        if (l.label) truth.push({ file: path, line, label: l.label, what: l.what });
        text.push(l.text);
        line += l.text.split('\n').length;
      }
      const body = text.join('\n') + '\n';
      writeFileSync(path, body);
      bytes += Buffer.byteLength(body);
      files.push(path);
    }
  }
  return { files, truth, bytes };
}

type Hits = Map<string, Set<number>>; // file → 1-based lines with a finding

function runOrchard(files: string[]): { hits: Hits; ms: number } {
  const hits: Hits = new Map();
  const t0 = performance.now();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const cls = classifyCredentialFile(f) ?? { kind: 'text' as const };
    const r = scanCredentials({ text, uri: `file://${f}`, kind: cls.kind, ciFlavor: cls.ciFlavor });
    const set = new Set<number>();
    // ci-set-x is not a credential; it is not counted here.
    for (const x of r.findings) if (x.detector !== 'ci-set-x') set.add(x.range.start.line + 1);
    hits.set(f, set);
  }
  return { hits, ms: performance.now() - t0 };
}

async function runSecretlint(root: string, files: string[]): Promise<{ hits: Hits; ms: number }> {
  const { runSecretLint } = (await import('secretlint')) as typeof import('secretlint');
  const t0 = performance.now();
  const res = await runSecretLint({
    cliOptions: { cwd: root, filePathOrGlobList: files, noGlob: true },
    engineOptions: { cwd: root, formatter: 'json', color: false, maskSecrets: true, configFileJSON: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] } },
  });
  const ms = performance.now() - t0;
  if (res.stderr) throw res.stderr;
  const hits: Hits = new Map();
  const out = JSON.parse(res.stdout ?? '[]') as { filePath: string; messages: { ruleId: string; loc: { start: { line: number } } }[] }[];
  for (const r of out) {
    const set = hits.get(r.filePath) ?? new Set<number>();
    for (const m of r.messages) set.add(m.loc.start.line);
    hits.set(r.filePath, set);
  }
  return { hits, ms };
}

function score(truth: Truth[], hits: Hits) {
  const secretLines = new Set(truth.filter((t) => t.label === 'secret').map((t) => `${t.file}:${t.line}`));
  const safeLines = new Set(truth.filter((t) => t.label === 'safe').map((t) => `${t.file}:${t.line}`));
  let found = 0;
  const byWhat = new Map<string, { total: number; found: number }>();
  for (const t of truth) {
    if (t.label !== 'secret') continue;
    const hit = hits.get(t.file)?.has(t.line) ?? false;
    if (hit) found++;
    const w = byWhat.get(t.what!) ?? { total: 0, found: 0 };
    w.total++;
    if (hit) w.found++;
    byWhat.set(t.what!, w);
  }
  let fpSafe = 0;
  let fpOther = 0;
  const fpWhat = new Map<string, number>();
  const whatOf = new Map(truth.map((t) => [`${t.file}:${t.line}`, t.what]));
  for (const [file, lines] of hits) {
    for (const l of lines) {
      const k = `${file}:${l}`;
      if (secretLines.has(k)) continue;
      if (safeLines.has(k)) {
        fpSafe++;
        const w = whatOf.get(k)!;
        fpWhat.set(w, (fpWhat.get(w) ?? 0) + 1);
      } else fpOther++;
    }
  }
  return { total: secretLines.size, found, fpSafe, fpOther, byWhat, fpWhat };
}

async function main(): Promise<void> {
  const root = join(tmpdir(), `orchard-bench-secrets-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  try {
    const { files, truth, bytes } = writeTree(root);
    const mb = bytes / 1024 / 1024;
    // Warm both once on a small slice (module loading, regex compilation, JIT), then measure.
    runOrchard(files.slice(0, 20));
    await runSecretlint(root, files.slice(0, 20));
    const o = runOrchard(files);
    const s = await runSecretlint(root, files);
    const so = score(truth, o.hits);
    const ss = score(truth, s.hits);
    const safeTotal = truth.filter((t) => t.label === 'safe').length;
    console.log(`tree: ${files.length} files, ${mb.toFixed(2)} MB, ${so.total} labelled secret lines, ${safeTotal} labelled safe lines (node ${process.version})`);
    const head = ['tool', 'seconds', 'MB/s', 'recall', 'FP on safe lines', 'FP on other lines'];
    const rowsOut = [
      ['orchard', (o.ms / 1000).toFixed(2), (mb / (o.ms / 1000)).toFixed(2), `${so.found}/${so.total} (${((100 * so.found) / so.total).toFixed(1)}%)`, String(so.fpSafe), String(so.fpOther)],
      ['secretlint (preset-recommend)', (s.ms / 1000).toFixed(2), (mb / (s.ms / 1000)).toFixed(2), `${ss.found}/${ss.total} (${((100 * ss.found) / ss.total).toFixed(1)}%)`, String(ss.fpSafe), String(ss.fpOther)],
    ];
    const w = head.map((h, i) => Math.max(h.length, ...rowsOut.map((r) => r[i].length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
    console.log(line(head));
    console.log(`|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`);
    for (const r of rowsOut) console.log(line(r));
    console.log('\nrecall by planted kind (orchard / secretlint):');
    for (const [what, v] of [...so.byWhat].sort()) console.log(`  ${what.padEnd(28)} ${v.found}/${v.total}  ${ss.byWhat.get(what)?.found ?? 0}/${v.total}`);
    const fpKinds = new Set([...so.fpWhat.keys(), ...ss.fpWhat.keys()]);
    if (fpKinds.size) {
      console.log('\nfalse positives on safe lines by kind (orchard / secretlint):');
      for (const k of [...fpKinds].sort()) console.log(`  ${k.padEnd(28)} ${so.fpWhat.get(k) ?? 0}  ${ss.fpWhat.get(k) ?? 0}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
