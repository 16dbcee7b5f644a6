// Entry point of the VS Code extension: starts the Orchard language server over IPC and wires the
// tree, commands and status bar to it. Language features (diagnostics, hovers, code actions...)
// come from the server through vscode-languageclient; this side adds UI the protocol lacks.
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SERVER_EXEC_ARGV } from './serverFlags';
import type { BackendChangedParams, OrchardInitOptions } from '../../server/src/lsp/protocol';
import { BackendChangedNotification, ClientCommands, MachineSettingsNotification, RefreshRequest, SETTINGS_SECTION, TrustChangedNotification } from '../../server/src/lsp/protocol';
import { MACHINE_KEYS, machineSettings } from './machineSettings';
import { registerParameterCommands } from './commands/parameter';
import { registerSyncCommands } from './commands/sync';
import { registerCredentialCommands } from './commands/credentials';
import { AppsTreeProvider } from './tree/appsProvider';
import { Orchard } from './orchard';
import { describeFailure, statusBarText } from './present';
import { CONFIG_EXCLUDE, CONFIG_GLOB, DOCUMENT_SELECTOR } from './selector';
import type { OrchardNode } from './tree/model';
import { OrchardTreeProvider } from './tree/provider';
import type { ViewKind } from './viewPanels';
import { VIEW_SCHEME } from './virtualDocs';

/** What `activate` returns: enough for integration tests to observe the extension, no values. */
export interface OrchardApi {
  /** Settles when the language server is up (rejects if it could not start). */
  ready: Promise<void>;
  /** The tree exactly as the view asks for it. */
  treeChildren(node?: OrchardNode): Promise<OrchardNode[]>;
  activeEnvironments(): string[];
  /** What the last sync plan / compare / history view was rendered from, its title and page. */
  viewSnapshot(kind: ViewKind): { title: string; markdown: string; html: string } | undefined;
}

let orchard: Orchard | undefined;

