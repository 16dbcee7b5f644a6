// The CLI's output sinks: stdout written directly through its descriptor or through the stream, and
// a file copied through one reused buffer, give the bytes in order; a buffer is never read after its
// write settled (the caller fills it again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, promises as fsp, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { copyFile, streamSink } from '../../server/src/cli/sinks';

/** A stream that takes each chunk only after a delay, keeping what it was given at that moment. */
function slowStream(highWaterMark: number): { stream: Writable; got: () => string } {
  const parts: Buffer[] = [];
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, cb) {
      setTimeout(() => {
        parts.push(Buffer.from(chunk));
        cb();
      }, 2);
    },
  });
  return { stream, got: () => Buffer.concat(parts).toString('latin1') };
}

test('a buffer written through the stream is taken before the write settles, even when the stream had room', async () => {
  for (const hwm of [16, 1 << 20]) {
    const { stream, got } = slowStream(hwm);
    const sink = streamSink(stream);
    const buf = Buffer.alloc(1000);
    let expected = '';
    for (const c of 'abcdef') {
      buf.fill(c);
      expected += c.repeat(1000);
      await sink.write(buf);
    }
    await sink.write('tail');
    await new Promise<void>((r) => stream.end(r));
    assert.equal(got(), expected + 'tail', `highWaterMark ${hwm}`);
  }
});

test('copyFile through the stream and straight to a descriptor: the same bytes as the file', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchard-sinks-'));
  try {
    const src = path.join(dir, 'src');
    // Three and a half 1 MiB pieces, each byte telling its offset apart from the same offset of another piece.
    const data = Buffer.alloc(3.5 * (1 << 20));
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + Math.floor(i / 4096)) & 0xff;
    writeFileSync(src, data);

    const { stream, got } = slowStream(1 << 16);
    let fh = await fsp.open(src, 'r');
    await copyFile(fh, streamSink(stream));
    await fh.close();
    await new Promise<void>((r) => stream.end(r));
    assert.ok(Buffer.from(got(), 'latin1').equals(data), 'through the stream');

    const dst = path.join(dir, 'dst');
    const fd = openSync(dst, 'w');
    const untouched = slowStream(1 << 16);
    fh = await fsp.open(src, 'r');
    await copyFile(fh, streamSink(untouched.stream, fd));
    await fh.close();
    closeSync(fd);
    assert.ok(readFileSync(dst).equals(data), 'to the descriptor');
    assert.equal(untouched.got(), '', 'nothing went through the stream');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
