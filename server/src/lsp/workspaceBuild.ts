// The workspace model built from the models the document cache holds (open documents over the
// files read from disk): in full from every held file, or, when only single files' models changed
// (an edit, opening or closing, a re-read from disk), by patching the last full build with them
// (model/patch.ts) — a keystroke must not cost a whole-workspace build.
import type { FiggyJsonModel, PythonConfigModel, SecretsJsonModel } from '../parse/types';
import { ENV_LISTS, type EnvFiles, type EnvListModel, type EnvListName, type FileCredentials, type WorkspaceModel } from '../model/types';
import { buildWorkspace, type BuildInput, type BuildOptions } from '../model/build';
import { patchWorkspace, type Built } from '../model/patch';
import { addEnvFile, classifyFile, importedPaths, isRelevantPython, type ConfigRead, type FileKind } from '../model/scan';
import { toPath, toUri } from '../model/uris';
import { envListOf, envModelOf, type EnvFileKind, type EnvFileModel } from '../model/files';
import type { AnyModel, DiskFiles, PatchKind } from './diskFiles';

/** What the builder reads of the document cache: a view DocumentCache gives of its open documents over its disk files. */
export interface HeldModels {
  readonly files: DiskFiles;
  /** Uris of the open documents. */
  openUris(): Iterable<string>;
  /** How a file's changed model may be patched in: the open document's kind, else the disk's (undefined: it cannot). */
  patchKind(uri: string): PatchKind | undefined;
  /** A Figgy file's kind: the open document's, else the disk file's. */
  fileKind(uri: string): FileKind | undefined;
  model(uri: string): AnyModel | undefined;
  envModel(uri: string): EnvFileModel | undefined;
  pythonCreds(uri: string): FileCredentials | undefined;
  read(uri: string): Promise<ConfigRead>;
  /** A figgy.json's model merged with the files it imports (read through `read`). */
  resolveImports(m: FiggyJsonModel, read: (path: string) => Promise<ConfigRead>): Promise<FiggyJsonModel>;
  gitStatus(): Map<string, 'tracked' | 'ignored' | 'untracked'> | undefined;
  /** `orchard.apps.roots` as uris. */
  appRoots(): string[];
}

/**
 * The last complete build, with where each Python file and credentials entry sits in its input:
 * changes of single files patch it instead of rebuilding (see model/patch.ts).
 */
type LastBuilt = Built & {
  pyIndex: Map<string, number>;
  credIndex: Map<string, number>;
  importReads: Set<string>;
  /** Each twelve-factor / credential file's kind, and each `.env`, charm, Helm or compose file's place in its list of the input. */
  envKinds: Map<string, EnvFileKind>;
  envIndex: Map<string, number>;
  /** Each figgy.json's place in the input (files other figgy.json import are not in it). */
  jsonIndex: Map<string, number>;
};

export class WorkspaceBuilder {
  private last?: LastBuilt;
  /** Bumps with each full build: only the newest one is kept as the base of patches. */
  private seq = 0;

  constructor(private readonly held: HeldModels) {}

  /**
   * The last build with the changed files' new models in their places (Python files, figgy.json
   * without imports, twelve-factor and credential files), or undefined when it cannot be patched.
   */
  patch(dirty: Set<string>): WorkspaceModel | undefined {
    const last = this.last;
    if (!last || dirty.size === 0) return undefined;
    const python = last.input.python.slice();
    let figgyJson = last.input.figgyJson;
    const lastEnv = last.input.env ?? { charms: [], dotenv: [], compose: [], helm: [] };
    // The twelve-factor lists whose files' models may be swapped in place (copied when first changed).
    const lists = {} as Record<EnvListName, readonly EnvListModel[]>;
    for (const k of ENV_LISTS) lists[k] = lastEnv[k] ?? [];
    let credentials = last.input.credentials ?? [];
    // A file's credentials entry replaced in place; false when the file gains or loses its entry (the list changes).
    const putCreds = (uri: string, creds: FileCredentials | undefined): boolean => {
      const has = Boolean(creds && (creds.findings.length || creds.notices.length));
      const ci = last.credIndex.get(uri);
      if (has !== (ci !== undefined)) return false;
      if (ci !== undefined && credentials[ci] !== creds) {
        if (credentials === last.input.credentials) credentials = credentials.slice();
        credentials[ci] = creds!;
      }
      return true;
    };
    for (const uri of dirty) {
      if (last.importReads.has(uri)) return undefined;
      // An open document, or a closed one whose model is its disk file's again.
      const kind = this.held.patchKind(uri);
      if (!kind) return undefined;
      if (kind !== 'python' && kind !== 'figgy-json') {
        // The model's own kind, which its content may decide (a YAML file holding Kubernetes
        // workloads is `k8s`): the same as in the last build, or the input's lists change.
        const e = this.held.envModel(uri);
        const envKind = e?.kind;
        if (!e || !envKind || last.envKinds.get(uri) !== envKind) return undefined;
        const list = envListOf(envKind);
        if (list) {
          const m = envModelOf(e);
          const at = last.envIndex.get(uri);
          if (!m || at === undefined || lists[list][at]?.uri !== uri) return undefined;
          if (lists[list] === lastEnv[list]) lists[list] = lists[list].slice();
          (lists[list] as EnvListModel[])[at] = m;
        }
        if (!putCreds(uri, e.credentials)) return undefined;
        continue;
      }
      if (kind === 'figgy-json') {
        // A figgy.json without imports (with them, its model is merged from other files: a full build).
        const m = this.held.model(uri) as FiggyJsonModel | undefined;
        const at = last.jsonIndex.get(uri);
        if (!m || at === undefined || m.imports.length) return undefined;
        if (figgyJson === last.input.figgyJson) figgyJson = figgyJson.slice();
        figgyJson[at] = m;
        continue;
      }
      const at = last.pyIndex.get(uri);
      if (at === undefined) {
        // A Python file the last build left out (no Figgy, settings or charm code, no credentials)
        // and a full build would leave out again (a plain module opened or edited): nothing changes.
        if (this.leftOut(uri) && !last.credIndex.has(uri)) continue;
        return undefined;
      }
      const m = this.held.model(uri) as PythonConfigModel | undefined;
      if (!m || !(isRelevantPython(m) || this.held.files.disk.has(uri))) return undefined;
      python[at] = m;
      if (!putCreds(uri, this.held.pythonCreds(uri))) return undefined;
    }
    const env = ENV_LISTS.every((k) => lists[k] === (lastEnv[k] ?? lists[k])) ? last.input.env : ({ ...lastEnv, ...lists } as EnvFiles);
    const input: BuildInput = { ...last.input, python, figgyJson, credentials, env };
    const ws = patchWorkspace(last, input, last.opts);
    if (!ws) return undefined;
    this.last = { ...last, input, ws };
    return ws;
  }

