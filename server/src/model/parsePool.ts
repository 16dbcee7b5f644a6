// Parsing spread over the machine's cores: worker threads (model/parseWorker.ts, built to
// dist/parseWorker.js) run parse jobs (model/parseJob.ts) while the calling thread reads files and
// runs jobs too. Results are the same objects a parse on this thread gives (plain data, copied back
// by structured clone); callers consume them in their own order, so output stays deterministic.
//
// Workers start with the first job large enough to be worth sending (WORKER_MIN_BYTES): a small
// file's model costs about as much to copy back as to parse, and on a 2-vCPU machine 2,000 generated
// config.py took as long with a worker as without while the worker's heap stayed in the server's RSS.
// Smaller jobs run on the calling thread.
//
// Failure never loses a file: a worker that cannot start, crashes or runs out of memory is dropped
// and its jobs run on the calling thread. Without workers (one core, the worker file missing, or
// ORCHARD_PARSE_WORKERS=0) everything runs on the calling thread.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runParseJob, type ParseJob, type ParseOutcome } from './parseJob';

/** The worker's file next to the bundle that loads this module (dist/). */
export const PARSE_WORKER_FILE = 'parseWorker.js';
/** Below this many files a worker's start-up (loading its bundle and the Python grammar) costs more than it saves. */
export const MIN_POOL_JOBS = 256;
/** Files a scan reads and queues ahead of the one it is handling (the workers' share), */
export const POOL_AHEAD = 128;
/** and at most this much of their text held at once. */
export const POOL_AHEAD_BYTES = 16 * 1024 * 1024;
/**
 * Jobs with less text than this run on the calling thread. Measured on a 2-vCPU machine: a tree of
 * installed Python packages (2,097 .py, 1,215 of them larger than 4 KiB) checked in 4.6 s with one
 * worker against 6.4 s without; 2,000 generated services (config.py of 0.6 KiB, figgy.json of 1 KiB)
 * gained nothing from one (the server's scan 1.96-1.99 s with it, 1.72-1.86 s without).
 */
export const WORKER_MIN_BYTES = 4096;
/** Jobs sent to a worker in one message, and batches a worker holds at once (one running, one waiting). */
const WORKER_BATCH = 16;
const WORKER_DEPTH = 2;
/** A batch's time limit: 16 files at the parser's own 3 s limit each, with room to spare. */
const BATCH_DEADLINE_MS = 120_000;
/** A worker's own heap limit: a runaway parse ends that worker, not the process. */
const WORKER_HEAP_MIB = 512;

export interface ParsePoolOptions {
  /** Worker threads to start; default ORCHARD_PARSE_WORKERS or cores - 1 (at most 3). */
  workers?: number;
  /** The worker script; default dist/parseWorker.js next to this bundle (absent when run from source). */
  script?: string;
  /** How long the calling thread runs jobs before it gives the event loop a turn (ms). */
  sliceMs?: number;
  /** A worker that has not answered a batch after this long is stopped and its jobs run here (ms). */
  batchDeadlineMs?: number;
  /** Jobs with less text run on the calling thread; default WORKER_MIN_BYTES. */
  minJobBytes?: number;
  /** Runs a job on the calling thread; default runParseJob (the language server trims: runParseJobHere). */
  here?: (job: ParseJob) => ParseOutcome;
}

/**
 * Workers the machine warrants: ORCHARD_PARSE_WORKERS when set, else one per spare core, at most 3
 * (none on one core). Measured on a 2-vCPU machine with one worker: a tree of installed Python
 * packages (2,811 .py among 5,964 files) checked in 7.0-8.2 s instead of 9.9-10.8 s, the server's
 * scan of it in 7.5-8.0 s instead of 11.8-13.1 s; 2,000 generated 20-line config.py gain little
 * (copying the models back costs about what the second core saves).
 */
export function defaultWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.ORCHARD_PARSE_WORKERS;
  if (set !== undefined && /^\d+$/.test(set.trim())) return Math.min(16, Number(set.trim()));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, Math.min(3, cores - 1));
}

