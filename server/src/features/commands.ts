// Command ids the server puts into code actions and code lenses; the client implements them.
// Plain constants (no imports) so lsp/protocol.ts can re-export them to the client bundle.

export const ClientCommands = {
  /**
   * Add a missing parameter. Arguments: [AddParameterCommandArgs]. The client asks for the value
   * (secure input for secrets), a description and String/SecureString, then sends
   * `orchard/parameter/put` once per environment.
   */
  addParameter: 'orchard.addMissingParameter',
  /** Open the sync flow for a service. Arguments: [RunSyncCommandArgs]. */
  runSync: 'orchard.sync',
  /** Show the tree filtered to one parameter. Arguments: [{ path: string; env?: string }]. */
  revealInTree: 'orchard.revealInTree',
} as const;

export interface AddParameterCommandArgs {
  path: string;
  /** Environments where it is missing (one for "add to E", several for "add to all missing"). */
  envs: string[];
  /** Suggests SecureString in the type picker. */
  likelySecret: boolean;
  serviceId?: string;
}

export interface RunSyncCommandArgs {
  serviceId?: string;
  envs?: string[];
}

