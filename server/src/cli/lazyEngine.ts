// The CLI's engine (cli/engine.ts), required on first use: a warm `orchard check`, --help and
// --version never load the parsers, the model or the rules. In the bundles it is a file of its own
// (dist/engine.js, scripts/build.mjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const engine = (): typeof import('./engine') => require('./engine');
