// Entry of the language server bundle (`dist/server.js`): `--stdio` for any editor, `--node-ipc`
// for VS Code. Builds the Node runtime and hands over to startServer; nothing else lives here.
import { promises as fs } from 'node:fs';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { MAX_FILE_BYTES } from '../model/scan';
import { openLocalStore } from '../store/local';
import { startServer } from './server';
import { realTimers, type Logger, type ServerRuntime } from './runtime';
import type { OrchardSettings } from './protocol';
import type { ParameterStore } from '../store/types';
import { findConfigFiles } from './files';

/** The default backend: the embedded local store (directory from a machine-scoped setting or the user's data dir). */
export function defaultStoreFactory(env: string, settings: OrchardSettings): ParameterStore {
  return openLocalStore({ env, dir: typeof settings.localStoreDir === 'string' && settings.localStoreDir ? settings.localStoreDir : undefined });
}

export async function readFileLimited(p: string): Promise<string | undefined> {
  try {
    const st = await fs.stat(p);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    return await fs.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}

function main(): void {
  const connection = createConnection(ProposedFeatures.all);
  // Logs go to the client's output channel (window/logMessage); callers never pass values.
  const logger: Logger = {
    error: (m) => connection.console.error(m),
    warn: (m) => connection.console.warn(m),
    info: (m) => connection.console.info(m),
    debug: (m) => connection.console.log(m),
  };
  const runtime: ServerRuntime = {
    timers: realTimers,
    readFile: readFileLimited,
    findConfigFiles,
    createStore: defaultStoreFactory,
    logger,
  };
  startServer(connection, runtime);
  connection.listen();
}

if (require.main === module) main();
