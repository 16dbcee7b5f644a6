// Every request handler runs through `guard`: a wall-clock budget, `$/cancelRequest`, and errors
// turned into a fallback answer (logged by name only: an error message could quote a value).
import { CancellationTokenSource, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import { describeError } from './backend';
import type { Logger, ServerRuntime } from './runtime';

/**
 * Wall-clock budget per request (ms). When it runs out, or the client sends $/cancelRequest, the
 * request is answered at once (features: an empty answer; diagnostics: ServerCancelled so the client
 * asks again; others: RequestCancelled) and the work's result, if it ever comes, is dropped. Work
 * is also handed a token that is cancelled then, so loops can stop early. The features themselves
 * are linear and bounded, so the budget is a backstop for waits (a slow import read, a backend).
 */
export const REQUEST_BUDGET_MS: Record<string, number> = {
  hover: 2000,
  completion: 2000,
  definition: 2000,
  references: 3000,
  documentSymbol: 2000,
  codeLens: 2000,
  codeAction: 5000,
  diagnostics: 10_000,
  // a workspace pull with nothing new is held open up to WORKSPACE_PULL_HOLD_MS (long polling)
  workspaceDiagnostics: 90_000,
  // backend reads: bounded by the backends' own timeouts and retries, so generous
  tree: 60_000,
  details: 60_000,
  reveal: 60_000,
  compare: 60_000,
  syncPlan: 120_000,
  status: 60_000,
  refresh: 180_000,
};
/** Requests that change something: once started they run to the end and report what happened. */
const WRITES = new Set(['put', 'delete', 'syncApply', 'setEnvironments']);
const DEFAULT_BUDGET_MS = 30_000;

function yieldTick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export type Guard = <P, R>(name: string, fallback: R, fn: (p: P, token: CancellationToken) => Promise<R> | R) => (p: P, token: CancellationToken) => Promise<R | ResponseError<void>>;

/** Wraps handlers: budget (`runtime.requestBudgetMs` overrides the table), cancellation, errors. */
export function makeGuard(runtime: ServerRuntime, log: Logger): Guard {
  const timers = runtime.timers;
  return <P, R>(name: string, fallback: R, fn: (p: P, token: CancellationToken) => Promise<R> | R) => {
    const budget = runtime.requestBudgetMs?.[name] ?? REQUEST_BUDGET_MS[name] ?? DEFAULT_BUDGET_MS;
    const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
    return async (p: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
      // Let a pending $/cancelRequest arrive before doing any work.
      await yieldTick();
      if (token.isCancellationRequested) return cancelled();
      const run = async (t: CancellationToken): Promise<R> => {
        try {
          return await fn(p, t);
        } catch (e) {
          log.error(`${name} failed: ${describeError(e)}`);
          return fallback;
        }
      };
      // A write is not abandoned half-way: its answer says what happened.
      if (WRITES.has(name)) return run(token);
      const source = new CancellationTokenSource();
      let timer: unknown;
      let sub: { dispose(): void } | undefined;
      const stop = new Promise<'cancel' | 'budget'>((resolve) => {
        timer = timers.setTimeout(() => resolve('budget'), budget);
        sub = token.onCancellationRequested(() => resolve('cancel'));
      });
      try {
        const r = await Promise.race([run(source.token).then((v) => ({ v })), stop]);
        if (typeof r === 'object') return token.isCancellationRequested ? cancelled() : r.v;
        source.cancel();
        if (r === 'cancel') return cancelled();
        log.warn(`${name} took longer than its ${budget} ms budget; answered without a result`);
        if (name === 'diagnostics') {
          return new ResponseError(LSPErrorCodes.ServerCancelled, `diagnostics took longer than ${budget} ms`, { retriggerRequest: true }) as unknown as ResponseError<void>;
        }
        return fallback;
      } finally {
        timers.clearTimeout(timer);
        sub?.dispose();
        source.dispose();
      }
    };
  };
}
