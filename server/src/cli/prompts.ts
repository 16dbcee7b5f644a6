// The interactive prompts (`orchard sync`, `put`, `delete`), loaded on first use: the prompt library
// and its encoding tables are a fifth of the CLI bundle, and most runs (`check`, CI) never ask.
// Required through cli/ask.ts; in the bundle this module is its own file (dist/prompts.js).
export { confirm, input, password } from '@inquirer/prompts';
