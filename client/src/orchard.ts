// Shared state of the running extension: the language client, the active environments, the log,
// and a typed request helper for the `orchard/...` protocol.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { OrchardRequests, StatusResult } from '../../server/src/lsp/protocol';
import { SetEnvironmentsRequest, StatusRequest } from '../../server/src/lsp/protocol';
import { scrubbingChannel } from './log';
import { Redactor } from './redactor';
import { TransientClipboard } from './transientClipboard';
import { ViewPanels } from './viewPanels';
import { VirtualDocs } from './virtualDocs';

const ACTIVE_ENVS_KEY = 'orchard.activeEnvironments';

export class Orchard {
  readonly redactor = new Redactor();
  readonly clipboard = new TransientClipboard(vscode.env.clipboard);
  readonly docs = new VirtualDocs();
  /** Rendered sync plan / compare / history, one panel per kind. */
  readonly views = new ViewPanels(this.docs);
  private readonly envsChanged = new vscode.EventEmitter<string[]>();
  readonly onDidChangeEnvironments = this.envsChanged.event;
  private readonly statusChanged = new vscode.EventEmitter<StatusResult | undefined>();
  readonly onDidChangeStatus = this.statusChanged.event;
  lastStatus: StatusResult | undefined;
  client: LanguageClient | undefined;

  /** Every line written here is scrubbed (see log.ts); the language client shares it. */
  readonly log: vscode.LogOutputChannel;

  constructor(readonly context: vscode.ExtensionContext, channel: vscode.LogOutputChannel) {
    this.log = scrubbingChannel(channel, this.redactor);
  }

  /** Environments configured for this machine (`orchard.environments`). */
  configuredEnvs(): string[] {
    const v = vscode.workspace.getConfiguration('orchard').get<unknown>('environments');
    return Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string' && e.length > 0) : [];
  }

  /** The environments checked in this workspace: the saved choice, limited to configured ones. */
  activeEnvs(): string[] {
    const configured = this.configuredEnvs();
    const saved = this.context.workspaceState.get<string[]>(ACTIVE_ENVS_KEY);
    if (!saved) return configured;
    const kept = saved.filter((e) => configured.includes(e));
    return kept.length ? kept : configured;
  }

  async setActiveEnvs(envs: string[]): Promise<void> {
    await this.context.workspaceState.update(ACTIVE_ENVS_KEY, envs);
    if (this.client?.isRunning()) await this.request(SetEnvironmentsRequest.method, { envs });
    this.envsChanged.fire(envs);
    await this.refreshStatus();
  }

  async request<M extends keyof OrchardRequests>(method: M, params: OrchardRequests[M]['params'], token?: vscode.CancellationToken): Promise<OrchardRequests[M]['result']> {
    if (!this.client) throw new Error('The Orchard language server is not running.');
    // an explicit `undefined` token would be sent as a second positional parameter
    return token
      ? this.client.sendRequest<OrchardRequests[M]['result']>(method, params, token)
      : this.client.sendRequest<OrchardRequests[M]['result']>(method, params);
  }

  async refreshStatus(): Promise<StatusResult | undefined> {
    try {
      this.lastStatus = this.client?.isRunning() ? await this.request(StatusRequest.method, {}) : undefined;
    } catch (e) {
      this.log.warn(`Could not read the server status: ${e instanceof Error ? e.message : String(e)}`);
      this.lastStatus = undefined;
    }
    this.statusChanged.fire(this.lastStatus);
    return this.lastStatus;
  }

  /** Runs a command body; failures are logged and shown once, never with a value in them. */
  guard<A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
    return async (...args: A) => {
      try {
        return await fn(...args);
      } catch (e) {
        const msg = this.redactor.scrub(e instanceof Error ? e.message : String(e));
        this.log.error(`${name} failed: ${msg}`);
        void vscode.window.showErrorMessage(`Orchard: ${name} failed: ${msg}`, 'Show Output').then((b) => {
          if (b) this.log.show(true);
        });
        return undefined;
      }
    };
  }

  dispose(): void {
    this.envsChanged.dispose();
    this.statusChanged.dispose();
    this.views.dispose();
    this.docs.dispose();
  }
}
