// Test harness for moto_server: a free loopback port, its own process group, readiness probe,
// reset between tests, and a kill by PID at the end (also when the test process dies).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';

export interface Moto {
  endpoint: string;
  port: number;
  pid: number;
  /** True when DescribeParameters honours MaxResults (our launcher); stock moto pages by 10. */
  patchedPaging: boolean;
  pageSize: number;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function pythonCandidates(): string[] {
  return [process.env.ORCHARD_MOTO_PYTHON, 'python3', 'python'].filter(Boolean) as string[];
}

async function waitReady(port: number, child: ChildProcess, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const r = await fetch(`http://127.0.0.1:${port}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const live = new Set<number>();
process.on('exit', () => {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function killGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

async function launch(cmd: string, args: string[], log: string, tries = 3): Promise<{ child: ChildProcess; port: number } | undefined> {
  for (let attempt = 0; attempt < tries; attempt++) {
    const port = await freePort();
    const fd = openSync(log, 'a');
    const child = spawn(cmd, [...args, '-H', '127.0.0.1', '-p', String(port)], { detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child.on('error', () => {});
    if (child.pid === undefined) return undefined;
    live.add(child.pid);
    if (await waitReady(port, child, 30_000)) return { child, port };
    killGroup(child.pid, 'SIGKILL');
    live.delete(child.pid);
  }
  return undefined;
}

/**
 * One SSM call before any test times one: stock `moto_server` imports its SSM service and builds
 * the backend (with AWS's default parameters) on the first SSM request, 1.2 s on an idle machine
 * and past the store's 5 s request timeout on a busy one (seen in CI: the first put of a test timed
 * out). Failures are left to the tests, which then say what went wrong.
 */
async function warmSsm(endpoint: string): Promise<void> {
  await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AmazonSSM.DescribeParameters',
      Authorization: 'AWS4-HMAC-SHA256 Credential=warmup/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
    signal: AbortSignal.timeout(60_000),
  }).catch(() => undefined);
}

/** Starts moto (patched paging by default, stock `moto_server` with `{ stock: true }` or as fallback). */
export async function startMoto(opts: { stock?: boolean } = {}): Promise<Moto> {
  const dir = mkdtempSync(join(tmpdir(), 'orchard-moto-'));
  const log = join(dir, 'moto.log');
  let started: { child: ChildProcess; port: number } | undefined;
  let patched = false;
  if (!opts.stock) {
    // A python without moto exits at once; waitReady notices and the next candidate is tried.
    for (const py of pythonCandidates()) {
      started = await launch(py, [join(__dirname, 'moto_launch.py')], log, 1);
      if (started) break;
    }
    patched = Boolean(started);
  }
  started ??= await launch('moto_server', [], log);
  if (!started) {
    throw new Error(
      `moto_server did not start (log: ${log}). These tests need moto, the AWS emulator: install it with \`pip install 'moto[server]'\` (any python3 on PATH, or pyenv), then re-run.`,
    );
  }
  const { child, port } = started;
  const pid = child.pid!;
  const endpoint = `http://127.0.0.1:${port}`;
  await warmSsm(endpoint);
  return {
    endpoint,
    port,
    pid,
    patchedPaging: patched,
    pageSize: patched ? 50 : 10,
    async reset() {
      const r = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!r.ok) throw new Error(`moto reset failed: HTTP ${r.status}`);
    },
    async stop() {
      killGroup(pid, 'SIGTERM');
      const gone = await new Promise<boolean>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
        const t = setTimeout(() => resolve(false), 3000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve(true);
        });
      });
      if (!gone) killGroup(pid, 'SIGKILL');
      live.delete(pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Dummy credentials for the whole test process, never the machine's real AWS config: the SDK's
 * config and credentials files point at empty temp files, and the env chain gets fixed test keys.
 */
export function useDummyAwsEnv(files: { credentials?: string; config?: string } = {}): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'orchard-aws-'));
  const cfg = join(dir, 'config');
  const creds = join(dir, 'credentials');
  // Written before any SDK client exists: the SDK caches what it read from these files.
  writeFileSync(cfg, files.config ?? '');
  writeFileSync(creds, files.credentials ?? '');
  const set: Record<string, string | undefined> = {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: undefined,
    AWS_SECURITY_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_CONFIG_FILE: cfg,
    AWS_SHARED_CREDENTIALS_FILE: creds,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: undefined,
    AWS_ENDPOINT_URL_SSM: undefined,
    AWS_ENDPOINT_URL_STS: undefined,
  };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(set)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

export interface CallLog {
  /** One entry per operation (before retries): command name and its input. */
  ops: { op: string; input: Record<string, unknown> }[];
  /** One entry per HTTP attempt (inside the retry loop). */
  attempts: string[];
  count(op: string, pred?: (input: Record<string, unknown>) => boolean): number;
  clear(): void;
}

/** Counts the calls a client makes with SDK middleware. */
export function countCalls(...clients: (SSMClient | STSClient)[]): CallLog {
  const log: CallLog = {
    ops: [],
    attempts: [],
    count(op, pred) {
      return log.ops.filter((o) => o.op === op && (!pred || pred(o.input))).length;
    },
    clear() {
      log.ops.length = 0;
      log.attempts.length = 0;
    },
  };
  for (const c of clients) {
    const stack = c.middlewareStack as unknown as {
      add(mw: unknown, opts: Record<string, unknown>): void;
    };
    stack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
        log.ops.push({ op: String(context.commandName ?? '?').replace(/Command$/, ''), input: args.input });
        return next(args);
      },
      { step: 'initialize', name: 'orchardTestCountOps' },
    );
    stack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        log.attempts.push(String(context.commandName ?? '?').replace(/Command$/, ''));
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'orchardTestCountAttempts' },
    );
  }
  return log;
}
