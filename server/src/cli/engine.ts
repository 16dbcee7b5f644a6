// Everything the CLI does beyond the command line and a warm-cache hit: the parsers, the workspace
// model, the stores' readers and writers, the rules. main.ts and check.ts reach it through
// lazyEngine.ts only, so that in the bundles it is a file of its own (dist/engine.js), loaded on
// first use.
export { ALL_RULES } from '../analysis/index';
export { check, checkStaged, checkUncached, parseSeverityOverrides, summarize } from './checkFull';
export { walkTarget } from './workspace';
export { runEnv } from './env';
export { runSync } from './sync';
export { runDelete, runGet, runHistory, runLs, runPut, runWhoami } from './params';
export { runDemo } from './demo';
export { runRulesList } from './rulesList';
export { runStoreInit } from './storeInit';
