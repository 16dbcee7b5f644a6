// The commands the server carries out itself (features/commands.ts ServerCommands), so quick fixes
// that show a place or an instruction work in any editor, not only in VS Code.
import type { Connection } from 'vscode-languageserver/node';
import { ServerCommands, type OwnerCommandArgs, type ShowLocationArgs } from '../features/commands';
import { decodePercent } from '../parse/text';

export const SERVER_COMMAND_IDS: string[] = Object.values(ServerCommands);

function isRange(r: unknown): r is ShowLocationArgs['range'] {
  const p = (x: unknown) => typeof x === 'object' && x !== null && Number.isInteger((x as { line: unknown }).line) && Number.isInteger((x as { character: unknown }).character);
  return typeof r === 'object' && r !== null && p((r as { start: unknown }).start) && p((r as { end: unknown }).end);
}

/** `canShowDocument`: the client announced `window.showDocument` (LSP 3.16); otherwise the place is said in a message. */
export function registerServerCommands(connection: Connection, canShowDocument: () => boolean): void {
  connection.onExecuteCommand(async (p) => {
    const arg = (p.arguments?.[0] ?? {}) as Record<string, unknown>;
    if (p.command === ServerCommands.showLocation) {
      const { uri, range } = arg as Partial<ShowLocationArgs>;
      if (typeof uri !== 'string' || !isRange(range)) return null;
      if (canShowDocument()) {
        const r = await connection.window.showDocument({ uri, selection: range, takeFocus: true }).catch(() => ({ success: false }));
        if (r.success) return null;
      }
      void connection.window.showInformationMessage(`See ${decodePercent(uri.replace(/^file:\/\//, ''))}:${range.start.line + 1}`);
      return null;
    }
    if (p.command === ServerCommands.showOwnerCommand) {
      const { path, env, command } = arg as Partial<OwnerCommandArgs>;
      if (typeof path !== 'string' || typeof env !== 'string' || typeof command !== 'string') return null;
      void connection.window.showInformationMessage(`${path} is a shared secret: its owner shares it into ${env} by running \`${command}\`.`);
      return null;
    }
    return null;
  });
}
