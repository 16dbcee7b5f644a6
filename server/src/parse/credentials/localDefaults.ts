// Values that are a local setup's defaults rather than secrets: a container's password that repeats
// its user or database name, a CI job's URL to its own service container, a value several
// harmless keys share. Split from scan.ts, which calls these on every file's assignments.
import type { Assignment, Candidate } from './types';
import { classifyName } from './names';
import { decodePercent } from '../text';
import { madeFromUser } from './values';

/** Environments of CI service containers (test databases started for one job). */
export const SERVICE_CONTEXTS = new Set(['github-services-env', 'circleci-docker-environment']);

/** `POSTGRES_USER` / `POSTGRES_PASSWORD`, `RABBITMQ_DEFAULT_USER` / `…_PASS`. */
const USER_KEY = /(?:^|[-_.])(?:user|username|user_name|login)$/i;
/** A container's database name (`POSTGRES_DB`, `MYSQL_DATABASE`): a password equal to it is the same kind of local default as one equal to the user. */
const DB_NAME_KEY = /(?:^|[-_.])(?:db|database|db_name|dbname)$/i;
const PASSWORD_KEY = /(?:^|[-_.])(?:password|passwd|pass|pwd)$/i;
/** Environments of containers started for development or one CI job (compose, CI service containers). */
const CONTAINER_CONTEXTS = new Set(['compose-environment', ...SERVICE_CONTEXTS]);

/** Scripts (a CI job's too) and env files, where a password made from the user name is a local default as in a container's environment. */
const LOCAL_CONTEXTS = new Set(['shell', 'dotenv', 'github-run', 'travis-script', 'circleci-run', 'gitlab-script', 'bitbucket-script', 'codebuild-commands']);
/** A CI job's or step's own environment (not a service container's). */
const CI_ENV_CONTEXT = /^(?:github|travis|circleci|gitlab|bitbucket|codebuild)-(?:[a-z]+-)*(?:env|environment|variables)(?:-[a-z]+)?$/;

/** Values of the user-name and database-name keys of the file's container environments, and of the password keys of its CI service containers. */
export interface ContainerValues {
  /** The user names and database names of the file's containers. */
  localNames: Set<string>;
  servicePasswords: Set<string>;
}

export function containerValues(assignments: Assignment[]): ContainerValues {
  const localNames = new Set<string>();
  const servicePasswords = new Set<string>();
  for (const a of assignments) {
    if ((CONTAINER_CONTEXTS.has(a.context) || LOCAL_CONTEXTS.has(a.context)) && (USER_KEY.test(a.key) || DB_NAME_KEY.test(a.key))) localNames.add(a.value.trim());
    if (SERVICE_CONTEXTS.has(a.context) && PASSWORD_KEY.test(a.key)) servicePasswords.add(a.value.trim());
  }
  return { localNames, servicePasswords };
}

/**
 * A local container's default: in a container's environment, the password is a user name of the
 * file's containers again (`POSTGRES_USER=app` beside `POSTGRES_PASSWORD=app`,
 * `MARIADB_ROOT_PASSWORD=app`) or its database's name (`POSTGRES_DB: dispatch` beside
 * `POSTGRES_PASSWORD: dispatch`), as url-password treats `app:app@`; in a CI job's own environment,
 * the same, or the password of one of the file's service containers (the job connects to its own
 * throwaway database, netbox's `POSTGRES_PASSWORD: netbox`). Elsewhere (a Helm chart's values are
 * deployed) it still counts.
 */
export function repeatsUser(a: Assignment, v: string, known: () => ContainerValues): boolean {
  if (!PASSWORD_KEY.test(a.key)) return false;
  const fromLocalName = () => [...known().localNames].some((u) => madeFromUser(v, u));
  // Also a shell script's (`docker run -e POSTGRES_USER=app -e POSTGRES_PASSWORD=app`, `export DB_USER=app`)
  // and an env file's (`POSTGRES_USER=hello_django` / `POSTGRES_PASSWORD=hello_django`, a container's env_file).
  if (CONTAINER_CONTEXTS.has(a.context) || LOCAL_CONTEXTS.has(a.context)) return fromLocalName();
  if (CI_ENV_CONTEXT.test(a.context)) return fromLocalName() || known().servicePasswords.has(v);
  return false;
}

/**
 * A URL to one of the file's CI service containers, with that container's password
 * (`postgresql://postgres:ihatemoney@localhost:5432/…` beside the service's `POSTGRES_PASSWORD:
 * ihatemoney`): the job's throwaway database, reported (or not) where the password is set.
 */
export function dropServiceUrls(assignments: Assignment[], cands: Candidate[], containers: () => ContainerValues): void {
  if (!cands.some((c) => c.rule === 'url-password') || !assignments.some((a) => SERVICE_CONTEXTS.has(a.context))) return;
  const { servicePasswords } = containers();
  for (let i = cands.length - 1; i >= 0; i--) {
    const c = cands[i];
    if (c.rule === 'url-password' && (servicePasswords.has(c.secret) || servicePasswords.has(decodePercent(c.secret)))) cands.splice(i, 1);
  }
}

/**
 * How many keys that hold no secret (and name no user) have each value. A value also given to two
 * such keys is a label, a group or a mode (pretalx's `"smtp_password": "mail_settings"` beside
 * `"smtp_host": "mail_settings"`), not a password.
 */
export function sharedValues(assignments: Assignment[]): Map<string, number> {
  const count = new Map<string, number>();
  for (const a of assignments) {
    const v = a.value.trim();
    // (Nor a name that only looks harmless: `PGPASSWORD`, `REDISCLI_AUTH` hold the password too.)
    if (v.length < 3 || classifyName(a.key) || USER_KEY.test(a.key) || /pass|pwd|auth|secret|token|key|cred/i.test(a.key)) continue;
    count.set(v, (count.get(v) ?? 0) + 1);
  }
  return count;
}