  /** A Python file a full build leaves out: its model adds nothing and it holds no credentials. */
  private leftOut(uri: string): boolean {
    if (this.held.files.disk.has(uri)) return false;
    // Undefined for a closed file the disk does not hold (a plain module).
    const m = this.held.model(uri) as PythonConfigModel | undefined;
    if (m && isRelevantPython(m)) return false;
    const creds = this.held.pythonCreds(uri);
    return !(creds && (creds.findings.length || creds.notices.length));
  }

  /** The workspace model from every held file's model (kept as the base of later patches). */
  async full(): Promise<WorkspaceModel> {
    const seq = ++this.seq;
    // No patch may start from the last build until this one is complete.
    this.last = undefined;
    const importReads = new Set<string>();
    const python: PythonConfigModel[] = [];
    const figgyJson: FiggyJsonModel[] = [];
    const secrets: SecretsJsonModel[] = [];
    const env = Object.fromEntries(ENV_LISTS.map((k) => [k, []])) as unknown as EnvFiles;
    const credentials: FileCredentials[] = [];
    const sink = { env, credentials };
    const uris = new Set([...this.held.files.disk.keys(), ...this.held.files.envDisk.keys(), ...this.held.files.pyCreds.keys(), ...this.held.openUris()]);
    const read = (p: string) => {
      const u = toUri(p);
      importReads.add(u);
      return this.held.read(u);
    };
    const envKinds = new Map<string, EnvFileKind>();
    for (const uri of [...uris].sort()) {
      const e = this.held.envModel(uri);
      if (e) {
        addEnvFile(sink, e);
        envKinds.set(uri, e.kind);
        continue;
      }
      const creds = this.held.pythonCreds(uri);
      if (creds && (creds.findings.length || creds.notices.length)) credentials.push(creds);
      const m = this.held.model(uri);
      const kind = this.held.fileKind(uri);
      if (!m || !kind) continue;
      if (kind === 'python') {
        const py = m as PythonConfigModel;
        if (isRelevantPython(py) || this.held.files.disk.has(uri)) python.push(py);
      } else if (kind === 'figgy-json') figgyJson.push(await this.held.resolveImports(m as FiggyJsonModel, read));
      else secrets.push(m as SecretsJsonModel);
    }
    // A file another one imports belongs to that one (unless it has a standard name).
    const imported = importedPaths(figgyJson);
    const standalone = (x: { uri: string }) => imported.size === 0 || !x.uri.startsWith('file:') || !imported.has(toPath(x.uri)) || classifyFile(toPath(x.uri)) !== undefined;
    const input: BuildInput = {
      python,
      figgyJson: figgyJson.filter(standalone),
      secrets: secrets.filter(standalone),
      env,
      credentials,
      roots: this.held.files.rootUris,
      gitStatus: this.held.gitStatus(),
      baseline: this.held.files.baseline,
    };
    const appRoots = this.held.appRoots();
    const opts: BuildOptions = { appRoots: appRoots.length ? appRoots : undefined };
    const ws = buildWorkspace(input, opts);
    if (seq === this.seq) {
      this.last = {
        input,
        opts,
        ws,
        pyIndex: new Map(python.map((m, i) => [m.uri, i])),
        credIndex: new Map(credentials.map((c, i) => [c.uri, i])),
        importReads,
        envKinds,
        envIndex: new Map(ENV_LISTS.flatMap((k) => (env[k] ?? []).map((m, i) => [m.uri, i] as const))),
        jsonIndex: new Map(input.figgyJson.map((m, i) => [m.uri, i])),
      };
    }
    return ws;
  }
}
