// `orchard store init`: creating a local store is an explicit act. Reads never create one, so a
// mistyped `--store` is reported as "no local store at ..." instead of looking like an empty store.
import { LocalStore } from '../store/local';
import { loadCliConfig, parseEnvList, envConfigFor, warnOnce, type GlobalOptions } from './context';

export async function runStoreInit(opts: GlobalOptions & { env?: string }): Promise<number> {
  const cfg = loadCliConfig(opts);
  const envs = parseEnvList(opts.env, cfg);
  // One store folder may serve several environments: initialise each folder once.
  const dirs = new Map<string, string[]>();
  for (const env of envs) {
    const c = envConfigFor(cfg, env, opts);
    if (c.backend !== 'local') continue;
    const store = new LocalStore({ env, dir: c.dir, onWarning: warnOnce });
    dirs.set(store.dir, [...(dirs.get(store.dir) ?? []), env]);
  }
  if (dirs.size === 0) {
    process.stdout.write('no environment uses the local store; nothing to create\n');
    return 0;
  }
  let code = 0;
  for (const [dir, forEnvs] of dirs) {
    const r = await new LocalStore({ env: forEnvs[0], dir, onWarning: warnOnce }).init();
    if (!r.ok) {
      process.stderr.write(`orchard: cannot create the local store at ${dir}: ${r.failure.message}\n`);
      code = 2;
    } else process.stdout.write(`${r.created ? 'created' : 'already there:'} local store ${dir} (${forEnvs.join(', ')})\n`);
  }
  return code;
}
