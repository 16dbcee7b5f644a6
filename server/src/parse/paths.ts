// Name arithmetic exactly as figgy-lib and figgy-cli do it, plus AWS's own name rules.
// Pure functions; every layer uses these so a path is computed in one place only.
import { sharedName } from './text';

/** figgy-lib / figgy-cli: a name that already starts with the twig is kept, otherwise it is put under it. */
export function fullPath(twig: string, name: string): string {
  if (name.startsWith(twig)) return name;
  return `${twig.replace(/\/+$/, '')}/${name.replace(/^\/+/, '')}`;
}

/**
 * figgy-cli's namespace for a figgy.json twig (as written): the twig with a trailing `/` added when
 * it has none (Utils.get_namespace). Nothing else is normalised.
 */
export function cliNamespace(twig: string): string {
  return twig.endsWith('/') ? twig : `${twig}/`;
}

/**
 * figgy-cli's app_figs / shared_figs standardisation (Utils.standardize_parameters): a name that
 * starts with the namespace is kept; otherwise one leading `/` is dropped and the namespace put in
 * front. So `/app/svc` under namespace `/app/svc/` becomes `/app/svc/app/svc`, and `//a` becomes
 * `/app/svc//a` (figgy-lib strips every leading `/` instead).
 */
export function cliStandardize(namespace: string, name: string): string {
  if (name.startsWith(namespace)) return name;
  return namespace + (name.startsWith('/') ? name.slice(1) : name);
}

/** figgy-cli's KeyUtils.sanitize: every `${`, `}` and `:uri` removed from a merged_figs element. */
export function cliSanitize(element: string): string {
  return element.split('${').join('').split('}').join('').split(':uri').join('');
}

// figgy-cli's `\${([\w/-]+)}` over a single-string merged value (Python's \w is Unicode-aware).
const CLI_STRING_REF = /\$\{([\p{L}\p{N}_/-]+)\}/gu;

/** The references figgy-cli finds in a single-string merged value (`:uri` ones and `.` in names do not match). */
export function cliStringRefs(value: string): string[] {
  return [...value.matchAll(CLI_STRING_REF)].map((m) => m[1]);
}

/** Normalised twig: leading `/`, no trailing `/`. */
export function normaliseTwig(twig: string): string {
  const t = twig.replace(/\/+$/, '');
  return t.startsWith('/') ? t : `/${t}`;
}

/** True when `path` is the twig itself or below it. */
export function isUnderTwig(twig: string, path: string): boolean {
  const t = normaliseTwig(twig);
  return path === t || path.startsWith(`${t}/`);
}

/**
 * figgy-lib's environment-override variable: the name as written (without the twig), `/` and `-`
 * replaced by `_`, upper-cased, leading/trailing `_` stripped. `replicated/sql/user` → `REPLICATED_SQL_USER`.
 */
export function envOverrideName(twig: string | undefined, name: string): string {
  let n = name;
  if (twig && n.startsWith(twig)) n = n.slice(twig.length);
  return sharedName(n.replace(/[/-]/g, '_').toUpperCase().replace(/^_+|_+$/g, ''));
}

/** The service namespace root (`/app/<service>`) taken from a path, when it has that shape. */
export function serviceRootOf(path: string): string | undefined {
  const m = /^(\/app\/[A-Za-z0-9_-]+)\//.exec(path);
  return m?.[1];
}

/** Merge reference text as Figgy writes it in a MergeFig pattern / merged_figs list. */
export function mergeRef(path: string, uri: boolean): string {
  return uri ? `\${${path}:uri}` : `\${${path}}`;
}

/** Parses `${/path}` / `${/path:uri}`; anything else is a literal. */
export function parseMergeRef(text: string): { path: string; uri: boolean } | undefined {
  const m = /^\$\{([^}:]+)(:uri)?\}$/.exec(text);
  return m ? { path: m[1], uri: Boolean(m[2]) } : undefined;
}

export const MAX_NAME_LENGTH = 1011;
export const MAX_DEPTH = 15;

/**
 * AWS Parameter Store's name rules, checked before any write (moto does not enforce them all).
 * Returns a reason when the name is invalid, undefined when it is fine.
 */
export function validateParameterName(name: string): string | undefined {
  if (name.length === 0) return 'a parameter name cannot be empty';
  if (name.length > MAX_NAME_LENGTH) return `a parameter name may have at most ${MAX_NAME_LENGTH} characters (this one has ${name.length})`;
  if (!/^[A-Za-z0-9_.\-/]+$/.test(name)) {
    return 'a parameter name may contain only letters, digits and the symbols . - _ /';
  }
  if (name.includes('//')) return 'a parameter name cannot contain an empty path segment ("//")';
  if (name.includes('/') && !name.startsWith('/')) return 'a hierarchical parameter name must start with "/"';
  if (name.endsWith('/')) return 'a parameter name cannot end with "/"';
  const first = name.replace(/^\//, '').split('/')[0].toLowerCase();
  if (first.startsWith('aws') || first.startsWith('ssm')) {
    return 'a parameter name cannot start with "aws" or "ssm" (reserved by AWS, any case)';
  }
  const depth = name.split('/').filter(Boolean).length;
  if (depth > MAX_DEPTH) return `a parameter name may have at most ${MAX_DEPTH} levels of hierarchy (this one has ${depth})`;
  return undefined;
}
