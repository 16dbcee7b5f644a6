// Asking the user for values. Secrets are typed into password boxes; every value typed is
// remembered by the redactor so no log line can echo it.
import * as vscode from 'vscode';
import type { ParameterType } from '../../../server/src/lsp/protocol';
import type { Orchard } from '../orchard';

/**
 * Answers given programmatically instead of asking (used by tests and by other extensions
 * automating Orchard). Anything left out is asked interactively.
 */
export interface ProvidedAnswers {
  value?: string;
  type?: ParameterType;
  description?: string;
  /** Answer to "overwrite the existing parameter?"; default: ask. */
  overwrite?: boolean;
}

export async function askType(path: string, likelySecret: boolean): Promise<ParameterType | undefined> {
  const secret = { label: '$(lock) SecureString', description: 'encrypted; never shown in hovers or logs', type: 'SecureString' as const };
  const plain = { label: '$(symbol-string) String', description: 'plain text', type: 'String' as const };
  const pick = await vscode.window.showQuickPick(likelySecret ? [secret, plain] : [plain, secret], {
    title: `Type of ${path}`,
    placeHolder: likelySecret ? 'This looks like a secret: SecureString is suggested' : 'Choose the parameter type',
    ignoreFocusOut: true,
  });
  return pick?.type;
}

export async function askValue(orchard: Orchard, path: string, env: string, type: ParameterType, step?: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `${step ? `${step} · ` : ''}Value of ${path} in ${env}`,
    prompt: type === 'SecureString' ? 'Secret value (hidden while typing; stored encrypted)' : 'Value',
    password: type === 'SecureString',
    ignoreFocusOut: true,
    validateInput: (v) => (v.length === 0 ? 'Parameter Store does not accept empty values.' : v.length > 8192 ? 'Parameter Store limits advanced values to 8 KB.' : undefined),
  });
  orchard.redactor.remember(value);
  return value;
}

export async function askDescription(path: string): Promise<string | undefined> {
  return vscode.window.showInputBox({ title: `Description of ${path} (optional)`, prompt: 'Shown in hovers and history. Do not put secrets here.', ignoreFocusOut: true });
}