export function activate(context: vscode.ExtensionContext): OrchardApi {
  const channel = vscode.window.createOutputChannel('Orchard', { log: true });
  const o = new Orchard(context, channel);
  orchard = o;
  context.subscriptions.push(channel, { dispose: () => o.dispose() });
  void vscode.commands.executeCommand('setContext', 'orchard.active', true);

  const tree = new OrchardTreeProvider(o);
  const view = vscode.window.createTreeView('orchard.tree', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(tree, view, vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, o.docs));
  const apps = new AppsTreeProvider(o);
  const appsView = vscode.window.createTreeView('orchard.apps', { treeDataProvider: apps, showCollapseAll: true });
  context.subscriptions.push(apps, appsView);

  const status = vscode.window.createStatusBarItem('orchard.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Orchard Environments';
  status.command = 'orchard.selectEnvironments';
  const showStatus = (): void => {
    const s = statusBarText(o.lastStatus, o.activeEnvs());
    status.text = s.text;
    status.tooltip = new vscode.MarkdownString(s.tooltip);
    status.show();
  };
  showStatus();
  // Environment nodes carry the status's missing counts: redraw them with it.
  context.subscriptions.push(status, o.onDidChangeStatus(showStatus), o.onDidChangeStatus(() => tree.refresh()));

  const refreshAll = async (): Promise<void> => {
    tree.refresh();
    apps.refresh();
    await o.refreshStatus();
  };

  // The welcome view shows while no figgy.json exists; keep the context key in step with the disk.
  const updateHasConfig = async (): Promise<void> => {
    const found = await vscode.workspace.findFiles(CONFIG_GLOB, CONFIG_EXCLUDE, 1);
    tree.hasConfig = found.length > 0;
    await vscode.commands.executeCommand('setContext', 'orchard.hasConfig', tree.hasConfig);
    tree.refresh();
  };
  const watcher = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB, false, true, false);
  context.subscriptions.push(watcher, watcher.onDidCreate(() => void updateHasConfig()), watcher.onDidDelete(() => void updateHasConfig()));
  void updateHasConfig();

  // Server over node IPC from the bundle shipped in the extension (dist/server.js).
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6010'] } },
  };
  // Backends, the store folder and value display travel only as machineSettings, built from the
  // user scope (a workspace cannot set them); the server ignores them in workspace settings.
  const initializationOptions: OrchardInitOptions = {
    workspaceTrusted: vscode.workspace.isTrusted,
    environments: o.activeEnvs(),
    machineSettings: machineSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION)),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { configurationSection: SETTINGS_SECTION },
    initializationOptions,
    outputChannel: o.log,
    traceOutputChannel: o.log,
    markdown: { isTrusted: false, supportHtml: false },
  };
  const client = new LanguageClient('orchard', 'Orchard Language Server', serverOptions, clientOptions);
  o.client = client;

  const ready = (async () => {
    await client.start();
    context.subscriptions.push(client.onNotification(BackendChangedNotification.method, (p: BackendChangedParams) => {
      o.log.debug(`Backend changed (${p.reason}) in ${p.envs.join(', ')}`);
      void refreshAll();
    }));
    o.log.info(`Orchard language server started; environments: ${o.activeEnvs().join(', ') || 'none'}; trusted: ${vscode.workspace.isTrusted}`);
    await o.refreshStatus();
    tree.refresh();
    apps.refresh();
  })();
  ready.catch((e: unknown) => {
    status.text = '$(error) Orchard';
    status.tooltip = 'The Orchard language server is not running. Click to show its output.';
    status.command = 'orchard.showOutput';
    o.log.error(`The Orchard language server could not start: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showErrorMessage('Orchard: the language server could not start. See the Orchard output.', 'Show Output').then((b) => b && o.log.show(true));
  });
  context.subscriptions.push({ dispose: () => void client.stop().catch(() => undefined) });

  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
    void (async () => {
      await ready;
      await client.sendNotification(TrustChangedNotification.method, { trusted: true });
      await refreshAll();
    })();
  }));

  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('orchard.environments')) void o.setActiveEnvs(o.activeEnvs()).then(() => tree.refresh());
    if (MACHINE_KEYS.some((k) => e.affectsConfiguration(`${SETTINGS_SECTION}.${k}`))) {
      void (async () => {
        await ready;
        await client.sendNotification(MachineSettingsNotification.method, machineSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION)));
        await refreshAll();
      })().catch(() => undefined);
    }
  }));

  const g = o.guard.bind(o);
  context.subscriptions.push(
    ...registerParameterCommands(o, refreshAll),
    ...registerSyncCommands(o, refreshAll),
    ...registerCredentialCommands(o),
    vscode.commands.registerCommand('orchard.apps.refresh', () => apps.refresh()),
    vscode.commands.registerCommand('orchard.refresh', g('Refresh', async () => {
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Orchard: refreshing' }, () => o.request(RefreshRequest.method, { envs: o.activeEnvs() }));
      for (const f of r.failures) void vscode.window.showWarningMessage(`Orchard could not read ${f.env}: ${describeFailure(f.failure)}`);
      await refreshAll();
      return r;
    })),
    vscode.commands.registerCommand('orchard.showOutput', () => o.log.show()),
    vscode.commands.registerCommand('orchard.view.openSource', g('Open Markdown Source', (kind?: unknown) => o.views.openSource(kind))),
    vscode.commands.registerCommand('orchard.selectEnvironments', g('Select Environments', async () => {
      const configured = o.configuredEnvs();
      if (configured.length === 0) {
        const b = await vscode.window.showWarningMessage('No environments are configured. Add them to the orchard.environments setting.', 'Open Settings');
        if (b) await vscode.commands.executeCommand('workbench.action.openSettings', 'orchard.environments');
        return;
      }
      const active = new Set(o.activeEnvs());
      const byEnv = new Map((o.lastStatus?.envs ?? []).map((e) => [e.env, e]));
      const picks = await vscode.window.showQuickPick(
        configured.map((env) => {
          const s = byEnv.get(env);
          return { label: env, picked: active.has(env), description: s ? `${s.backendKind}${s.identity ? ` · ${s.identity}` : ''}` : undefined, detail: s?.failure ? describeFailure(s.failure) : undefined };
        }),
        { title: 'Orchard: environments to check in this workspace', canPickMany: true, placeHolder: 'Diagnostics, hovers and the tree cover the selected environments' },
      );
      if (!picks) return;
      if (picks.length === 0) { void vscode.window.showWarningMessage('Keep at least one environment selected.'); return; }
      await o.setActiveEnvs(picks.map((p) => p.label));
      tree.refresh();
    })),
    vscode.commands.registerCommand('orchard.tree.filter', g('Filter', async () => {
      const f = await vscode.window.showInputBox({
        title: 'Filter the Fig Orchard',
        value: tree.filter,
        prompt: 'A path prefix such as /app/my-service, or any text to match in parameter paths. Empty clears the filter.',
      });
      if (f === undefined) return;
      await tree.setFilter(f);
      view.message = tree.filter ? `Filter: ${tree.filter}` : undefined;
    })),
    vscode.commands.registerCommand('orchard.tree.clearFilter', async () => {
      await tree.setFilter(undefined);
      view.message = undefined;
    }),
    vscode.commands.registerCommand(ClientCommands.revealInTree, g('Show in Fig Orchard', async (args?: { path?: string }) => {
      if (!args?.path) return;
      await tree.setFilter(args.path);
      view.message = `Filter: ${args.path}`;
      await vscode.commands.executeCommand('orchard.tree.focus');
    })),
  );

  return {
    ready,
    treeChildren: (node) => tree.getChildren(node),
    activeEnvironments: () => o.activeEnvs(),
    viewSnapshot: (kind) => o.views.snapshot(kind),
  };
}

export async function deactivate(): Promise<void> {
  const o = orchard;
  orchard = undefined;
  if (!o) return;
  await o.clipboard.flush().catch(() => undefined);
  await o.client?.stop().catch(() => undefined);
}
