// The settings that choose backends, the store folder and value display, read from the user's own
// scope only and sent to the server as `machineSettings` (the server ignores these keys in
// workspace settings, since other clients pass project-local settings there).
//
// `inspect(key).globalValue` is the user (and, on a remote, the machine) value: VS Code never puts
// a workspace or folder value there, whatever the setting's declared scope. Kept free of the
// `vscode` import so it is unit-tested directly.
import type { MachineSettings } from '../../server/src/lsp/protocol';

/** The part of `vscode.WorkspaceConfiguration` this needs. */
export interface Inspectable {
  inspect<T>(key: string): { globalValue?: T } | undefined;
}

/** Keys (under `orchard.`) whose change must be sent to the server. */
export const MACHINE_KEYS = ['backends', 'localStoreDir', 'hover.values'] as const;

export function machineSettings(config: Inspectable): MachineSettings {
  const out: MachineSettings = {};
  const backends = config.inspect<unknown>('backends')?.globalValue;
  if (backends && typeof backends === 'object' && !Array.isArray(backends)) out.backends = backends as Record<string, unknown>;
  const dir = config.inspect<unknown>('localStoreDir')?.globalValue;
  if (typeof dir === 'string' && dir) out.localStoreDir = dir;
  const hover = config.inspect<unknown>('hover.values')?.globalValue;
  if (hover === 'plain' || hover === 'never') out.hover = { values: hover };
  return out;
}
