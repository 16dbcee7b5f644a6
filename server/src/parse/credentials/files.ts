// Which files are scanned and how: the kind of reader (YAML structure or line-wise), the CI
// flavor a file belongs to, lock files. Pure path arithmetic on URIs or relative paths.
import type { CiFlavor, CredentialFileKind } from './types';
import { decodePercent } from '../text';

function norm(uriOrPath: string): string {
  let p = uriOrPath.replace(/\\/g, '/');
  const q = p.search(/[?#]/);
  if (q >= 0 && /^[a-z]+:/.test(p)) p = p.slice(0, q);
  if (/^file:/.test(p)) p = decodePercent(p.replace(/^file:\/\//, ''));
  return p;
}

function base(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The CI system a file configures, from its path. */
export function inferCiFlavor(uriOrPath: string): CiFlavor | undefined {
  const p = norm(uriOrPath);
  const b = base(p);
  if (/^\.travis\.ya?ml$/.test(b)) return 'travis';
  if (/(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p)) return 'github';
  if (/^action\.ya?ml$/.test(b)) return 'github';
  if (/(?:^|\/)\.circleci\/[^/]+\.ya?ml$/.test(p)) return 'circleci';
  if (/(?:^|[./])gitlab-ci\.ya?ml$/.test(b)) return 'gitlab';
  if (/^bitbucket-pipelines\.ya?ml$/.test(b)) return 'bitbucket';
  if (/^buildspec[\w.-]*\.ya?ml$/.test(b)) return 'codebuild';
  if (/^appspec\.ya?ml$/.test(b)) return 'codedeploy';
  if (/^Jenkinsfile(?:[.-][\w.-]*)?$/.test(b) || /\.jenkinsfile$/i.test(b)) return 'jenkins';
  return undefined;
}

/** Lock files: generated, full of integrity hashes; only the specific credential shapes are looked for. */
const LOCK_FILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'poetry.lock', 'Pipfile.lock', 'pdm.lock',
  'uv.lock', 'Cargo.lock', 'go.sum', 'composer.lock', 'Gemfile.lock', 'mix.lock', 'pubspec.lock', 'packages.lock.json', 'flake.lock',
  'conda-lock.yml', 'gradle.lockfile', 'Podfile.lock',
]);

export function isLockFile(uriOrPath: string): boolean {
  return LOCK_FILES.has(base(norm(uriOrPath)));
}

/** Minified bundles (`zxcvbn.min.js`): vendored, one huge line; `a ? "…password" : "…"` reads as an assignment. */
const MINIFIED = /[.-]min\.(?:[cm]?js|css)$/i;
/** Code a generator wrote from a schema (`schemas.gen.ts`, `api_pb2.py`, `types.generated.ts`): its names are the schema's, not settings. */
const GENERATED = /(?:\.gen|[._]generated|_pb2(?:_grpc)?|\.pb)\.(?:[cm]?[jt]sx?|py|go)$/i;

/** Translation catalogs: the data files of a folder of them (`lang/`, `locales/`, `i18n/`, `intl/messages/`…). */
const CATALOG_DIR = /\/(?:langs?|locales?|i18n|l10n|intl|translations?|messages)\//i;
const CATALOG_FILE = /\.(?:json|ya?ml|properties|po|pot|arb|strings|xlf|xliff|toml|ini)$/i;

/**
 * A locale's code as a file's stem or a folder's name: `de`, `pt-BR`, `zh_Hans`, `en-US-posix`
 * (lnbits' `i18n/de.js`, Laravel's `lang/de/auth.php`).
 */
const LOCALE = /^(?:[a-z]{2}(?:[-_](?:[A-Za-z]{2}|[A-Za-z]{4}|\d{3}))?|[a-z]{3}[-_](?:[A-Za-z]{2}|[A-Za-z]{4}|\d{3}))(?:[-_][A-Za-z0-9]{2,8})?$/i;
const CODE_FILE = /\.(?:[cm]?js|[cm]?ts|py|php|rb)$/i;

/**
 * A translation catalog: its `invalid-current-password` keys hold messages (in any language), not
 * passwords. The data files of a catalog folder, and code there named after a locale (`i18n/de.js`
 * holding `{ password: 'Passwort' }`) or in a locale's folder (`lang/de/auth.php`); other code
 * there (`i18n/index.js`) keeps the name rules.
 */
export function isMessageCatalog(uriOrPath: string): boolean {
  const p = norm(uriOrPath);
  const dir = CATALOG_DIR.exec(p);
  if (!dir) return false;
  if (CATALOG_FILE.test(p)) return true;
  if (!CODE_FILE.test(p)) return false;
  const rest = p.slice(dir.index + dir[0].length).split('/');
  const stem = rest[rest.length - 1].replace(/\.[^.]*$/, '');
  return LOCALE.test(stem) || (rest.length > 1 && LOCALE.test(rest[rest.length - 2]));
}

/**
 * Files where only the specific credential shapes count, never the name rules: lock files and
 * minified bundles (generated), translation catalogs (messages).
 */
export function isGeneratedFile(uriOrPath: string): boolean {
  const b = base(norm(uriOrPath));
  return isLockFile(uriOrPath) || MINIFIED.test(b) || GENERATED.test(b) || isMessageCatalog(uriOrPath);
}

/** How to read a file for credentials, or undefined when Orchard does not scan it. */
/** `.env.patch`, `.env.gpg`, `.env.ts`: a diff, an encrypted file or code named after a .env, not one. */
const NOT_DOTENV = /\.(?:patch|diff|orig|rej|gpg|pgp|enc|age|asc|vault|swp|[cm]?js|jsx|[cm]?ts|tsx|py|go|json|md|sh|rb|php|java|toml|ini|lock|zip|gz)$/;

export function classifyCredentialFile(uriOrPath: string): { kind: CredentialFileKind; ciFlavor?: CiFlavor } | undefined {
  const p = norm(uriOrPath);
  const b = base(p);
  const ciFlavor = inferCiFlavor(p);
  if (ciFlavor === 'jenkins') return { kind: 'text', ciFlavor };
  const lower = b.toLowerCase();
  if (/\.ya?ml$/.test(lower)) return { kind: 'yaml', ciFlavor };
  if (lower === '.env' || (/^\.env[.\-_]/.test(lower) && !NOT_DOTENV.test(lower)) || /\.env$/.test(lower) || /^env\.(?:local|example|sample|dist)$/.test(lower)) return { kind: 'dotenv' };
  if (/\.(?:py|pyi)$/.test(lower)) return { kind: 'python' };
  if (/\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/.test(lower)) return { kind: 'js' };
  if (/\.go$/.test(lower)) return { kind: 'go' };
  if (/\.(?:sh|bash|zsh|ksh)$/.test(lower) || /^\.(?:bashrc|bash_profile|profile|zshrc|envrc)$/.test(lower)) return { kind: 'shell' };
  if (/\.(?:json|jsonc|json5)$/.test(lower)) return { kind: 'json' };
  if (/\.(?:ini|cfg|conf|properties)$/.test(lower) || /^\.(?:npmrc|pypirc|netrc|pgpass|s3cfg|gitconfig)$/.test(lower) || lower === 'credentials') return { kind: 'ini' };
  if (/\.toml$/.test(lower)) return { kind: 'toml' };
  if (/\.(?:groovy|gradle|tf|tfvars|hcl|rb|php|java|kt|kts|cs|scala|swift|rs|sql)$/.test(lower)) return { kind: 'code' };
  if (/^dockerfile(?:[.-][\w.-]*)?$/i.test(b) || /\.(?:xml|txt|md)$/.test(lower)) return { kind: 'text' };
  return undefined;
}