function defaultScript(): string | undefined {
  const p = path.join(__dirname, PARSE_WORKER_FILE);
  return fs.existsSync(p) ? p : undefined;
}

/** A submitted job: settled once a worker or the calling thread has run it. */
export interface Ticket {
  readonly job: ParseJob;
  done: boolean;
  outcome?: ParseOutcome;
  /** Resolves when done (the calling thread may run the job itself meanwhile). */
  readonly settled: Promise<void>;
  settle(o: ParseOutcome): void;
}

function ticket(job: ParseJob): Ticket {
  const s = signal();
  const t: Ticket = {
    job,
    done: false,
    settled: s.promise,
    settle(o) {
      if (t.done) return;
      t.done = true;
      t.outcome = o;
      s.resolve();
    },
  };
  return t;
}

interface Slot {
  worker: Worker;
  /** Batches sent and not answered, in order (a worker answers in order). */
  inFlight: Ticket[][];
  ready: boolean;
  /** When the batch the worker is on was sent, or its previous answer came (the batch's clock). */
  sentAt: number;
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const turn = () => new Promise<void>((r) => setImmediate(r));

export class ParsePool {
  private readonly queue: Ticket[] = [];
  /** Jobs for this thread only: small ones, and a failed worker's (the job may be what failed it). */
  private readonly local: Ticket[] = [];
  private readonly slots: Slot[] = [];
  private readonly sliceMs: number;
  private readonly batchDeadlineMs: number;
  /** How many jobs ran where (tests, benches). */
  readonly stats = { workers: 0, inWorkers: 0, inline: 0, workerFailures: 0 };
  private closed = false;
  /** Resolved when a worker's jobs move to this thread (a `result` waiting for one must run it). */
  private moved = signal();
  private readonly started = signal();
  /** When the calling thread last gave the event loop a turn. */
  private lastTurn = performance.now();

  private readonly count: number;
  private readonly script: string | undefined;
  private readonly minJobBytes: number;
  private readonly here: (job: ParseJob) => ParseOutcome;
  /** The workers were started (they start once, with the first large job or `start()`). */
  private launched = false;

  constructor(opts: ParsePoolOptions = {}) {
    this.sliceMs = opts.sliceMs ?? 10;
    this.batchDeadlineMs = opts.batchDeadlineMs ?? BATCH_DEADLINE_MS;
    this.count = opts.workers ?? defaultWorkerCount();
    this.script = opts.script ?? defaultScript();
    this.minJobBytes = opts.minJobBytes ?? WORKER_MIN_BYTES;
    this.here = opts.here ?? runParseJob;
  }

