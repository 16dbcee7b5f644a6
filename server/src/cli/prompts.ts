// The interactive prompts (`orchard sync`, `put`, `delete`), loaded on first use: the prompt library
// and its encoding tables are a fifth of the CLI bundle, and most runs (`check`, CI) never ask.
// In the bundle this module is its own file (dist/prompts.js, scripts/build.mjs).
export { confirm, input, password } from '@inquirer/prompts';
