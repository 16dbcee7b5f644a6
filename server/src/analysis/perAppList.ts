// A list made of one part per app, in app order (a per-app rule's findings). After a keystroke the
// apps list is the last one with an app or two replaced in place (model/appsPatch.ts): only their
// parts are replaced in the joined list, instead of joining every app's part again.
import type { App } from '../model/types';

/** More replaced apps than this and the list is joined again from every part. */
const MAX_REPLACED = 64;

export class PerAppList<T> {
  private apps: readonly App[] = [];
  private parts: (readonly T[])[] = [];
  /** Where each part starts in `joined` (one more entry: the length). */
  private starts: number[] = [0];
  private joined: readonly T[] = [];

  /**
   * The parts of `apps` joined in order. `partOf` is asked only for apps that are not the very
   * object at the same place as last time; the same list object is returned when nothing changed.
   */
  join(apps: readonly App[], partOf: (app: App) => readonly T[]): readonly T[] {
    if (apps === this.apps) return this.joined;
    const replaced: number[] = [];
    if (apps.length === this.apps.length) {
      for (let i = 0; i < apps.length && replaced.length <= MAX_REPLACED; i++) if (apps[i] !== this.apps[i]) replaced.push(i);
    }
    if (apps.length !== this.apps.length || replaced.length > MAX_REPLACED) return this.rebuild(apps, partOf);
    let joined = this.joined;
    for (const i of replaced) {
      const part = partOf(apps[i]);
      const old = this.parts[i];
      this.parts[i] = part;
      if (part === old) continue;
      joined = joined.slice(0, this.starts[i]).concat(part, joined.slice(this.starts[i + 1]));
      const delta = part.length - old.length;
      if (delta !== 0) for (let k = i + 1; k < this.starts.length; k++) this.starts[k] += delta;
    }
    this.apps = apps;
    this.joined = joined;
    return joined;
  }

  private rebuild(apps: readonly App[], partOf: (app: App) => readonly T[]): readonly T[] {
    return this.reset(apps, apps.map(partOf));
  }

  /** Starts over from every app's part (`parts[i]` is `apps[i]`'s). */
  reset(apps: readonly App[], parts: (readonly T[])[]): readonly T[] {
    this.apps = apps;
    this.parts = parts;
    this.starts = [0];
    const joined: T[] = [];
    for (const p of this.parts) {
      for (const x of p) joined.push(x);
      this.starts.push(joined.length);
    }
    this.joined = joined;
    return joined;
  }
}
