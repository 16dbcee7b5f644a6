// Seeds a local store for the real-editor tests: `dev` holds everything the example service
// declares, `qa` lacks two app parameters (so diagnostics appear). Secret values come from the
// environment (the runner's canaries) and are never printed.
// usage: ORCHARD_CANARY=... ORCHARD_PLAIN_CANARY=... node --import tsx seed-store.ts <store-dir>
import { openLocalStore } from '../../server/src/store/local';
import type { ParameterType } from '../../server/src/store/types';

const dir = process.argv[2];
const canary = process.env.ORCHARD_CANARY;
const plainCanary = process.env.ORCHARD_PLAIN_CANARY;
if (!dir || !canary || !plainCanary) {
  process.stderr.write('usage: ORCHARD_CANARY=... ORCHARD_PLAIN_CANARY=... seed-store.ts <dir>\n');
  process.exit(2);
}

const T = '/app/demo-service';
// Sources first: a replica written before its source would be reported stale.
const all: [string, string, ParameterType][] = [
  ['/shared/resources/dbs/fig-db/dns', 'db.internal', 'String'],
  ['/shared/resources/dbs/fig-db/port', '3306', 'String'],
  ['/shared/resources/dbs/fig-db/db-name', 'demo', 'String'],
  ['/dba/secrets/mysql/demo-service/user', 'demo_user', 'SecureString'],
  ['/dba/secrets/mysql/demo-service/password', canary, 'SecureString'],
  [`${T}/secret-admirer`, 'a-secret-admirer', 'SecureString'],
  [`${T}/admired-person`, plainCanary, 'String'],
  [`${T}/third-wheel`, 'nobody', 'String'],
  [`${T}/replicated/sql/user`, 'demo_user', 'SecureString'],
  [`${T}/replicated/sql/password`, canary, 'SecureString'],
  [`${T}/replicated/sql/hostname`, 'db.internal', 'String'],
  [`${T}/replicated/sql/port`, '3306', 'String'],
  [`${T}/replicated/sql/db-name`, 'demo', 'String'],
  [`${T}/replicated/sql-connection`, `mysql://demo_user:${canary}@db.internal:3306/demo`, 'SecureString'],
];
/** What qa lacks: the tests expect exactly these two to be reported missing there. */
export const QA_MISSING = [`${T}/third-wheel`, `${T}/secret-admirer`];

async function main(): Promise<void> {
  for (const env of ['dev', 'qa']) {
    const store = openLocalStore({ dir, env, user: 'seed' });
    for (const [name, value, type] of all) {
      if (env === 'qa' && QA_MISSING.includes(name)) continue;
      const r = await store.put({ name, value, type, overwrite: true, description: `seeded for the editor tests (${env})` });
      if (!r.ok) throw new Error(`seeding ${name} in ${env} failed: ${r.reason}`);
    }
    await store.dispose?.();
  }
  process.stdout.write(`seeded dev (${all.length}) and qa (${all.length - QA_MISSING.length}) in ${dir}\n`);
}
main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
