// Commands on one parameter: add (from a code action), reveal, edit, delete, history, compare, copy path.
import * as vscode from 'vscode';
import type { AddParameterCommandArgs, ParameterType, PutParameterResult } from '../../../server/src/lsp/protocol';
import { ClientCommands, CompareRequest, DeleteParameterRequest, ParameterDetailsRequest, PutParameterRequest, RevealValueRequest } from '../../../server/src/lsp/protocol';
import type { Orchard } from '../orchard';
import { compareMarkdown, describeFailure, historyMarkdown } from '../present';
import type { OrchardNode } from '../tree/model';
import { askDescription, askType, askValue, type ProvidedAnswers } from './values';

/** Seconds a revealed value stays on the clipboard. */
export const CLIPBOARD_CLEAR_MS = 30_000;

export interface AddResult {
  added: string[];
  skipped: string[];
  failed: string[];
}

/** A parameter as commands see it, from a tree node or from arguments. */
interface Target {
  env: string;
  path: string;
  type?: ParameterType;
  version?: number;
}

function targetOf(n: unknown): Target | undefined {
  const node = n as OrchardNode | undefined;
  if (node?.type === 'parameter') return { env: node.env, path: node.node.path, type: node.node.info?.type, version: node.node.info?.version };
  const a = n as { env?: unknown; path?: unknown } | undefined;
  if (a && typeof a.env === 'string' && typeof a.path === 'string') return { env: a.env, path: a.path };
  return undefined;
}

/** Asks for environment and path when a command comes from the palette rather than the tree. */
async function pickTarget(orchard: Orchard, title: string): Promise<Target | undefined> {
  const envs = orchard.activeEnvs();
  const env = envs.length === 1 ? envs[0] : await vscode.window.showQuickPick(envs, { title, placeHolder: 'Environment' });
  if (!env) return undefined;
  const selected = vscode.window.activeTextEditor?.document.getText(vscode.window.activeTextEditor.selection).trim();
  const path = await vscode.window.showInputBox({
    title,
    prompt: `Full parameter path in ${env}`,
    value: selected && /^\/[\w./-]+$/.test(selected) ? selected : undefined,
    placeHolder: '/app/my-service/some/name',
    validateInput: (v) => (/^\/[\w./-]+$/.test(v.trim()) ? undefined : 'A full path starting with "/", e.g. /app/my-service/db/password'),
  });
  return path ? { env, path: path.trim() } : undefined;
}

function putProblem(r: PutParameterResult): string | undefined {
  if (r.ok) return undefined;
  switch (r.reason) {
    case 'exists': return 'it already exists';
    case 'invalid-name': return r.message;
    case 'untrusted': return 'the workspace is not trusted';
    case 'failed': return describeFailure(r.failure);
  }
}

