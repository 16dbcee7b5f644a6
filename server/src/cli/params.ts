// Parameter commands: ls, get, put, delete, history, whoami. Values are redacted unless --reveal.
import { validateParameterName } from '../parse/paths';
import { replicationSources } from '../analysis/engine';
import { secretEntries } from '../model/decls';
import type { ParameterMeta, ParameterStore, StoreFailure } from '../store/types';
import { UsageError, importFolders, loadCliConfig, openStores, parseEnvList, type GlobalOptions } from './context';
import { loadWorkspace } from './workspace';
import { REDACTED, makePaint, table } from './format';
import { prompts } from './ask';
import { LIMITS, readRegularFile, readStreamCapped } from '../fsread';

interface EnvOpt extends GlobalOptions {
  env: string;
}

function failureLine(env: string, f: StoreFailure): string {
  return `orchard: ${env}: ${f.message}${f.hint ? ` (try: ${f.hint})` : ''}`;
}

/** Opens the single environment a parameter command works on, and always closes it. */
async function withStore<T>(opts: EnvOpt, fn: (store: ParameterStore) => Promise<T>): Promise<T> {
  const cfg = loadCliConfig(opts);
  const envs = parseEnvList(opts.env, cfg);
  if (envs.length !== 1) throw new UsageError('this command works on one environment: --env <env>');
  const store = openStores(cfg, envs, opts).get(envs[0])!;
  try {
    return await fn(store);
  } finally {
    await store.dispose?.();
  }
}

function checkName(name: string): void {
  const why = validateParameterName(name);
  if (why) throw new UsageError(`invalid parameter name "${name}": ${why}`);
}

function metaRow(m: ParameterMeta): string[] {
  return [m.name, m.type, String(m.version), m.lastModified.replace(/\.\d+Z$/, 'Z'), m.lastModifiedBy ?? ''];
}

export async function runLs(opts: EnvOpt & { prefix: string }): Promise<number> {
  return withStore(opts, async (store) => {
    const r = await store.list(opts.prefix);
    const paint = makePaint(process.stdout);
    if (r.parameters.length) {
      const rows = [['name', 'type', 'version', 'last modified', 'by'], ...r.parameters.sort((a, b) => a.name.localeCompare(b.name)).map(metaRow)];
      process.stdout.write(table(rows, paint) + '\n');
    } else if (!r.failure) process.stdout.write(`no parameters under ${opts.prefix} in ${store.env}\n`);
    if (r.failure) {
      process.stderr.write(failureLine(store.env, r.failure) + (r.parameters.length ? ' — the list above is incomplete' : '') + '\n');
      return 2;
    }
    return 0;
  });
}

