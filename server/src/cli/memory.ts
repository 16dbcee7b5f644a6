// How the CLI's one-shot process uses memory: V8 settings made when it starts, and a full collection
// between its phases. Its own file: both the command line and the engine bundle use it.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Memory over a little speed, for a one-shot command. V8's young generation grows from 2 × 1 MiB to
 * 2 × 16 MiB while a large tree is parsed and keeps that size; its old generation may grow 4×
 * between two full collections, so a check's garbage piles up (at 2,000 generated services, 100 MiB
 * of heap held 65 MiB of live data when the output began). Kept at the young generation's first
 * size and an old generation growing at most 1.6× per collection, `check --no-cache` peaked at 147
 * instead of 184 MiB at 2,000 services (wall and CPU time within noise, eight paired rounds) and at
 * 414 instead of 523 MiB at 10,000 (~10% slower, noisy). The language server does not do this:
 * with its 8 MiB semi-spaces it measured no gain at start-up and a slower one; it favours memory
 * once it is ready (lsp/main.ts).
 */
export function favourMemory(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=60');
}

/** V8's collector as a function, once asked for (`--expose-gc` set at run time); null when it cannot be had. */
let collector: (() => void) | null | undefined;

/**
 * A full garbage collection now; false when V8 did not expose one. For the boundary between a
 * scan and the model built from it: a large scan leaves tens of MiB of garbage (file texts, trees'
 * wrappers, serialised cache lines) in the old generation, and V8 sizes its next limit from the
 * heap it last collected, so what follows (model, rules, output) grew on top of it. At 2,000
 * generated services a first `check` (both caches written) peaked at 154-156 instead of 162-168 MiB
 * with this collection after the scan (~25 ms); a cold check did not change.
 */
export function collectGarbage(): boolean {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      collector = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collector = null;
    }
  }
  if (!collector) return false;
  collector();
  return true;
}
