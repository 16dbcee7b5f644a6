// `orchard demo`: the main job on a fresh machine. Seeds a new local store for the example service
// (dev complete, qa missing some parameters, prod missing more), then runs `orchard check` on it.
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { createStore } from '../store/factory';
import type { ParameterType } from '../store/types';
import { checkUncached } from './checkFull';
import { streamSink } from './sinks';
import { makePaint } from './format';

const TWIG = '/app/demo-service';

interface Seed {
  name: string;
  type: ParameterType;
  /** Non-secret values are fixed; secrets are random per run and never printed. */
  value: () => string;
  envs: string[];
}

const secret = () => randomBytes(12).toString('base64url');
const ALL = ['dev', 'qa', 'prod'];

/** What each environment holds: dev everything, qa lacks a few, prod lacks more. */
export const DEMO_SEEDS: Seed[] = [
  { name: `${TWIG}/admired-person`, type: 'String', value: () => 'Your Crush', envs: ALL },
  { name: `${TWIG}/secret-admirer`, type: 'SecureString', value: secret, envs: ['dev', 'qa'] },
  { name: `${TWIG}/third-wheel`, type: 'String', value: () => 'Jealous Jim', envs: ['dev'] },
  { name: '/dba/secrets/mysql/demo-service/user', type: 'SecureString', value: () => 'demo_app', envs: ALL },
  { name: '/dba/secrets/mysql/demo-service/password', type: 'SecureString', value: secret, envs: ALL },
  { name: `${TWIG}/replicated/sql/user`, type: 'SecureString', value: () => 'demo_app', envs: ['dev', 'qa'] },
  { name: `${TWIG}/replicated/sql/password`, type: 'SecureString', value: secret, envs: ['dev', 'qa'] },
  { name: '/shared/resources/dbs/fig-db/dns', type: 'String', value: () => 'fig-db.internal.example', envs: ALL },
  { name: '/shared/resources/dbs/fig-db/port', type: 'String', value: () => '3306', envs: ALL },
  { name: '/shared/resources/dbs/fig-db/db-name', type: 'String', value: () => 'figs', envs: ['dev', 'prod'] },
  { name: `${TWIG}/replicated/sql/hostname`, type: 'String', value: () => 'fig-db.internal.example', envs: ['dev', 'qa'] },
  { name: `${TWIG}/replicated/sql/port`, type: 'String', value: () => '3306', envs: ALL },
  { name: `${TWIG}/replicated/sql/db-name`, type: 'String', value: () => 'figs', envs: ['dev'] },
  { name: `${TWIG}/replicated/sql-connection`, type: 'SecureString', value: secret, envs: ['dev'] },
  // Left behind by a removed feature: nothing declares it any more.
  { name: `${TWIG}/old-feature-flag`, type: 'String', value: () => 'on', envs: ['qa'] },
];

export function findExample(given?: string): string {
  const candidates = given
    ? [path.resolve(given)]
    : [path.resolve(__dirname, '..', 'examples', 'flask-service'), path.resolve(__dirname, '..', '..', '..', 'examples', 'flask-service'), path.resolve('examples', 'flask-service')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`example service not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Seeds a local store in `dir` and writes an Orchard config that points dev/qa/prod at it. */
export async function seedDemoStore(dir: string): Promise<string> {
  // The demo creates its store explicitly (reads never create one).
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const env of ALL) {
    const store = createStore(env, { backend: 'local', dir });
    for (const s of DEMO_SEEDS.filter((x) => x.envs.includes(env))) {
      const r = await store.put({ name: s.name, value: s.value(), type: s.type, description: 'seeded by orchard demo', overwrite: false });
      if (!r.ok && r.reason === 'failed') throw new Error(`seeding ${env} failed: ${r.failure.message}`);
    }
    await store.dispose?.();
  }
  const configFile = path.join(dir, 'orchard-demo.config.json');
  const environments = Object.fromEntries(ALL.map((e) => [e, { backend: 'local', dir }]));
  writeFileSync(configFile, JSON.stringify({ environments, defaultEnvs: ALL }, null, 2));
  return configFile;
}

export async function runDemo(opts: { dir?: string; example?: string }): Promise<number> {
  const paint = makePaint(process.stdout);
  const example = findExample(opts.example);
  const dir = opts.dir ? path.resolve(opts.dir) : mkdtempSync(path.join(os.tmpdir(), 'orchard-demo-'));
  const config = await seedDemoStore(dir);
  const out = process.stdout;
  out.write(paint('bold', 'Orchard demo') + '\n');
  out.write(`example service: ${path.relative(process.cwd(), example) || example}\n`);
  out.write(`local store:     ${dir} (dev complete, qa and prod missing parameters; secrets encrypted, never shown)\n\n`);
  out.write(paint('bold', `$ orchard check ${path.relative(process.cwd(), example) || example} --env dev,qa,prod --matrix`) + '\n\n');
  await checkUncached(example, { env: 'dev,qa,prod', format: 'text', failOn: 'never', matrix: true, config, store: dir }, paint, streamSink(out));
  out.write(`\nTry: orchard sync ${path.relative(process.cwd(), example) || '.'} --env qa --plan --config ${config}\n`);
  return 0;
}
