// Which variable names hold secrets (parse/sensitive.ts isSensitiveName): what the hovers, the App
// Variables view and the twelve-factor rules redact or warn about.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSensitiveName } from '../../server/src/parse/sensitive';

test('secret names; a published one (public, publishable, anon) is not, unless it is a password', () => {
  for (const n of ['DB_PASSWORD', 'SENTRY_DSN', 'API_KEY', 'github-token', 'PUBLIC_KEY_PASSWORD', 'PRIVATE_KEY', 'APP_SECRET_KEY']) assert.equal(isSensitiveName(n), true, n);
  for (const n of ['PUBLIC_SENTRY_DSN', 'public-sentry-dsn', 'NEXT_PUBLIC_SENTRY_DSN', 'STRIPE_PUBLISHABLE_KEY', 'NEXT_PUBLIC_API_KEY', 'SUPABASE_ANON_KEY', 'PUBLIC_KEY', 'DB_HOST', 'SECRET_KEY_FILE']) assert.equal(isSensitiveName(n), false, n);
});

test('a switch about a token or key is not one (USE_ID_TOKEN); a password after one still is (enable_password)', () => {
  for (const n of ['DISPATCH_AUTHENTICATION_PROVIDER_USE_ID_TOKEN', 'ENABLE_API_KEY_AUTH', 'ALLOW_TOKEN_LOGIN', 'SKIP_SECRET_CHECK']) assert.equal(isSensitiveName(n), false, n);
  for (const n of ['enable_password', 'USE_PASSWORD', 'USER_TOKEN', 'VERIFY_TOKEN', 'REUSE_TOKEN']) assert.equal(isSensitiveName(n), true, n);
});

test('a rate or a count of tokens is not a secret (STRIPE_TOKENS_PER_UNIT, MAX_TOKENS); tokens themselves are', () => {
  for (const n of ['STRIPE_TOKENS_PER_UNIT', 'KEYS_PER_PAGE', 'MAX_TOKENS', 'OPENAI_MAX_TOKENS', 'NUM_TOKENS']) assert.equal(isSensitiveName(n), false, n);
  for (const n of ['API_TOKENS', 'TOKENS', 'GITHUB_TOKEN', 'MAX_TOKEN_SECRET']) assert.equal(isSensitiveName(n), true, n);
});

test('a product key names a product, a key cache names a cache (fx-private-relay); a secret key is still one', () => {
  for (const n of ['SUBPLAT3_PREMIUM_PRODUCT_KEY', 'AWS_SNS_KEY_CACHE']) assert.equal(isSensitiveName(n), false, n);
  for (const n of ['SECRET_KEY', 'PRODUCT_SECRET', 'CACHE_PASSWORD']) assert.equal(isSensitiveName(n), true, n);
});
