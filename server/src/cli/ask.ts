// The prompt library (cli/prompts.ts), required on first use: `check` and CI runs never ask, and
// in the bundle it is a file of its own (dist/prompts.js, scripts/build.mjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const prompts = (): typeof import('./prompts') => require('./prompts');
