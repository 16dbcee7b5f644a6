// What each file's findings were when last reported, to send only what changed. Findings the
// incremental analyzer reused are the same objects as last time, so "unchanged" is an identity
// comparison over the list: no serialisation per file per keystroke (issue 12's profile found
// re-serialising every file's diagnostics to be 75% of a keystroke at 2,000 services).
import { sameList } from '../model/identity';

export interface LedgerEntry<T> {
  items: readonly T[];
  version: number | undefined;
  /** Changes whenever items or version change; unique across files and time. */
  id: string;
}

export class ResultLedger<T> {
  private last = new Map<string, LedgerEntry<T>>();
  private seq = 0;

  /** Records the items for uri; `changed` says whether they (or the version) differ from last time. */
  update(uri: string, items: readonly T[], version?: number): { id: string; changed: boolean } {
    const prev = this.last.get(uri);
    if (prev && prev.version === version && sameList(prev.items, items)) return { id: prev.id, changed: false };
    const id = String(++this.seq);
    this.last.set(uri, { items, version, id });
    return { id, changed: true };
  }

  has(uri: string): boolean {
    return this.last.has(uri);
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }

  uris(): string[] {
    return [...this.last.keys()];
  }

  clear(): void {
    this.last.clear();
  }
}

