// Service-level commands: Sync (plan first, then apply with progress), Add Missing Parameters,
// Prune Strays (confirm each), Validate.
import * as vscode from 'vscode';
import type { RunSyncCommandArgs, SyncApplyItem, SyncCreateItem, SyncPlanResult } from '../../../server/src/lsp/protocol';
import { ClientCommands, DeleteParameterRequest, RefreshRequest, RegenerateFiggyJsonRequest, StatusRequest, SyncApplyRequest, SyncPlanRequest } from '../../../server/src/lsp/protocol';
import type { Orchard } from '../orchard';
import { describeFailure, planCounts, planMarkdown, planSummary } from '../present';
import { askDescription, askType, askValue } from './values';

/** What the Regenerate figgy.json command did (returned for scripts and tests). */
type RegenerateOutcome = { applied: true; target: string; summary: string } | { applied: false; reason: string };

/** Picks the service when the workspace has several; undefined means "all services". */
async function pickService(orchard: Orchard, given?: string): Promise<{ id?: string; label: string } | undefined> {
  if (given) return { id: given, label: given };
  const status = await orchard.request(StatusRequest.method, {});
  if (status.services.length <= 1) return { id: status.services[0]?.id, label: status.services[0]?.twig ?? status.services[0]?.id ?? 'workspace' };
  const all = { label: '$(folder-library) All services', id: undefined as string | undefined, description: `${status.services.length} services` };
  const pick = await vscode.window.showQuickPick(
    [all, ...status.services.map((s) => ({ label: s.twig ?? s.id, description: vscode.workspace.asRelativePath(vscode.Uri.parse(s.root)), id: s.id as string | undefined }))],
    { title: 'Orchard: which service?' },
  );
  return pick ? { id: pick.id, label: pick.id ? pick.label : 'all services' } : undefined;
}

async function plan(orchard: Orchard, serviceId: string | undefined): Promise<SyncPlanResult> {
  return orchard.request(SyncPlanRequest.method, { serviceId, envs: orchard.activeEnvs() });
}

/**
 * Asks type and value for each item. Escape on a value skips that parameter; Escape on the type
 * offers to stop asking (values entered so far are still created).
 */
async function collectValues(orchard: Orchard, env: string, items: SyncCreateItem[], total: { done: number; of: number }): Promise<{ items: SyncApplyItem[]; stop: boolean }> {
  const out: SyncApplyItem[] = [];
  for (const item of items) {
    total.done++;
    const type = item.origin === 'merged' ? 'SecureString' : await askType(item.path, item.likelySecret);
    if (!type) {
      const a = await vscode.window.showWarningMessage(`Skip ${item.path} in ${env}?`, { modal: true, detail: 'Values entered so far are kept and created at the end.' }, 'Skip', 'Stop Asking');
      if (a === 'Stop Asking') return { items: out, stop: true };
      continue;
    }
    const value = await askValue(orchard, item.path, env, type, `${total.done}/${total.of}`);
    if (value === undefined) continue;
    const description = await askDescription(item.path);
    out.push({ path: item.path, value, type, description: description || undefined });
  }
  return { items: out, stop: false };
}