  /** Starts the workers now (else the first job of at least `minJobBytes` does). */
  start(): void {
    if (this.launched || this.closed) return;
    this.launched = true;
    const { count, script } = this;
    if (!script || count <= 0) return this.started.resolve();
    for (let i = 0; i < count; i++) {
      let worker: Worker;
      try {
        worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MIB }, stdout: true, stderr: true });
      } catch {
        this.stats.workerFailures++;
        continue;
      }
      const slot: Slot = { worker, inFlight: [], ready: false, sentAt: 0 };
      this.slots.push(slot);
      worker.unref();
      // Whatever a worker prints (it should print nothing) is dropped, never passed to our output.
      worker.stdout.resume();
      worker.stderr.resume();
      worker.on('message', (m: { ready?: true; outcomes?: ParseOutcome[] }) => this.onMessage(slot, m));
      // An error is followed by 'exit'; either way the worker's jobs come back to this thread.
      worker.on('error', () => this.drop(slot, true));
      worker.on('exit', (code) => this.drop(slot, code !== 0 && !this.closed));
    }
    this.stats.workers = this.slots.length;
    this.checkStarted();
  }

  /** Resolves once every worker started has said it is ready or failed (tests; callers need not wait for it). */
  whenStarted(): Promise<void> {
    return this.launched ? this.started.promise : Promise.resolve();
  }

  private checkStarted(): void {
    if (this.slots.every((s) => s.ready)) this.started.resolve();
  }

  /** Queues a job; a worker or the calling thread (in `result`) runs it. */
  submit(job: ParseJob): Ticket {
    const t = ticket(job);
    if (!this.launched && job.text.length >= this.minJobBytes) this.start();
    if (this.closed || this.slots.length === 0 || job.text.length < this.minJobBytes) {
      this.local.push(t);
      return t;
    }
    this.queue.push(t);
    this.dispatch();
    return t;
  }

  /**
   * The job's outcome. While it is not done the calling thread runs queued jobs itself, a time
   * slice at a time, giving the event loop a turn in between (worker answers, LSP messages).
   */
  async result(t: Ticket): Promise<ParseOutcome> {
    for (;;) {
      if (performance.now() - this.lastTurn > this.sliceMs) {
        await turn();
        this.lastTurn = performance.now();
      }
      if (t.done) return t.outcome!;
      if (this.local.length || this.queue.length) this.runHere(t);
      else await this.waitFor(t);
    }
  }

  /** Waits for a worker's answer; a worker whose oldest batch is overdue is dropped (its jobs come here). */
  private async waitFor(t: Ticket): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const check = new Promise<void>((r) => (timer = setTimeout(r, Math.min(1000, this.batchDeadlineMs))));
    try {
      await Promise.race([t.settled, this.moved.promise, check]);
    } finally {
      clearTimeout(timer);
    }
    const now = performance.now();
    for (const s of [...this.slots]) if (s.inFlight.length && now - s.sentAt > this.batchDeadlineMs) this.drop(s, true);
  }

  /** Stops the workers (jobs still queued run on the calling thread when asked for). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const s of slots) this.requeue(s);
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => 0)));
  }

  /** Runs queued jobs here until `wanted` is done or the time slice is spent. */
  private runHere(wanted: Ticket): void {
    const until = this.lastTurn + this.sliceMs;
    do {
      const t = this.local.shift() ?? this.queue.shift();
      if (!t) return;
      if (t.done) continue;
      t.settle(this.here(t.job));
      this.stats.inline++;
    } while (!wanted.done && performance.now() < until);
  }

  private dispatch(): void {
    for (const s of this.slots) {
      if (!s.ready) continue;
      while (s.inFlight.length < WORKER_DEPTH && this.queue.length) {
        const batch = this.queue.splice(0, WORKER_BATCH);
        if (s.inFlight.length === 0) s.sentAt = performance.now();
        s.inFlight.push(batch);
        s.worker.ref();
        s.worker.postMessage(batch.map((t) => t.job));
      }
    }
  }

  private onMessage(s: Slot, m: { ready?: true; outcomes?: ParseOutcome[] }): void {
    if (m.ready) {
      s.ready = true;
      this.checkStarted();
      this.dispatch();
      return;
    }
    const batch = s.inFlight[0];
    if (!batch || !Array.isArray(m.outcomes) || m.outcomes.length !== batch.length) {
      this.drop(s, true);
      return;
    }
    s.inFlight.shift();
    s.sentAt = performance.now();
    for (let i = 0; i < batch.length; i++) batch[i].settle(m.outcomes[i]);
    this.stats.inWorkers += batch.length;
    if (s.inFlight.length === 0) s.worker.unref();
    this.dispatch();
  }

  /** A worker stopped or misbehaved: its unanswered jobs run on this thread; it gets no more. */
  private drop(s: Slot, failed: boolean): void {
    const i = this.slots.indexOf(s);
    if (i < 0) return;
    this.slots.splice(i, 1);
    if (failed) this.stats.workerFailures++;
    this.requeue(s);
    this.checkStarted();
    void s.worker.terminate().catch(() => 0);
  }

  private requeue(s: Slot): void {
    for (const batch of s.inFlight.splice(0)) for (const t of batch) if (!t.done) this.local.push(t);
    // A `result` waiting for a job that worker held must wake up and run it here.
    this.moved.resolve();
    this.moved = signal();
  }
}
