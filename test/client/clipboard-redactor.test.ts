// Transient clipboard (reveal) and the log redactor, with a fake clipboard and a manual clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TransientClipboard, type Timers } from '../../client/src/transientClipboard';
import { Redactor, sanitizeTrace } from '../../client/src/redactor';

function fakes() {
  const board = { text: 'before' };
  const queue: { fn: () => void; at: number; id: number }[] = [];
  let now = 0;
  let next = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => { const id = next++; queue.push({ fn, at: now + ms, id }); return id; },
    clearTimeout: (h) => { const i = queue.findIndex((q) => q.id === h); if (i >= 0) queue.splice(i, 1); },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const q of queue.filter((q) => q.at <= now)) { queue.splice(queue.indexOf(q), 1); q.fn(); }
  };
  const clipboard = { readText: async () => board.text, writeText: async (t: string) => { board.text = t; } };
  return { board, timers, advance, clipboard, pending: () => queue.length };
}

test('clipboard: a revealed value is cleared after the delay', async () => {
  const f = fakes();
  const c = new TransientClipboard(f.clipboard, f.timers);
  const { cleared: done } = await c.copy('s3cr3t-value', 30_000);
  assert.equal(f.board.text, 's3cr3t-value');
  f.advance(29_999);
  assert.equal(f.board.text, 's3cr3t-value');
  f.advance(1);
  await done;
  assert.equal(f.board.text, '');
});

test('clipboard: something the user copied meanwhile is left alone', async () => {
  const f = fakes();
  const c = new TransientClipboard(f.clipboard, f.timers);
  const { cleared: done } = await c.copy('s3cr3t-value', 1000);
  f.board.text = 'user copied this';
  f.advance(1000);
  await done;
  assert.equal(f.board.text, 'user copied this');
});

test('clipboard: a second reveal replaces the first and only one clear is pending; flush clears now', async () => {
  const f = fakes();
  const c = new TransientClipboard(f.clipboard, f.timers);
  const { cleared: first } = await c.copy('first-secret', 1000);
  await c.copy('second-secret', 1000);
  await first; // settled by the replacement, without touching the clipboard
  assert.equal(f.board.text, 'second-secret');
  assert.equal(f.pending(), 1);
  await c.flush();
  assert.equal(f.board.text, '');
  assert.equal(f.pending(), 0);
});

test('redactor: remembered values never survive scrub (property)', () => {
  // Secrets are alphanumeric and the surrounding text is punctuation, so any occurrence of a secret
  // in the output could only come from a failure to scrub.
  const secret = fc.stringMatching(/^[a-z0-9]{4,12}$/);
  const filler = fc.stringMatching(/^[ .,:;=-]{0,8}$/);
  fc.assert(fc.property(fc.array(secret, { minLength: 1, maxLength: 5 }), fc.array(fc.tuple(fc.nat(4), filler), { maxLength: 10 }), (secrets, parts) => {
    const r = new Redactor();
    secrets.forEach((s) => r.remember(s));
    const text = parts.map(([i, f]) => `${f}${secrets[i % secrets.length]}`).join('') + secrets.join(' ');
    const out = r.scrub(text);
    for (const s of secrets) assert.ok(!out.includes(s), `${s} leaked in ${out}`);
  }), { numRuns: 300 });
});

test('redactor: short strings are not scrubbed; longest match wins', () => {
  const r = new Redactor();
  r.remember('abc');
  r.remember('hunter2');
  r.remember('hunter2-extended');
  assert.equal(r.size, 2);
  assert.equal(r.scrub('abc hunter2-extended hunter2'), 'abc «redacted» «redacted»');
});

test('sanitizeTrace: payloads of value-carrying messages are dropped, others kept', () => {
  const reveal = "Received response 'orchard/parameter/reveal - (7)' in 3ms.\nResult: {\"state\":\"found\",\"value\":\"CANARY\"}";
  assert.equal(sanitizeTrace(reveal), "Received response 'orchard/parameter/reveal - (7)' in 3ms.\n[payload hidden: this message can carry a parameter value]");
  const put = "Sending request 'orchard/parameter/put - (8)'.\nParams: {\"value\":\"CANARY\"}";
  assert.ok(!sanitizeTrace(put).includes('CANARY'));
  assert.ok(!sanitizeTrace('{"type":"send-request","message":"orchard/sync/apply","data":{"value":"CANARY"}}').includes('CANARY'));
  // A file's text can hold the very credential Orchard reports: never traced.
  const open = "Sending notification 'textDocument/didOpen'.\nParams: {\"textDocument\":{\"text\":\"AWS_ACCESS_KEY_ID: AKIA5OHCERS4NBX3TQRH\"}}";
  assert.equal(sanitizeTrace(open), "Sending notification 'textDocument/didOpen'.\n[payload hidden: file contents are not traced]");
  assert.ok(!sanitizeTrace('{"type":"send-notification","message":"textDocument/didChange","data":{"contentChanges":[{"text":"AKIA5OHCERS4NBX3TQRH"}]}}').includes('AKIA5'));
  const tree = "Received response 'orchard/tree/children - (9)' in 1ms.\nResult: {\"nodes\":[]}";
  assert.equal(sanitizeTrace(tree), tree);
});
