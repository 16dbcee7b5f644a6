// Where a compose service builds from: its `build` context and Dockerfile as uris. Compose
// interpolates both from the shell's environment before it resolves them, so a path may say
// `context: $PWD` / `dockerfile: $PWD/deploy/all-in-one/Dockerfile` (baserow) or
// `context: ${APP_DIR:-.}`. A default is taken as written; `$PWD` is the folder compose is run
// from, which the files tell: the compose file's folder or the nearest folder above it from which
// the Dockerfile exists. Any other variable (or a `$PWD` no folder makes sense of) leaves the
// build unknown: no app is made of a folder named after a variable. An `env_file` path is
// interpolated the same way (`env.d/development/${DB_HOST:-postgresql}`, richie), with what the
// project folder's `.env` sets, as compose reads it.
import type { ComposeModel, ComposeService, DotenvModel } from '../parse/envTypes';
import { dirOf } from './uris';

export interface ServiceBuild {
  /** The build context folder (uri, no trailing slash). */
  context: string;
  /** The Dockerfile compose reads (uri). */
  dockerfile: string;
  /** The Dockerfile's folder relative to the context when inside it (`frontend`), '' for the context itself; undefined when outside it or absolute. */
  dockerfileDir?: string;
}

/** How many folders above the compose file's `$PWD` may be (a compose file in deploy/all-in-one/ run from the repository's root). */
const MAX_PWD_LEVELS = 6;

/** Resolves a folder path relative to a folder uri (no trailing slash); the folder itself when the path cannot be a URL. */
export function resolveFolder(folder: string, rel: string): string {
  try {
    const u = new URL(rel.endsWith('/') ? rel : `${rel}/`, folder.endsWith('/') ? folder : `${folder}/`);
    return u.href.replace(/\/+$/, '');
  } catch {
    return folder;
  }
}

/** Resolves a file path relative to a folder uri. */
export function resolveFile(folder: string, rel: string): string {
  try {
    return new URL(rel, folder.endsWith('/') ? folder : `${folder}/`).href;
  } catch {
    return `${folder}/${rel}`;
  }
}

/** The variables compose interpolates with, as far as the files tell: the project folder's `.env`. */
export type ComposeVars = (name: string) => string | undefined;

/**
 * A path with compose's interpolations filled in: `$$` is a `$`, a variable `vars` knows its value
 * (`${X:-d}` only when not empty), `${X:-d}` / `${X-d}` otherwise their default, `$PWD` / `${PWD}`
 * the uri `pwd` (when given). Undefined when any other variable remains.
 */
function interpolate(value: string, pwd: string | undefined, vars?: ComposeVars): string | undefined {
  let unknown = false;
  const out = value.replace(/\$(?:\$|\{(\w+)(?:(:?)-([^${}]*))?\}|(\w+))/g, (all, braced: string | undefined, colon: string | undefined, dflt: string | undefined, bare: string | undefined) => {
    if (all === '$$') return '$';
    const name = braced ?? bare;
    const set = name !== undefined && name !== 'PWD' ? vars?.(name) : undefined;
    if (set !== undefined && !(colon && set === '')) return set;
    if (dflt !== undefined) return dflt;
    if (name === 'PWD' && pwd !== undefined) return pwd;
    unknown = true;
    return all;
  });
  return unknown ? undefined : out;
}

/** The build of `s` (which has a build context), its paths read from `dir`; `exists` tells which Dockerfiles are there. */
export function serviceBuild(dir: string, s: ComposeService, exists: (uri: string) => boolean): ServiceBuild | undefined {
  const ctxRaw = s.buildContext?.value ?? '.';
  const dfRaw = s.dockerfile?.value ?? 'Dockerfile';
  const at = (pwd: string | undefined): ServiceBuild | undefined => {
    const ctx = ctxRaw.includes('$') ? interpolate(ctxRaw, pwd) : ctxRaw;
    const df = dfRaw.includes('$') ? interpolate(dfRaw, pwd) : dfRaw;
    if (ctx === undefined || df === undefined) return undefined;
    const context = resolveFolder(dir, ctx);
    const dockerfile = resolveFile(context, df);
    const inside = dockerfile.startsWith(`${context}/`) ? dockerfile.slice(context.length + 1) : undefined;
    const dockerfileDir = inside === undefined || df.startsWith('/') ? undefined : inside.includes('/') ? inside.slice(0, inside.lastIndexOf('/')) : '';
    return { context, dockerfile, dockerfileDir };
  };
  if (!/\$\{?PWD\b/.test(ctxRaw + dfRaw)) return at(undefined);
  for (let d = dir, level = 0; level <= MAX_PWD_LEVELS && d.length > 'file://'.length; d = dirOf(d), level++) {
    const b = at(d);
    if (b && exists(b.dockerfile)) return b;
  }
  return undefined;
}

/**
 * The file an `env_file` entry names, read from `dir` (the uri of the folder its paths start
 * from), with compose's interpolations filled in; undefined when it names a variable whose value
 * Orchard cannot tell (`env.d/${ENV_FILE}`): which file that is, is unknown, not missing.
 */
export function envFileTarget(dir: string, raw: string, vars?: ComposeVars): string | undefined {
  const rel = raw.includes('$') ? interpolate(raw, dir, vars) : raw;
  return rel === undefined ? undefined : resolveFile(dir, rel);
}

/**
 * The files the compose files' `env_file` entries name, from each compose file's own folder (where
 * `docker compose` run beside it reads them): the scan reads those that no convention names
 * (lemur's `docker/lemur-env`) as `.env` files, as compose does.
 */
export function composeEnvFiles(compose: readonly ComposeModel[], dotenv: readonly DotenvModel[] = []): Set<string> {
  const out = new Set<string>();
  const byUri = new Map(dotenv.map((m) => [m.uri, m]));
  for (const c of compose) {
    const dir = dirOf(c.uri);
    const vars = composeVars(dir, byUri);
    for (const s of c.services) {
      for (const ef of s.envFiles) {
        const t = envFileTarget(dir, ef.value, vars);
        if (t?.startsWith('file:')) out.add(t);
      }
    }
  }
  return out;
}

/** Each `.env` model's values for interpolation, made once (every env_file entry of every service asks). */
const varsOf = new WeakMap<DotenvModel, ComposeVars>();

/** What the `.env` of a compose project's folder (`dir`, a uri) sets, for interpolation; undefined without one. */
export function composeVars(dir: string, dotenvByUri: ReadonlyMap<string, DotenvModel>): ComposeVars | undefined {
  const m = dotenvByUri.get(`${dir}/.env`);
  if (!m || m.entries.length === 0) return undefined;
  let vars = varsOf.get(m);
  if (!vars) {
    const last = new Map(m.entries.map((e) => [e.key, e.value]));
    varsOf.set(m, (vars = (name) => last.get(name) ?? undefined));
  }
  return vars;
}
