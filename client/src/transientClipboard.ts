// Copies a revealed value to the clipboard and clears it again after a delay, unless the user has
// copied something else meanwhile (then their clipboard is left alone). Pure apart from the
// injected clipboard and timer, so it is tested without VS Code.

export interface Clipboard {
  readText(): Thenable<string> | Promise<string>;
  writeText(text: string): Thenable<void> | Promise<void>;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class TransientClipboard {
  private pending: { handle: unknown; value: string; done: Promise<void>; resolve: () => void } | undefined;

  constructor(private readonly clipboard: Clipboard, private readonly timers: Timers = realTimers) {}

  /**
   * Writes `value` and schedules the clear. `cleared` settles once the clear ran (or was
   * superseded); it is wrapped in an object because an async function would flatten it.
   */
  async copy(value: string, clearAfterMs: number): Promise<{ cleared: Promise<void> }> {
    this.cancelPending();
    await this.clipboard.writeText(value);
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const handle = this.timers.setTimeout(() => void this.clearIfUnchanged(), clearAfterMs);
    this.pending = { handle, value, done, resolve };
    return { cleared: done };
  }

  /** Clears now (extension deactivation) when the clipboard still holds our value. */
  async flush(): Promise<void> {
    if (!this.pending) return;
    this.timers.clearTimeout(this.pending.handle);
    await this.clearIfUnchanged();
  }

  private cancelPending(): void {
    if (!this.pending) return;
    this.timers.clearTimeout(this.pending.handle);
    this.pending.resolve();
    this.pending = undefined;
  }

  private async clearIfUnchanged(): Promise<void> {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    try {
      if ((await this.clipboard.readText()) === p.value) await this.clipboard.writeText('');
    } finally {
      p.resolve();
    }
  }
}