export async function runGet(name: string, opts: EnvOpt & { reveal?: boolean }): Promise<number> {
  checkName(name);
  return withStore(opts, async (store) => {
    // Decrypt only on an explicit reveal: a redacted answer never needs the plaintext.
    const r = (await store.getValues([name], { decrypt: Boolean(opts.reveal) })).get(name);
    if (!r || r.state === 'missing') {
      process.stderr.write(`orchard: ${name} does not exist in ${store.env}\n`);
      return 1;
    }
    if (r.state === 'unknown') {
      process.stderr.write(failureLine(store.env, r.failure) + '\n');
      return 2;
    }
    const m = r.value.meta;
    const shown = opts.reveal ? r.value.value ?? '' : REDACTED;
    const lines = [
      `name:          ${m.name}`,
      `environment:   ${store.env}`,
      `type:          ${m.type}`,
      `version:       ${m.version}`,
      `last modified: ${m.lastModified}${m.lastModifiedBy ? ` by ${m.lastModifiedBy}` : ''}`,
      ...(m.description ? [`description:   ${m.description}`] : []),
      `value:         ${shown}${opts.reveal ? '' : '  (use --reveal to show)'}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  });
}

async function readValue(opts: { valueFile?: string; secure?: boolean }, name: string): Promise<string> {
  if (opts.valueFile) {
    const text = opts.valueFile === '-' ? await readStdin() : await readValueFile(opts.valueFile);
    return text.replace(/\r?\n$/, '');
  }
  if (!process.stdin.isTTY) return (await readStdin()).replace(/\r?\n$/, '');
  return prompts().password({ message: `value for ${name}${opts.secure ? ' (secret)' : ''}:`, mask: '•' });
}

/** A value file: a regular file of at most LIMITS.value bytes (a FIFO or /dev/urandom is refused). */
async function readValueFile(file: string): Promise<string> {
  const r = await readRegularFile(file, { maxBytes: LIMITS.value });
  if (!r.ok) throw new UsageError(`cannot read --value-file ${file}: ${r.message}`);
  return r.text;
}

/** Standard input, explicitly chosen (`-`) or piped, up to LIMITS.value bytes. */
async function readStdin(): Promise<string> {
  const r = await readStreamCapped(process.stdin, LIMITS.value);
  if (!r.ok) throw new UsageError(`cannot read the value from standard input: ${r.message}`);
  return r.text;
}

export async function runPut(
  name: string,
  opts: EnvOpt & { secure?: boolean; description?: string; valueFile?: string; overwrite?: boolean; yes?: boolean },
): Promise<number> {
  checkName(name);
  return withStore(opts, async (store) => {
    const value = await readValue(opts, name);
    if (value.length === 0) {
      throw new UsageError(
        !opts.valueFile && !process.stdin.isTTY
          ? 'no value given: without a terminal, pipe the value on standard input or pass --value-file FILE (--value-file - reads standard input)'
          : 'refusing to store an empty value',
      );
    }
    const type = opts.secure ? 'SecureString' : 'String';
    let overwrite = false;
    if (opts.overwrite) {
      if (!opts.yes) {
        if (!process.stdin.isTTY) throw new UsageError('--overwrite needs --yes when there is no terminal to confirm on');
        overwrite = await prompts().confirm({ message: `${name} may already exist in ${store.env}. Replace it?`, default: false });
        if (!overwrite) {
          process.stdout.write('nothing changed\n');
          return 1;
        }
      } else overwrite = true;
    }
    const r = await store.put({ name, value, type, description: opts.description, overwrite });
    if (r.ok) {
      process.stdout.write(`${name} stored in ${store.env} as ${type}, version ${r.version}\n`);
      return 0;
    }
    if (r.reason === 'exists') {
      process.stderr.write(`orchard: ${name} already exists in ${store.env}; nothing changed (use --overwrite to replace it)\n`);
      return 1;
    }
    process.stderr.write(failureLine(store.env, r.failure) + '\n');
    return 2;
  });
}

/** Declared destinations of `name` as a replication source, across the workspace. */
export async function destinationsOf(name: string, workspace: string, allowImportsFrom: string[] = []): Promise<string[]> {
  const ws = await loadWorkspace(workspace, { allowImportsFrom });
  const out: string[] = [];
  for (const s of ws.services) {
    if (!replicationSources(s).includes(name)) continue;
    for (const p of s.expected.values()) if (p.source === name) out.push(p.path);
    for (const e of secretEntries(s)) if (e.sourcePath === name && e.destPath) out.push(e.destPath);
  }
  return [...new Set(out)].sort();
}

export async function runDelete(name: string, opts: EnvOpt & { workspace: string; yes?: boolean }): Promise<number> {
  checkName(name);
  const dests = await destinationsOf(name, opts.workspace, importFolders(loadCliConfig(opts), opts));
  if (dests.length) {
    process.stderr.write(`orchard: refusing to delete ${name}: it is the replication source of ${dests.join(', ')}\n`);
    return 1;
  }
  return withStore(opts, async (store) => {
    if (!opts.yes) {
      if (!process.stdin.isTTY) throw new UsageError('delete needs --yes when there is no terminal to confirm on');
      if (!(await prompts().confirm({ message: `Delete ${name} from ${store.env}?`, default: false }))) {
        process.stdout.write('nothing deleted\n');
        return 1;
      }
    }
    const r = await store.delete(name);
    if (r.ok) {
      process.stdout.write(`${name} deleted from ${store.env}\n`);
      return 0;
    }
    if (r.reason === 'missing') {
      process.stderr.write(`orchard: ${name} does not exist in ${store.env}\n`);
      return 1;
    }
    process.stderr.write(failureLine(store.env, r.failure) + '\n');
    return 2;
  });
}

export async function runHistory(name: string, opts: EnvOpt & { reveal?: boolean }): Promise<number> {
  checkName(name);
  return withStore(opts, async (store) => {
    const r = await store.history(name, { decrypt: Boolean(opts.reveal) });
    if (r.state === 'missing') {
      process.stderr.write(`orchard: ${name} has no history in ${store.env}\n`);
      return 1;
    }
    if (r.state === 'unknown') {
      process.stderr.write(failureLine(store.env, r.failure) + '\n');
      return 2;
    }
    const rows = [['version', 'type', 'modified', 'by', 'value'], ...[...r.value].sort((a, b) => b.version - a.version).map((h) => [
      String(h.version),
      h.type,
      h.lastModified.replace(/\.\d+Z$/, 'Z'),
      h.lastModifiedBy ?? '',
      h.deleted ? '(deleted)' : opts.reveal ? h.value ?? '' : REDACTED,
    ])];
    process.stdout.write(table(rows, makePaint(process.stdout)) + '\n');
    return 0;
  });
}

export async function runWhoami(opts: GlobalOptions & { env?: string }): Promise<number> {
  const cfg = loadCliConfig(opts);
  const envs = parseEnvList(opts.env, cfg);
  const stores = openStores(cfg, envs, opts);
  let code = 0;
  try {
    const rows = [['environment', 'backend', 'identity', 'account']];
    for (const [env, store] of stores) {
      const r = await store.identity();
      if (r.state === 'found') rows.push([env, store.kind, r.value.id, r.value.account ?? '']);
      else {
        rows.push([env, store.kind, r.state === 'unknown' ? `unknown: ${r.failure.message}` : 'unknown', '']);
        if (r.state === 'unknown' && r.failure.hint) process.stderr.write(failureLine(env, r.failure) + '\n');
        code = 2;
      }
    }
    process.stdout.write(table(rows, makePaint(process.stdout)) + '\n');
  } finally {
    await Promise.all([...stores.values()].map((s) => s.dispose?.()));
  }
  return code;
}
