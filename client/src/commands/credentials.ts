// `orchard.moveCredential` (a code action on a plaintext credential): pick the environment, confirm
// the parameter path, let the server move the value into the store (it reads the value from the
// file: it never passes through here), apply the reference edit, then say how CI gets the value.
import * as vscode from 'vscode';
import { ClientCommands, MoveCredentialRequest, type MoveCredentialCommandArgs, type MoveCredentialResult } from '../../../server/src/lsp/protocol';
import type { Orchard } from '../orchard';
import { describeFailure } from '../present';

function problem(r: MoveCredentialResult): string | undefined {
  if (r.ok) return undefined;
  switch (r.reason) {
    case 'exists':
      return 'the parameter already exists';
    case 'failed':
      return describeFailure(r.failure);
    default:
      return r.message;
  }
}

export function registerCredentialCommands(orchard: Orchard): vscode.Disposable[] {
  const g = orchard.guard.bind(orchard);
  const move = g('Move Credential', async (args?: MoveCredentialCommandArgs): Promise<boolean> => {
    if (!args?.uri || !args.fingerprint) return false;
    const envs = orchard.activeEnvs();
    const env = envs.length === 1 ? envs[0] : await vscode.window.showQuickPick(envs, { title: `Move ${args.name}: environment`, placeHolder: 'Store the credential in which environment?' });
    if (!env) return false;
    const path = await vscode.window.showInputBox({
      title: `Move ${args.name} to the ${env} parameter store (SecureString)`,
      prompt: 'Parameter path; the file then references the variable instead of holding the value',
      value: args.path,
      validateInput: (v) => (/^\/[\w./-]+$/.test(v.trim()) ? undefined : 'A full path starting with "/", e.g. /ci/my-repo/aws_secret_access_key'),
    });
    if (!path) return false;
    const params = { uri: args.uri, fingerprint: args.fingerprint, name: args.name, path: path.trim(), env, overwrite: false };
    let r = await orchard.request(MoveCredentialRequest.method, params);
    if (!r.ok && r.reason === 'exists') {
      const yes = await vscode.window.showWarningMessage(`${params.path} already exists in ${env}. Overwrite it with this credential?`, { modal: true }, 'Overwrite');
      if (yes !== 'Overwrite') return false;
      r = await orchard.request(MoveCredentialRequest.method, { ...params, overwrite: true });
    }
    if (!r.ok) {
      void vscode.window.showErrorMessage(`Orchard: could not move ${args.name}: ${problem(r)}`);
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const [uri, edits] of Object.entries(r.changes)) {
      for (const e of edits) edit.replace(vscode.Uri.parse(uri), new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
    }
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      void vscode.window.showWarningMessage(`Orchard: ${args.name} is stored at ${params.path} (${env}), but the file could not be edited; replace the value by hand.`);
      return false;
    }
    const pick = await vscode.window.showInformationMessage(`Moved ${args.name} to ${params.path} (${env}). ${r.hint}`, 'Copy Command');
    if (pick === 'Copy Command') {
      const cmd = /:\s(.+)$/.exec(r.hint)?.[1] ?? r.hint;
      await vscode.env.clipboard.writeText(cmd);
    }
    return true;
  });
  return [vscode.commands.registerCommand(ClientCommands.moveCredential, move)];
}
