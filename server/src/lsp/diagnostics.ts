// Diagnostics of the whole workspace: computed once per (documents, backend, settings) state by the
// incremental analyzer, pushed to clients that take publishDiagnostics and reported to clients that
// pull (workspace/diagnostic). Findings are what is kept: a file's LSP diagnostics are made when they
// are sent, so the server does not hold a second copy of every problem (issue 12's memory budget).
import type { CancellationToken, Connection, DocumentDiagnosticReport, WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver/node';
import type { WorkspaceModel } from '../model/types';
import type { Finding } from '../analysis/types';
import { IncrementalAnalyzer, type FindingsDelta } from '../analysis/incremental';
import { describeError, type BackendCache } from './backend';
import type { DocumentCache } from './documents';
import { toDiagnostic } from './convert';
import { ResultLedger } from './ledger';
import { BackendChangedNotification, type BackendChangedParams, type OrchardSettings } from './protocol';
import type { Logger, Timers } from './runtime';

export interface PublisherDeps {
  connection: Connection;
  docs: DocumentCache;
  backend: BackendCache;
  log: Logger;
  timers: Timers;
  /** Debounce between a change and its push. */
  delayMs: number;
  /** Resolves when start-up is complete: nothing is published before. */
  ready: Promise<void>;
  trusted(): boolean;
  envs(): string[];
  settings(): OrchardSettings;
  /** The client pulls diagnostics (it is asked to refresh instead of being pushed to). */
  pulls(): boolean;
  disposed(): boolean;
}

const EMPTY: readonly Finding[] = [];

/** How long a workspace pull with nothing new is held open (under its request budget in guard.ts). */
export const WORKSPACE_PULL_HOLD_MS = 60_000;

export class DiagnosticsPublisher {
  private cacheKey: string | undefined;
  private backendStamp = 0;
  private settingsStamp = 0;
  /** `expected` maps asked about once since the last refresh (a store that cannot answer is not asked in a loop). */
  private triedGaps = new WeakSet<object>();
  private filling: Promise<void> | undefined;
  /** Rules rerun only for slices of the workspace whose files changed (findings equal a full runRules). */
  private analyzer = new IncrementalAnalyzer();
  /** Every file's findings after the last run (owned by the analyzer; read-only here). */
  private byUri: ReadonlyMap<string, readonly Finding[]> = new Map();
  /** Files whose findings changed since the last push (a push sends these and the open documents). */
  private unpushed = new Set<string>();
  /** Last pushed findings per file: a reused finding is the same object, so "unchanged" is identity. */
  private readonly published = new ResultLedger<Finding>();
  /** Last findings per file reported through workspace/diagnostic (pull clients). */
  private readonly reported = new ResultLedger<Finding>();
  private pushTimer: unknown;
  private pushRunning: Promise<void> = Promise.resolve();
  /** Workspace pulls held open until the findings may have changed (see workspaceReport). */
  private waiters = new Set<() => void>();
  /** Counts wake()s: a change while a held pull was computing is not missed. */
  private wakes = 0;
  private reportedOnce: () => void = () => undefined;
  /** Resolves once every file's diagnostics went out for the first time (a push, or a workspace pull's answer). */
  readonly firstReport = new Promise<void>((resolve) => (this.reportedOnce = resolve));

  constructor(private readonly d: PublisherDeps) {}

  /** Something outside the documents changed (settings, trust): the next push recomputes. */
  invalidate(): void {
    this.cacheKey = undefined;
    this.wake();
  }

  settingsChanged(): void {
    this.settingsStamp++;
    this.wake();
  }

  backendChanged(): void {
    this.backendStamp++;
    this.wake();
  }

  /** The stores were read again: every service may be asked about once more. */
  refreshed(): void {
    this.triedGaps = new WeakSet();
    this.backendStamp++;
    this.cacheKey = undefined;
    this.wake();
  }

  /** The file is published again with the next push (e.g. closed: its diagnostics lose their version). */
  touch(uri: string): void {
    this.unpushed.add(uri);
  }

  /** Waits for the push in progress (tests). */
  idle(): Promise<void> {
    return this.pushRunning;
  }

  dispose(): void {
    if (this.pushTimer !== undefined) this.d.timers.clearTimeout(this.pushTimer);
    this.wake();
  }

  /** The findings may have changed: held workspace pulls look again. */
  private wake(): void {
    this.wakes++;
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  /** Resolves on the next wake(), on cancellation, or after `ms`; true when woken. */
  private waitForChange(token: CancellationToken | undefined, ms: number): Promise<boolean> {
    const { timers } = this.d;
    return new Promise((resolve) => {
      let timer: unknown;
      let sub: { dispose(): void } | undefined;
      const done = (woken: boolean) => {
        this.waiters.delete(wakeUp);
        timers.clearTimeout(timer);
        sub?.dispose();
        resolve(woken);
      };
      const wakeUp = () => done(true);
      this.waiters.add(wakeUp);
      timer = timers.setTimeout(() => done(false), ms);
      sub = token?.onCancellationRequested(() => done(false));
      if (token?.isCancellationRequested) done(false);
    });
  }

  /** Every file's findings for the current state, recomputed only for what changed. */
  async findings(): Promise<ReadonlyMap<string, readonly Finding[]>> {
    const { docs, backend } = this.d;
    const version = docs.version_;
    const key = `${version}:${this.backendStamp}:${this.settingsStamp}`;
    if (this.cacheKey === key) return this.byUri;
    const ws = await docs.workspace();
    const trusted = this.d.trusted();
    if (trusted) this.askAboutNewServices(ws);
    let delta: FindingsDelta;
    try {
      delta = this.analyzer.runDelta(
        { workspace: ws, envStates: trusted ? backend.envStates : new Map(), settings: { envs: this.d.envs(), severities: this.d.settings().severity ?? {} } },
        { parseOnly: !trusted },
      );
    } catch (e) {
      this.d.log.error(`rules failed: ${describeError(e)}`);
      // Nothing is known: every file is cleared, and the next run starts from scratch.
      this.analyzer = new IncrementalAnalyzer();
      delta = { byUri: new Map(), changed: new Set(this.byUri.keys()) };
    }
    this.byUri = delta.byUri;
    for (const uri of delta.changed) this.unpushed.add(uri);
    // Parse errors arrive as findings too (the parse-error rule), so there is one path to the user.
    if (docs.version_ === version) this.cacheKey = key;
    return this.byUri;
  }

  /** One document's diagnostics (textDocument/diagnostic). */
  async forDocument(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    await this.d.ready;
    const fs = (await this.findings()).get(uri) ?? EMPTY;
    // The same result ids as workspace/diagnostic: VS Code's client sends a document's id from its
    // document pull in the next workspace pull, which can then say "unchanged" (and be held open).
    const { id } = this.reported.update(uri, fs, this.d.docs.version(uri));
    if (previousResultId === id) return { kind: 'unchanged', resultId: id };
    return { kind: 'full', resultId: id, items: fs.map(toDiagnostic) };
  }

  /**
   * Pushes after the debounce (or, for pull clients, asks them to pull again). `now`: no debounce
   * (start-up is complete: there is no typing to wait for).
   */
  schedule(now = false): void {
    const { connection, timers } = this.d;
    if (this.d.disposed()) return;
    this.wake();
    if (this.d.pulls()) {
      void Promise.resolve(connection.languages.diagnostics.refresh()).catch(() => undefined);
      return;
    }
    if (this.pushTimer !== undefined) timers.clearTimeout(this.pushTimer);
    this.pushTimer = timers.setTimeout(() => {
      this.pushTimer = undefined;
      const push = (): Promise<void> => this.pushNow();
      this.pushRunning = this.pushRunning.then(push, push);
    }, now ? 0 : this.d.delayMs);
  }

  private async pushNow(): Promise<void> {
    const { connection, docs, log } = this.d;
    // Nothing is published before start-up is complete: a document opened right after `initialized`
    // would otherwise be parsed before the Python parser loaded, or judged against stores not read yet.
    await this.d.ready;
    if (this.d.disposed()) return;
    try {
      const byUri = await this.findings();
      // Only files whose findings changed are sent: in a large workspace one keystroke changes a few.
      // Every file with findings is pushed, open or not, so the Problems panel shows the whole
      // workspace. Open documents are looked at too: their version moves with each edit.
      const todo = this.unpushed;
      this.unpushed = new Set();
      for (const uri of docs.openUris()) todo.add(uri);
      try {
        for (const uri of todo) {
          const fs = byUri.get(uri);
          if (!fs) {
            if (!this.published.has(uri)) continue;
            this.published.forget(uri);
            await connection.sendDiagnostics({ uri, diagnostics: [] });
            continue;
          }
          const version = docs.version(uri);
          if (!this.published.update(uri, fs, version).changed) continue;
          await connection.sendDiagnostics({ uri, diagnostics: fs.map(toDiagnostic), version });
        }
      } catch (e) {
        // What was not sent is sent with the next push.
        for (const uri of todo) this.unpushed.add(uri);
        throw e;
      }
    } catch (e) {
      log.error(`publishing diagnostics failed: ${describeError(e)}`);
    }
    this.reportedOnce();
  }

  /**
   * workspace/diagnostic: every file's diagnostics for pull clients (VS Code), so files that were
   * never opened are in the Problems panel too. Files whose findings did not change since the result
   * id the client holds are "unchanged"; files that became clean get an empty report.
   *
   * A pull that would find nothing new is held open (long polling, as the protocol intends) until
   * the findings may have changed, the client cancels it, or `holdMs` passes: VS Code's client asks
   * again two seconds after every answer, which in a monorepo meant thousands of "unchanged" items
   * each way every two seconds while nothing happened.
   */
  async workspaceReport(previous: readonly { uri: string; value: string }[], token?: CancellationToken, holdMs = WORKSPACE_PULL_HOLD_MS): Promise<WorkspaceDocumentDiagnosticReport[]> {
    await this.d.ready;
    const held = new Map(previous.map((r) => [r.uri, r.value]));
    const until = Date.now() + holdMs;
    for (;;) {
      const wakes = this.wakes;
      const items = await this.workspaceItems(held);
      const left = until - Date.now();
      if (items.some((i) => i.kind === 'full') || left <= 0 || token?.isCancellationRequested || this.d.disposed()) return items;
      // Something changed while this was computed: look again rather than wait for the next change.
      if (this.wakes !== wakes) continue;
      if (!(await this.waitForChange(token, left))) return items;
    }
  }

  private async workspaceItems(held: ReadonlyMap<string, string>): Promise<WorkspaceDocumentDiagnosticReport[]> {
    const { docs } = this.d;
    const byUri = await this.findings();
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const [uri, fs] of byUri) {
      const version = docs.version(uri) ?? null;
      const { id } = this.reported.update(uri, fs, version ?? undefined);
      if (held.get(uri) === id) items.push({ kind: 'unchanged', uri, resultId: id, version });
      else items.push({ kind: 'full', uri, resultId: id, version, items: fs.map(toDiagnostic) });
    }
    // Files without findings that the client holds a report for (it had findings, or an open
    // document was pulled clean): an empty report, with an id, until the client holds that one.
    const cleared = new Set<string>();
    for (const uri of [...this.reported.uris(), ...held.keys()]) {
      if (byUri.has(uri) || cleared.has(uri)) continue;
      cleared.add(uri);
      const version = docs.version(uri) ?? null;
      const { id } = this.reported.update(uri, EMPTY, version ?? undefined);
      if (held.get(uri) !== id) items.push({ kind: 'full', uri, resultId: id, version, items: [] });
    }
    this.reportedOnce();
    return items;
  }

  /**
   * A service added (or a source declared) since the last refresh has paths no store was asked about:
   * shown as unknown at once, then asked about alone, not with a refresh of the whole workspace.
   */
  private askAboutNewServices(ws: WorkspaceModel): void {
    const { backend, connection } = this.d;
    if (this.filling || this.d.disposed()) return;
    const gaps = backend.gaps(ws).filter((s) => !this.triedGaps.has(s.expected));
    if (gaps.length === 0) return;
    for (const s of gaps) this.triedGaps.add(s.expected);
    this.filling = backend.fillGaps(ws, gaps).then((changed) => {
      this.filling = undefined;
      if (!changed || this.d.disposed()) return;
      this.backendStamp++;
      this.cacheKey = undefined;
      void Promise.resolve(connection.sendNotification(BackendChangedNotification.method, { envs: [...backend.envStates.keys()], reason: 'refresh' } satisfies BackendChangedParams)).catch(() => undefined);
      this.schedule();
    });
  }
}
