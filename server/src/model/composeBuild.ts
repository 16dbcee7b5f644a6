// Where a compose service builds from: its `build` context and Dockerfile as uris. Compose
// interpolates both from the shell's environment before it resolves them, so a path may say
// `context: $PWD` / `dockerfile: $PWD/deploy/all-in-one/Dockerfile` (baserow) or
// `context: ${APP_DIR:-.}`. A default is taken as written; `$PWD` is the folder compose is run
// from, which the files tell: the compose file's folder or the nearest folder above it from which
// the Dockerfile exists. Any other variable (or a `$PWD` no folder makes sense of) leaves the
// build unknown: no app is made of a folder named after a variable.
import type { ComposeService } from '../parse/envTypes';
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

/**
 * A path with compose's interpolations filled in: `$$` is a `$`, `${X:-d}` / `${X-d}` their
 * default, `$PWD` / `${PWD}` the uri `pwd` (when given). Undefined when any other variable remains.
 */
function interpolate(value: string, pwd: string | undefined): string | undefined {
  let unknown = false;
  const out = value.replace(/\$(?:\$|\{(\w+)(?::?-([^${}]*))?\}|(\w+))/g, (all, braced: string | undefined, dflt: string | undefined, bare: string | undefined) => {
    if (all === '$$') return '$';
    const name = braced ?? bare;
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
