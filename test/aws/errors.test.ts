// mapAwsError: every kind of SDK failure lands on the right StoreFailure, and values never leak.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CREDENTIAL_ERROR, mapAwsError } from '../../server/src/store/ssmErrors';

function awsErr(name: string, status: number, message = 'm', attempts = 1) {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, attempts } });
}
const ctx = { subject: 'listing /app/svc in dev', profile: 'figgy-dev' };

describe('mapAwsError', () => {
  it('access denied (SSM 400 and any 403) → access-denied, "not readable with your role"', () => {
    for (const e of [awsErr('AccessDeniedException', 400), awsErr('AccessDenied', 403), awsErr('SomethingElse', 403)]) {
      const f = mapAwsError(e, ctx);
      assert.equal(f.kind, 'access-denied');
      assert.match(f.message, /^listing \/app\/svc in dev: not readable with your role/);
    }
  });
  it('throttling after retries → throttled, with the attempt count', () => {
    const f = mapAwsError(awsErr('ThrottlingException', 400, 'Rate exceeded', 3), ctx);
    assert.equal(f.kind, 'throttled');
    assert.match(f.message, /after 3 attempts/);
    assert.equal(mapAwsError(awsErr('X', 429), ctx).kind, 'throttled');
  });
  it('expired/unrecognised credentials and provider errors → credentials with a fix-it hint', () => {
    for (const n of ['ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException', 'CredentialsProviderError', 'InvalidClientTokenId']) {
      const f = mapAwsError(awsErr(n, 400), ctx);
      assert.equal(f.kind, 'credentials', n);
      assert.equal(f.hint, 'aws sso login --profile figgy-dev');
    }
    assert.equal(mapAwsError(awsErr('ExpiredToken', 400), { subject: 's' }).hint, 'figgy login');
    // Errors thrown while assuming a role are credential problems even when STS says AccessDenied.
    const assumed = Object.assign(awsErr('AccessDenied', 403), { [CREDENTIAL_ERROR]: true });
    const f = mapAwsError(assumed, { subject: 's', roleArn: 'arn:aws:iam::123456789012:role/r' });
    assert.equal(f.kind, 'credentials');
    assert.match(f.message, /assuming arn:aws:iam::123456789012:role\/r/);
  });
  it('timeouts and socket errors', () => {
    assert.equal(mapAwsError(Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }), { ...ctx, timeoutMs: 400 }).kind, 'timeout');
    assert.match(mapAwsError(Object.assign(new Error('x'), { name: 'TimeoutError' }), { ...ctx, timeoutMs: 400 }).message, /within 400 ms/);
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EAI_AGAIN']) assert.equal(mapAwsError(Object.assign(new Error('x'), { code }), ctx).kind, 'network', code);
    // The HTTP handler reports a dropped socket as TimeoutError + ECONNRESET: that is the network.
    assert.equal(mapAwsError(Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }), ctx).kind, 'network');
    assert.equal(mapAwsError(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), ctx).kind, 'network');
  });
  it('5xx and unclassified errors → other; AWS text is kept but values are redacted', () => {
    assert.match(mapAwsError(awsErr('InternalServerError', 500), ctx).message, /HTTP 500/);
    const f = mapAwsError(awsErr('ValidationException', 400, "Value 'hunter2-secret' at 'value' failed"), { subject: 's', redact: ['hunter2-secret'] });
    assert.equal(f.kind, 'other');
    assert.match(f.message, /ValidationException/);
    assert.ok(!f.message.includes('hunter2-secret'));
    assert.ok(mapAwsError(awsErr('V', 400, 'x'.repeat(1000)), ctx).message.length < 400, 'long texts are cut');
  });
  it('never throws on odd input', () => {
    for (const e of [undefined, null, 42, 'str', {}, { name: 5 }, Object.create(null)]) assert.equal(typeof mapAwsError(e, ctx).kind, 'string');
  });
});