export function registerParameterCommands(orchard: Orchard, refresh: () => Promise<void>): vscode.Disposable[] {
  const g = orchard.guard.bind(orchard);

  /** `orchard.addMissingParameter` (code actions): ask type, value, description; put in each env. */
  const addMissing = g('Add Missing Parameter', async (args?: AddParameterCommandArgs, answers: ProvidedAnswers = {}): Promise<AddResult> => {
    const result: AddResult = { added: [], skipped: [], failed: [] };
    let path = args?.path;
    if (!path) path = (await pickTarget(orchard, 'Add Parameter'))?.path;
    if (!path) return result;
    const envs = args?.envs?.length ? args.envs : orchard.activeEnvs();
    const type = answers.type ?? (await askType(path, args?.likelySecret ?? false));
    if (!type) return result;
    let value = answers.value;
    orchard.redactor.remember(value);
    if (value === undefined) value = await askValue(orchard, path, envs.join(', '), type);
    if (value === undefined) return result;
    const description = answers.description ?? (answers.value === undefined ? await askDescription(path) : undefined);
    for (const env of envs) {
      const base = { env, path, value, type, description: description || undefined };
      let r = await orchard.request(PutParameterRequest.method, { ...base, overwrite: false });
      if (!r.ok && r.reason === 'exists') {
        const overwrite = answers.overwrite ?? (await vscode.window.showWarningMessage(
          `${path} already exists in ${env}. Replace its value?`,
          { modal: true, detail: 'Someone created it after Orchard last looked. Replacing creates a new version.' },
          'Replace',
        )) === 'Replace';
        if (!overwrite) { result.skipped.push(env); continue; }
        r = await orchard.request(PutParameterRequest.method, { ...base, overwrite: true });
      }
      const problem = putProblem(r);
      if (problem) {
        result.failed.push(env);
        orchard.log.warn(`Could not add ${path} to ${env}: ${problem}`);
      } else result.added.push(env);
    }
    orchard.log.info(`Add ${path}: added in [${result.added.join(', ')}], skipped [${result.skipped.join(', ')}], failed [${result.failed.join(', ')}]`);
    if (result.failed.length) void vscode.window.showErrorMessage(`Could not add ${path} to ${result.failed.join(', ')}. See the Orchard output for why.`);
    else if (result.added.length) void vscode.window.showInformationMessage(`Added ${path} to ${result.added.join(', ')}.`);
    await refresh();
    return result;
  });

  const reveal = g('Reveal Value', async (node?: unknown) => {
    const t = targetOf(node) ?? (await pickTarget(orchard, 'Reveal Value'));
    if (!t) return;
    const ok = await vscode.window.showWarningMessage(
      `Reveal the value of ${t.path} in ${t.env}?`,
      { modal: true, detail: `The value is shown once and copied to the clipboard, which is cleared after ${CLIPBOARD_CLEAR_MS / 1000} seconds unless you copy something else. It is not written to any log or file.` },
      'Reveal',
    );
    if (ok !== 'Reveal') return;
    const r = await orchard.request(RevealValueRequest.method, { env: t.env, path: t.path });
    if (r.state === 'missing') { void vscode.window.showWarningMessage(`${t.path} does not exist in ${t.env}.`); return; }
    if (r.state === 'unknown') { void vscode.window.showErrorMessage(`Could not read ${t.path} in ${t.env}: ${describeFailure(r.failure)}`); return; }
    orchard.redactor.remember(r.value);
    orchard.log.info(`Revealed ${t.path} in ${t.env} (version ${r.version}) at the user's request.`);
    void orchard.clipboard.copy(r.value, CLIPBOARD_CLEAR_MS);
    // An input box is transient: it is not kept in notification history and closes on Escape.
    await vscode.window.showInputBox({
      title: `${t.path} · ${t.env} · version ${r.version}${r.type === 'SecureString' ? ' · SecureString' : ''}`,
      value: r.value,
      prompt: `Copied to the clipboard (cleared in ${CLIPBOARD_CLEAR_MS / 1000} s). Press Escape to close; editing here changes nothing.`,
      ignoreFocusOut: false,
    });
  });

  const edit = g('Edit Value', async (node?: unknown) => {
    const t = targetOf(node) ?? (await pickTarget(orchard, 'Edit Value'));
    if (!t) return;
    const type = t.type ?? (await askType(t.path, false));
    if (!type) return;
    const value = await askValue(orchard, t.path, t.env, type, 'New value');
    if (value === undefined) return;
    const base = { env: t.env, path: t.path, value, type };
    let r = await orchard.request(PutParameterRequest.method, { ...base, overwrite: false });
    if (!r.ok && r.reason === 'exists') {
      const ok = await vscode.window.showWarningMessage(
        `Replace the value of ${t.path} in ${t.env}?`,
        { modal: true, detail: `${t.version ? `Version ${t.version} stays in the history; ` : ''}the new value becomes the current version. Services read it on their next start.` },
        'Replace',
      );
      if (ok !== 'Replace') return;
      r = await orchard.request(PutParameterRequest.method, { ...base, overwrite: true });
    }
    const problem = putProblem(r);
    if (problem) void vscode.window.showErrorMessage(`Could not save ${t.path} in ${t.env}: ${problem}`);
    else void vscode.window.showInformationMessage(`Saved ${t.path} in ${t.env}${r.ok ? ` (version ${r.version})` : ''}.`);
    await refresh();
  });

  const del = g('Delete Parameter', async (node?: unknown) => {
    const t = targetOf(node) ?? (await pickTarget(orchard, 'Delete Parameter'));
    if (!t) return;
    const ok = await vscode.window.showWarningMessage(
      `Delete ${t.path} from ${t.env}?`,
      { modal: true, detail: 'Services that declare it will fail to start in this environment until it is added again.' },
      'Delete',
    );
    if (ok !== 'Delete') return;
    const r = await orchard.request(DeleteParameterRequest.method, { env: t.env, path: t.path });
    if (r.ok) void vscode.window.showInformationMessage(`Deleted ${t.path} from ${t.env}.`);
    else if (r.reason === 'replication-source') {
      void vscode.window.showErrorMessage(`${t.path} was not deleted: it is the replication source of ${r.destinations.join(', ')}. Remove those replications first.`, { modal: true });
    } else if (r.reason === 'missing') void vscode.window.showWarningMessage(`${t.path} no longer exists in ${t.env}.`);
    else if (r.reason === 'untrusted') void vscode.window.showWarningMessage('Orchard does not change parameters from an untrusted workspace.');
    else void vscode.window.showErrorMessage(`Could not delete ${t.path} from ${t.env}: ${describeFailure(r.failure)}`);
    await refresh();
  });

  const history = g('Show History', async (node?: unknown) => {
    const t = targetOf(node) ?? (await pickTarget(orchard, 'Show History'));
    if (!t) return;
    const d = await orchard.request(ParameterDetailsRequest.method, { env: t.env, path: t.path, history: true });
    orchard.views.show('history', `${t.path} (${t.env})`, historyMarkdown(d, (u) => vscode.workspace.asRelativePath(vscode.Uri.parse(u))));
  });

  const compare = g('Compare Across Environments', async (node?: unknown) => {
    const n = node as OrchardNode | undefined;
    const envs = orchard.activeEnvs();
    let title: string;
    let params: { envs: string[]; prefix?: string; paths?: string[] };
    if (n?.type === 'folder') { title = `${n.path}/`; params = { envs, prefix: n.path }; }
    else if (n?.type === 'parameter') { title = n.node.path; params = { envs, paths: [n.node.path] }; }
    else {
      const prefix = await vscode.window.showInputBox({ title: 'Compare Across Environments', prompt: 'Path prefix to compare, e.g. a service twig', placeHolder: '/app/my-service', validateInput: (v) => (v.startsWith('/') ? undefined : 'A Parameter Store path starts with /') });
      if (!prefix) return;
      params = { envs, prefix: prefix.replace(/\/+$/, '') }; title = `${params.prefix}/`;
    }
    const r = await orchard.request(CompareRequest.method, params);
    orchard.views.show('compare', title, compareMarkdown(title, r));
  });

  const copyPath = g('Copy Path', async (node?: unknown) => {
    const n = node as OrchardNode | undefined;
    const path = n?.type === 'parameter' ? n.node.path : n?.type === 'folder' ? n.path : undefined;
    if (path) {
      await vscode.env.clipboard.writeText(path);
      vscode.window.setStatusBarMessage(`$(copy) Copied ${path}`, 3000);
    }
  });

  return [
    vscode.commands.registerCommand(ClientCommands.addParameter, addMissing),
    vscode.commands.registerCommand('orchard.revealValue', reveal),
    vscode.commands.registerCommand('orchard.tree.editValue', edit),
    vscode.commands.registerCommand('orchard.tree.delete', del),
    vscode.commands.registerCommand('orchard.tree.showHistory', history),
    vscode.commands.registerCommand('orchard.tree.compare', compare),
    vscode.commands.registerCommand('orchard.tree.copyPath', copyPath),
  ];
}
