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
  /**
   * Move a plaintext credential into a parameter store. Arguments: [MoveCredentialCommandArgs]. The
   * client asks for the environment and confirms the path, then sends `orchard/credential/move`
   * (the server reads the value from the file, writes it as a SecureString and answers the edit).
   */
  moveCredential: 'orchard.moveCredential',
} as const;

export interface MoveCredentialCommandArgs {
  uri: string;
  /** The finding's fingerprint: the server finds the credential again in the current text. */
  fingerprint: string;
  /** Variable name the reference uses (UPPER_SNAKE). */
  name: string;
  /** Suggested parameter path; the user confirms or edits it. */
  path: string;
  /** The credential's structural place (decides the reference form). */
  context: string;
}

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


/**
 * Commands the server itself carries out (`workspace/executeCommand`), so they work in every
 * editor: showing a place uses `window/showDocument`, an instruction `window/showMessage`.
 */
export const ServerCommands = {
  /** Open a file at a range. Arguments: [ShowLocationArgs]. */
  showLocation: 'orchard.server.showLocation',
  /** Tell the user the command the owner of a shared secret runs. Arguments: [OwnerCommandArgs]. */
  showOwnerCommand: 'orchard.server.showOwnerCommand',
} as const;

export interface ShowLocationArgs {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface OwnerCommandArgs {
  path: string;
  env: string;
  /** The shell command, e.g. `figgy config sync --env qa --replication-only --config figgy/figgy-secrets.json`. */
  command: string;
}