export function registerSyncCommands(orchard: Orchard, refresh: () => Promise<void>): vscode.Disposable[] {
  const g = orchard.guard.bind(orchard);

  const sync = g('Sync', async (args?: RunSyncCommandArgs) => {
    const svc = await pickService(orchard, args?.serviceId);
    if (!svc) return;
    const p = await orchard.request(SyncPlanRequest.method, { serviceId: svc.id, envs: args?.envs?.length ? args.envs : orchard.activeEnvs() });
    orchard.views.show('sync', svc.label, planMarkdown(svc.label, p));
    const askable = p.plans.map((e) => ({ env: e.env, items: e.create.filter((c) => !c.source) }));
    const n = askable.reduce((s, e) => s + e.items.length, 0);
    const counts = planCounts(p);
    if (n === 0) {
      void vscode.window.showInformationMessage(`Sync ${svc.label}: nothing to create (${planSummary(p)}).${counts.stray ? ' Use Prune Stray Parameters for the strays.' : ''}`);
      return;
    }
    const go = await vscode.window.showInformationMessage(
      `Create ${n} missing parameter${n === 1 ? '' : 's'} for ${svc.label}?`,
      { modal: true, detail: `${planSummary(p)}\n\nYou will be asked for each value (secrets in a hidden input). Replicated parameters are filled by Figgy and are not asked for. Nothing is overwritten.` },
      'Create…',
    );
    if (go !== 'Create…') return;
    const total = { done: 0, of: n };
    const batches: { env: string; items: SyncApplyItem[] }[] = [];
    for (const e of askable) {
      if (!e.items.length) continue;
      const { items, stop } = await collectValues(orchard, e.env, e.items, total);
      if (items.length) batches.push({ env: e.env, items });
      if (stop) break;
    }
    const created: string[] = [];
    const problems: string[] = [];
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Orchard: syncing ${svc.label}`, cancellable: true }, async (progress, token) => {
      const count = batches.reduce((s, b) => s + b.items.length, 0);
      for (const b of batches) {
        if (token.isCancellationRequested) break;
        progress.report({ message: `${b.env}: creating ${b.items.length}` });
        const r = await orchard.request(SyncApplyRequest.method, { env: b.env, items: b.items }, token);
        for (const x of r.results) {
          if (x.result.ok) created.push(`${b.env}:${x.path}`);
          else problems.push(`${b.env}:${x.path} (${x.result.reason === 'failed' ? describeFailure(x.result.failure) : x.result.reason})`);
        }
        progress.report({ increment: (100 * b.items.length) / Math.max(1, count) });
      }
    });
    orchard.log.info(`Sync ${svc.label}: created ${created.length}; problems: ${problems.join('; ') || 'none'}`);
    await refresh();
    if (problems.length) void vscode.window.showWarningMessage(`Sync created ${created.length} parameter(s); ${problems.length} failed: ${problems.slice(0, 3).join(', ')}${problems.length > 3 ? '…' : ''}`);
    else void vscode.window.showInformationMessage(`Sync created ${created.length} parameter(s).`);
  });

  const addMissing = g('Add Missing Parameters', async () => {
    const svc = await pickService(orchard);
    if (!svc) return;
    const p = await plan(orchard, svc.id);
    const byPath = new Map<string, { item: SyncCreateItem; envs: string[] }>();
    for (const e of p.plans) for (const c of e.create) {
      if (c.source) continue;
      const x = byPath.get(c.path) ?? { item: c, envs: [] };
      x.envs.push(e.env);
      byPath.set(c.path, x);
    }
    if (byPath.size === 0) { void vscode.window.showInformationMessage(`Nothing is missing (${planSummary(p)}).`); return; }
    const picks = await vscode.window.showQuickPick(
      [...byPath.values()].map((x) => ({ label: x.item.path, description: `missing in ${x.envs.join(', ')}`, detail: x.item.likelySecret ? 'likely a secret' : undefined, picked: true, x })),
      { title: 'Add Missing Parameters', canPickMany: true, placeHolder: 'Choose the parameters to add; you will be asked for each value' },
    );
    for (const pick of picks ?? []) {
      await vscode.commands.executeCommand(ClientCommands.addParameter, { path: pick.x.item.path, envs: pick.x.envs, likelySecret: pick.x.item.likelySecret, serviceId: pick.x.item.serviceId });
    }
  });

  const prune = g('Prune Stray Parameters', async () => {
    const svc = await pickService(orchard);
    if (!svc) return;
    const p = await plan(orchard, svc.id);
    const strays = p.plans.flatMap((e) => e.stray.map((path) => ({ env: e.env, path })));
    if (strays.length === 0) { void vscode.window.showInformationMessage('No stray parameters: everything under the twig is declared.'); return; }
    let deleted = 0;
    for (const [i, s] of strays.entries()) {
      // figgy-cli's prune defaults to No for each parameter; so does this dialog (Escape = skip).
      const answer = await vscode.window.showWarningMessage(
        `Delete stray parameter ${s.path} from ${s.env}? (${i + 1} of ${strays.length})`,
        { modal: true, detail: 'Nothing in this workspace declares it. Deleting cannot be undone here.' },
        'Delete', 'Skip', 'Stop',
      );
      if (answer === 'Stop') break;
      if (answer !== 'Delete') continue;
      const r = await orchard.request(DeleteParameterRequest.method, s);
      if (r.ok) deleted++;
      else if (r.reason === 'replication-source') void vscode.window.showWarningMessage(`${s.path} is a replication source of ${r.destinations.join(', ')}; not deleted.`);
      else if (r.reason === 'failed') void vscode.window.showErrorMessage(`Could not delete ${s.path}: ${describeFailure(r.failure)}`);
    }
    void vscode.window.showInformationMessage(`Pruned ${deleted} stray parameter(s).`);
    await refresh();
  });

  const validate = g('Validate', async () => {
    const envs = orchard.activeEnvs();
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Orchard: validating' }, async () => {
      await orchard.request(RefreshRequest.method, { envs });
      return plan(orchard, undefined);
    });
    const c = planCounts(r);
    const summary = planSummary(r);
    orchard.log.info(`Validate: ${summary}`);
    if (c.create === 0 && c.blocked === 0 && c.unknown === 0 && !r.plans.some((e) => e.failure)) {
      void vscode.window.showInformationMessage(`Orchard: every declared parameter exists (${summary}).`);
    } else {
      // not awaited: the command returns the plan while the notification stays
      void vscode.window.showWarningMessage(`Orchard: ${summary}`, 'Show Problems', 'Sync…').then((b) => {
        if (b === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
        if (b === 'Sync…') void vscode.commands.executeCommand(ClientCommands.runSync);
      });
    }
    await refresh();
    return r;
  });

  // Regenerate figgy.json, from the palette: for the active file's service (or a config.py picked),
  // written into the open or opened figgy.json, shown, with what changed said. The server answers
  // the whole new text; the replaced range is the document's own, taken when the edit is made, so
  // an edit or an auto-save in between cannot make it stale.
  const regenerate = g('Regenerate figgy.json', async (): Promise<RegenerateOutcome | undefined> => {
    let target = vscode.window.activeTextEditor?.document.uri;
    if (!target || !/\.(py|json)$/.test(target.path)) {
      const found = await vscode.workspace.findFiles('**/config.py', '**/{node_modules,.git,.venv,venv}/**', 200);
      if (found.length === 0) {
        void vscode.window.showInformationMessage('Orchard: no config.py in this workspace.');
        return { applied: false, reason: 'no-service' };
      }
      const pick = found.length === 1 ? { uri: found[0] } : await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: 'Regenerate figgy.json from which config.py?' });
      if (!pick) return undefined;
      target = pick.uri;
    }
    const r = await orchard.request(RegenerateFiggyJsonRequest.method, { uri: target.toString() });
    if (!r.ok) {
      if (r.reason === 'matches') {
        void vscode.window.showInformationMessage(`Orchard: ${vscode.workspace.asRelativePath(vscode.Uri.parse(r.target))} already matches ${vscode.workspace.asRelativePath(vscode.Uri.parse(r.configPy))}.`);
      } else {
        void vscode.window.showWarningMessage(`Orchard: figgy.json not regenerated: ${r.message}.`);
      }
      return { applied: false, reason: r.reason };
    }
    const uri = vscode.Uri.parse(r.target);
    if (r.create) {
      const create = new vscode.WorkspaceEdit();
      create.createFile(uri, { ignoreIfExists: true });
      await vscode.workspace.applyEdit(create);
    }
    // The edit carries the document's version: if the document changed on its way (typing), take
    // its range again.
    let written = false;
    for (let attempt = 0; attempt < 3 && !written; attempt++) {
      const doc = await vscode.workspace.openTextDocument(uri);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), r.content);
      written = await vscode.workspace.applyEdit(edit);
    }
    if (!written) {
      void vscode.window.showErrorMessage(`Orchard: ${vscode.workspace.asRelativePath(uri)} could not be written.`);
      return { applied: false, reason: 'not-written' };
    }
    await vscode.window.showTextDocument(uri, { preview: true });
    const done = r.create ? 'written from config.py (a new file)' : `regenerated (${r.summary})`;
    void vscode.window.showInformationMessage(`Orchard: ${vscode.workspace.asRelativePath(uri)} ${done}. Save it to keep it.`);
    return { applied: true, target: r.target, summary: r.summary };
  });

  return [
    vscode.commands.registerCommand('orchard.regenerateFiggyJson', regenerate),
    vscode.commands.registerCommand(ClientCommands.runSync, sync),
    vscode.commands.registerCommand('orchard.addMissingParameters', addMissing),
    vscode.commands.registerCommand('orchard.pruneStrays', prune),
    vscode.commands.registerCommand('orchard.validate', validate),
  ];
}
