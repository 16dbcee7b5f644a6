// Where `orchard check` pours its output: stdout and the cache's files, a piece at a time, so a
// large result is never one string (87 MB of JSON at 10,000 services).
import { promises as fs, readSync, writeSync } from 'node:fs';

/** Something output is poured into, a piece at a time. */
export interface Sink {
  /** Once the promise settles, `chunk` is no longer used: a caller may fill its buffer again. */
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

/**
 * stdout (or any stream) as a sink that waits while the stream is full; a closed reader ends the
 * writing. Given the stream's descriptor (`fd`), pieces go out through synchronous writes while the
 * stream has nothing queued: 14.5 MB of JSON went to a file in ~10 ms so, 60-80 ms through the
 * stream's write requests. A descriptor that would block (a full non-blocking pipe) hands the rest
 * of the piece to the stream, which waits for room.
 */
export function streamSink(out: NodeJS.WritableStream, fd?: number): Sink {
  let closed = false;
  out.once('error', () => (closed = true));
  // Settles once the stream no longer needs the chunk: a string when the stream has room again, a
  // buffer (callers fill theirs again) when it has been written.
  const viaStream = (chunk: string | Buffer) =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        out.off('error', done);
        resolve();
      };
      out.once('close', done);
      out.once('error', done);
      const buffer = typeof chunk !== 'string';
      const room = out.write(chunk, () => buffer && done());
      if (!buffer) {
        if (room) done();
        else out.once('drain', done);
      }
    });
  return {
    write: async (chunk) => {
      if (closed) return;
      if (fd === undefined || ((out as { writableLength?: number }).writableLength ?? 0) > 0) return viaStream(chunk);
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      let done = 0;
      try {
        while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
          // The reader went away (EPIPE) or the output failed: stop writing, as the stream does.
          closed = true;
          return;
        }
        // Full: this piece goes through the stream, which waits for room; later pieces go direct
        // again once the stream has written everything it holds.
        return viaStream(buf.subarray(done));
      }
    },
  };
}

/**
 * Copies an open file to `out` through one 1 MiB buffer read synchronously. 14 MB took 5-6 ms so
 * here; a stream's reads left the CLI idle between them, and a new buffer per piece cost ~40 ms of
 * page faults.
 */
export async function copyFile(file: fs.FileHandle, out: Sink): Promise<void> {
  const buf = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    const n = readSync(file.fd, buf, 0, buf.length, null);
    if (n <= 0) return;
    await out.write(n === buf.length ? buf : buf.subarray(0, n));
  }
}
