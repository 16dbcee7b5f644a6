// Where `orchard check` pours its output: stdout and the cache's files, a piece at a time, so a
// large result is never one string (87 MB of JSON at 10,000 services).
import { promises as fs } from 'node:fs';

/** Something output is poured into, a piece at a time. */
export interface Sink {
  write(chunk: string | Buffer): Promise<void>;
  /** Makes what was written count (a cache file: renamed into place); false when it could not. */
  commit?(): Promise<boolean>;
}

/**
 * A file written in pieces under a temporary name (0600, never an existing file) and renamed into
 * place on commit, so a reader never sees half of it. A failed write makes commit remove it.
 */
export class FileSink {
  private failed = false;
  private constructor(
    private readonly fh: fs.FileHandle,
    private readonly tmp: string,
    private readonly file: string,
  ) {}

  static async open(file: string): Promise<FileSink> {
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    return new FileSink(await fs.open(tmp, 'wx', 0o600), tmp, file);
  }

  async write(chunk: string | Buffer): Promise<void> {
    if (this.failed) return;
    try {
      // writeFile on an open handle writes all of it at the current position (write may write less).
      await this.fh.writeFile(chunk);
    } catch {
      this.failed = true;
    }
  }

  async commit(): Promise<boolean> {
    try {
      await this.fh.close();
      if (this.failed) throw new Error('write failed');
      await fs.rename(this.tmp, this.file);
      return true;
    } catch {
      await fs.rm(this.tmp, { force: true }).catch(() => undefined);
      return false;
    }
  }
}

/** Pieces joined into writes of about 64 KiB, each given to every sink in turn. */
export async function pour(pieces: Iterable<string>, sinks: Sink[]): Promise<void> {
  let batch = '';
  for (const p of pieces) {
    batch += p;
    if (batch.length < 65536) continue;
    for (const s of sinks) await s.write(batch);
    batch = '';
  }
  if (batch) for (const s of sinks) await s.write(batch);
}

/** stdout (or any stream) as a sink that waits while the stream is full; a closed reader ends the writing. */
export function streamSink(out: NodeJS.WritableStream): Sink {
  let closed = false;
  out.once('error', () => (closed = true));
  return {
    write: (chunk) =>
      new Promise<void>((resolve) => {
        if (closed || out.write(chunk)) return resolve();
        const done = () => {
          out.off('drain', done);
          out.off('close', done);
          out.off('error', done);
          resolve();
        };
        out.once('drain', done);
        out.once('close', done);
        out.once('error', done);
      }),
  };
}
