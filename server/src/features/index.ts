// The editor features as pure functions over models and cached backend state. `lsp/` registers them.
export * from './types';
export { hover, assembledValue, REDACTED } from './hover';
export { codeActions, planFiggyJson, regenerateFiggyJsonAction, splitMergeString, type FiggyJsonPlan } from './codeActions';
export { completion } from './completion';
export { definition, references, documentSymbols } from './navigation';
export { codeLenses } from './codeLens';
export { presenceIn, PRESENCE_MARK } from './presence';
export { ClientCommands } from './commands';
export type { AddParameterCommandArgs, RunSyncCommandArgs } from './commands';
export { occurrenceAt, serviceForUri, workspaceOccurrences } from './occurrences';
export { envHover } from './env/hover';
export { envDefinition, envReferences } from './env/navigation';
export { envCompletion } from './env/completion';
export { ADD_VARIABLE_KINDS, envCodeActions } from './env/codeActions';
export { credentialActions } from './env/credentialActions';
