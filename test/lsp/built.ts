// Starts the BUILT language server (dist/server.js) over stdio as an editor would: a private config
// home, the store folder from the environment, `initialize` + `initialized` sent for one folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver/node';

export const BUNDLE = path.join(__dirname, '..', '..', 'dist', 'server.js');

export interface BuiltServer {
  conn: ProtocolConnection;
  child: ChildProcess;
  /** window/logMessage messages so far. */
  logs: string[];
  stderr(): string;
  /** The server's answer to `initialize`. */
  init: { serverInfo?: { name: string } };
  /** shutdown + exit, then kills the process if it is still there. */
  close(): Promise<void>;
}

export interface BuiltOptions {
  /** Temp folder for the config and data homes. */
  base: string;
  /** The workspace folder. */
  root: string;
  storeDir: string;
  env?: Record<string, string>;
  /** Announce pull diagnostics (as VS Code does); default push only. */
  pull?: boolean;
  /** Called after the handlers are set and before `initialize` (extra notifications to listen to). */
  listen?(conn: ProtocolConnection): void;
}

export async function startBuilt(opts: BuiltOptions): Promise<BuiltServer> {
  if (!existsSync(BUNDLE)) throw new Error('dist/server.js missing: run `npm run build` first');
  const { base, root, storeDir } = opts;
  // The store folder comes from the user's environment: settings from the client cannot choose it.
  const child = spawn(process.execPath, [BUNDLE, '--stdio'], {
    env: { ...process.env, XDG_CONFIG_HOME: path.join(base, 'config'), XDG_DATA_HOME: path.join(base, 'data'), ORCHARD_CONFIG: '', ORCHARD_STORE_DIR: storeDir, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const settings = { environments: ['dev', 'qa', 'prod'], refreshInterval: 0 };
  const logs: string[] = [];
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification('window/logMessage', (m: { message: string }) => void logs.push(m.message));
  opts.listen?.(conn);
  conn.listen();
  const close = async () => {
    try {
      if (child.exitCode === null) {
        await conn.sendRequest('shutdown');
        const exited = new Promise((r) => child.once('exit', r));
        await conn.sendNotification('exit').catch(() => undefined);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
    } finally {
      conn.dispose();
      if (child.exitCode === null) child.kill();
    }
  };
  let init: BuiltServer['init'];
  try {
    const rootUri = pathToFileURL(root).href;
    init = await conn.sendRequest('initialize', {
      processId: null,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'ws' }],
      capabilities: { workspace: { configuration: true }, textDocument: opts.pull ? { diagnostic: { dynamicRegistration: false } } : {} },
      initializationOptions: { workspaceTrusted: true },
    });
    conn.sendNotification('initialized', {});
  } catch (e) {
    conn.dispose();
    child.kill();
    throw e;
  }
  return { conn, child, logs, stderr: () => stderr, init, close };
}
