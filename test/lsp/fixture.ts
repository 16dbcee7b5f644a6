// The example service's files and a seeded store: dev has everything, qa and prod lack some.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const EX = path.join(__dirname, '..', '..', 'examples', 'flask-service');

export const CANARY = 'CANARY-s3cr3t-7731-do-not-leak';
export const PLAIN_CANARY = 'plain-canary-5512';

export function exampleFiles(): Record<string, string> {
  return {
    'src/config.py': readFileSync(path.join(EX, 'src', 'config.py'), 'utf8'),
    'figgy/figgy.json': readFileSync(path.join(EX, 'figgy', 'figgy.json'), 'utf8'),
    'figgy/figgy-secrets.json': readFileSync(path.join(EX, 'figgy', 'figgy-secrets.json'), 'utf8'),
  };
}

const T = '/app/demo-service';
type Item = [string, string, 'String' | 'SecureString'];

export function exampleSeed(): Record<string, Item[]> {
  const all: Item[] = [
    [`${T}/secret-admirer`, CANARY, 'SecureString'],
    [`${T}/admired-person`, PLAIN_CANARY, 'String'],
    [`${T}/third-wheel`, 'wheel', 'String'],
    [`${T}/replicated/sql/user`, 'dbuser', 'SecureString'],
    [`${T}/replicated/sql/password`, `${CANARY}-pw`, 'SecureString'],
    [`${T}/replicated/sql/hostname`, 'db.internal', 'String'],
    [`${T}/replicated/sql/port`, '3306', 'String'],
    [`${T}/replicated/sql/db-name`, 'demo', 'String'],
    [`${T}/replicated/sql-connection`, `mysql://dbuser:${CANARY}@db.internal:3306/demo`, 'SecureString'],
    ['/shared/resources/dbs/fig-db/dns', 'db.internal', 'String'],
    ['/shared/resources/dbs/fig-db/port', '3306', 'String'],
    ['/shared/resources/dbs/fig-db/db-name', 'demo', 'String'],
    ['/dba/secrets/mysql/demo-service/user', 'dbuser', 'SecureString'],
    ['/dba/secrets/mysql/demo-service/password', `${CANARY}-pw`, 'SecureString'],
  ];
  const without = (...names: string[]) => all.filter(([n]) => !names.includes(n));
  return {
    dev: all,
    qa: without(`${T}/third-wheel`),
    prod: without(`${T}/third-wheel`, `${T}/secret-admirer`),
  };
}
