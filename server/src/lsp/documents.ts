// Document and file cache: open documents (parsed once per version, evicted on close) layered over
// files read from disk (workspace scan + watched-file events). Produces the WorkspaceModel lazily.
import * as path from 'node:path';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { ComposeModel, DotenvModel } from '../parse/envTypes';
import type { FileCredentials, WorkspaceModel } from '../model/types';
import { parseFile, type ConfigRead, type FileKind } from '../model/scan';
import { toPath, toUri } from '../model/uris';
import { parseEnvFile, pythonCredentials, type EnvFileKind, type EnvFileModel } from '../model/files';
import { PythonDocParser, isPythonReady, parsePython } from '../parse/python';
import type { ServerRuntime } from './runtime';
import { ImportResolver } from './imports';
import { DiskFiles, type AnyModel, type PatchKind } from './diskFiles';
import { LineMemo } from '../parse/credentials';
import { WorkspaceBuilder } from './workspaceBuild';

interface OpenDoc {
  doc: TextDocument;
  /** Undefined: a JSON file whose content (checked again on each version) is not Figgy's. */
  kind: FileKind | undefined;
  /** A JSON file that is a Figgy file only by its content. */
  byContent?: boolean;
  model?: AnyModel;
  modelVersion?: number;
  /** Incremental tree-sitter parser, kept for the document's lifetime. */
  py?: PythonDocParser;
  /** A twelve-factor / credential file (charm, `.env`, compose, values, CI, other sources). */
  envKind?: EnvFileKind;
  env?: EnvFileModel;
  /** The kind `env` was read as (its own kind may be another, by content: a YAML file holding Kubernetes workloads is `k8s`). */
  envFor?: EnvFileKind;
  /** Credentials of a Python document, per version, and its last scan's lines for the next one. */
  creds?: FileCredentials;
  credLines?: LineMemo;
  derivedVersion?: number;
  pendingEdits: TextDocumentContentChangeEvent[];
}

export interface ParseStats {
  parses: number;
  /** Workspace models built from every file, and patched from the last one (see WorkspaceBuilder.patch). */
  fullBuilds: number;
  patchedBuilds: number;
}

/**
 * What an open document is, for patching the last build (see DiskFiles.heldKind): a file judged by
 * its content (a JSON file that may or may not be Figgy's) is patched only while it is not Figgy's.
 */
function openKind(d: OpenDoc): PatchKind | undefined {
  // A JSON file Figgy's by its content: a full build. Not Figgy's (an app.json, a package.json):
  // its kind by name, as any other file (the builder refuses the patch if its content made it Figgy's since).
  if (d.byContent) return d.kind ? undefined : d.envKind;
  if (d.kind === 'figgy-json') return d.kind;
  if (d.kind === 'python') return d.envKind ? undefined : d.kind;
  return d.kind ? undefined : d.envKind;
}

export class DocumentCache {
  private readonly open = new Map<string, OpenDoc>();
  private appRoots: string[] = [];
  private ws?: WorkspaceModel;
  private building?: Promise<WorkspaceModel>;
  private generation = 0;
  /**
   * Builds the workspace model: changes of single files (`dirty`: edits, opening and closing, a
   * re-read from disk; Python, figgy.json and twelve-factor / credential files) patch the last full
   * build; anything else that changes (`structural`) forces a full one.
   */
  private readonly builder: WorkspaceBuilder;
  private dirty = new Set<string>();
  private structural = true;
  /** figgy.json imports: where they may read (the workspace folders, set by `scan`) and their merged models. */
  private readonly imports = new ImportResolver();
  readonly stats: ParseStats = { parses: 0, fullBuilds: 0, patchedBuilds: 0 };

  /** What was read from disk (the scan and watched-file events). */
  private readonly files: DiskFiles;

  constructor(private readonly runtime: ServerRuntime) {
    this.files = new DiskFiles(runtime, { changed: (file) => this.invalidate(file), isOpen: (uri) => this.open.has(uri) }, this.stats);
    this.builder = new WorkspaceBuilder({
      files: this.files,
      openUris: () => this.open.keys(),
      patchKind: (uri) => {
        const d = this.open.get(uri);
        return d ? openKind(d) : this.files.heldKind(uri);
      },
      fileKind: (uri) => (this.open.has(uri) ? this.open.get(uri)!.kind : this.files.disk.get(uri)?.kind),
      model: (uri) => this.model(uri),
      envModel: (uri) => this.envModel(uri),
      pythonCreds: (uri) => this.pythonCreds(uri),
      read: (uri) => this.read(uri),
      resolveImports: (m, read) => this.imports.resolve(m, read),
      gitStatus: () => this.gitStatus(),
      appRoots: () => this.appRoots,
    });
  }

  /** Sets `orchard.figgyJsonFiles`; true when it changed (the caller rescans). */
  setJsonFiles(globs: unknown): boolean {
    return this.files.setJsonFiles(globs);
  }

  /**
   * Sets `orchard.exclude` (true when it changed: the caller rescans) and `orchard.apps.roots`
   * (folders, absolute or relative to the first workspace folder), and `orchard.parseCache` (the next
   * scan uses the parse cache unless it is false).
   */
  setScanOptions(o: { exclude?: unknown; appRoots?: unknown; parseCache?: unknown }, base?: string): boolean {
    this.files.useParseCache = o.parseCache !== false;
    const strings = (x: unknown) => (Array.isArray(x) ? x.filter((g): g is string => typeof g === 'string' && g.length > 0) : []);
    const exclude = strings(o.exclude);
    const appRoots = strings(o.appRoots).map((d) => toUri(path.isAbsolute(d) || !base ? d : path.join(base, d)).replace(/\/+$/, ''));
    if (JSON.stringify(appRoots) !== JSON.stringify(this.appRoots)) {
      this.appRoots = appRoots;
      this.invalidate();
    }
    if (JSON.stringify(exclude) === JSON.stringify(this.files.exclude)) return false;
    this.files.exclude = exclude;
    return true;
  }

  /** The twelve-factor / credential kind of a file uri (undefined for Figgy kinds and other files). */
  envKindOf(uri: string): EnvFileKind | undefined {
    return this.files.envKindOf(uri);
  }

  /** A file's kind by name, or (with its text) for another JSON file by content. */
  kindOf(uri: string, text?: string): FileKind | undefined {
    return this.files.kindOf(uri, text);
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  openUris(): string[] {
    return [...this.open.keys()];
  }

  text(uri: string): string | undefined {
    return this.open.get(uri)?.doc.getText();
  }

  version(uri: string): number | undefined {
    return this.open.get(uri)?.doc.version;
  }

  /** Text of a file: the open document when there is one, else what was read from disk. */
  async readText(uri: string): Promise<string | undefined> {
    const r = await this.read(uri);
    return 'text' in r ? r.text : undefined;
  }

  /** Like readText, saying why a file could not be read (too large, not a regular file, ...). */
  async read(uri: string): Promise<ConfigRead> {
    const t = this.text(uri);
    if (t !== undefined) return { text: t };
    const r = await this.runtime.readFile(toPath(uri));
    return r.ok ? { text: r.text } : { unreadable: r.message };
  }

  didOpen(uri: string, version: number, text: string, languageId = ''): boolean {
    const byContent = this.files.isContentCandidate(uri);
    const kind = this.kindOf(uri, text) ?? (languageId === 'python' ? 'python' : undefined);
    const envKind = kind === 'python' ? undefined : this.envKindOf(uri);
    // A JSON file is followed even while its content is not Figgy's: typing "twig" makes it one.
    if (!kind && !byContent && !envKind) return false;
    const d: OpenDoc = { doc: TextDocument.create(uri, languageId, version, text), kind, envKind, byContent: byContent || undefined, pendingEdits: [] };
    this.open.set(uri, d);
    // Opening a file changes one file's model (often not at all): the last build is patched (at
    // 2,000 twelve-factor apps a full build and whole-workspace rules cost 0.6-0.8 s per open).
    this.invalidate(openKind(d) ? uri : undefined);
    return true;
  }

  /** Reads an open document again (its grammar was loaded after it opened: a `.tf` file). */
  reread(uri: string): void {
    const d = this.open.get(uri);
    if (!d) return;
    d.derivedVersion = undefined;
    this.invalidate(undefined);
  }

  didChange(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): boolean {
    const d = this.open.get(uri);
    if (!d) return false;
    // Tree-sitter needs each edit against the text it applies to, so edits are replayed in order.
    if (d.kind === 'python') for (const c of changes) d.pendingEdits.push(c);
    d.doc = TextDocument.update(d.doc, changes, version);
    this.invalidate(openKind(d) ? uri : undefined);
    return true;
  }

  didClose(uri: string): void {
    const d = this.open.get(uri);
    if (!d) return;
    d.py?.dispose?.();
    this.open.delete(uri);
    // Its disk model takes its place: a patch too (WorkspaceBuilder.patch), when the disk holds it as the same kind.
    this.invalidate(openKind(d) ? uri : undefined);
  }

  /** Parsed model of an open document for its current version (parsed at most once per version). */
  model(uri: string): AnyModel | undefined {
    const d = this.open.get(uri);
    if (!d) return this.files.disk.get(uri)?.model;
    if (d.model && d.modelVersion === d.doc.version) return d.model;
    if (d.byContent) {
      d.kind = this.kindOf(uri, d.doc.getText());
      if (!d.kind) {
        d.model = undefined;
        return undefined;
      }
    }
    if (!d.kind) return undefined;
    this.stats.parses++;
    if (d.kind === 'python') {
      // Before the parser has loaded, the answer is "unavailable" for now: not kept for this version.
      if (!isPythonReady()) return parsePython(d.doc.getText(), uri);
      if (!d.py) {
        d.py = new PythonDocParser(uri);
        d.model = d.py.parse(d.doc.getText());
      } else {
        d.model = d.py.update(d.doc.getText(), d.pendingEdits);
      }
      d.pendingEdits = [];
    } else {
      d.model = parseFile(d.kind!, d.doc.getText(), uri);
    }
    d.modelVersion = d.doc.version;
    return d.model;
  }

  /** Reads and parses every config file under the roots (replacing what was known from disk). */
  async scan(roots: string[]): Promise<number> {
    this.imports.setRoots(roots, this.runtime.allowImportsFrom?.() ?? []);
    const n = await this.files.scan(roots);
    // What decides an open document's credential scan (git's ignores, other scanners' allowlists)
    // was read again: its facts and credentials are derived again from its current version.
    for (const d of this.open.values()) d.derivedVersion = undefined;
    await this.syncComposeNamed();
    return n;
  }

  /**
   * Reads the files the compose files' `env_file` entries name that the walk did not read, and
   * drops those no longer named (DiskFiles.syncComposeNamed), from the compose and `.env` files as
   * open documents or on disk. True when the set of such files changed.
   */
  async syncComposeNamed(): Promise<boolean> {
    const compose: ComposeModel[] = [];
    const dotenv: DotenvModel[] = [];
    const add = (e: EnvFileModel | undefined) => {
      if (e?.compose) compose.push(e.compose);
      if (e?.dotenv) dotenv.push(e.dotenv);
    };
    for (const [uri, e] of this.files.envDisk) if (!this.open.has(uri)) add(e);
    for (const uri of this.open.keys()) add(this.envModel(uri));
    return this.files.syncComposeNamed(compose, dotenv);
  }

  /** Files read because a compose file names them (for the watchers). */
  composeNamedFiles(): string[] {
    return [...this.files.composeNamed];
  }

  /** How the last scan's files were parsed: worker threads started and files they parsed (none: this thread only). */
  get scanThreads(): { workers: number; inWorkers: number } | undefined {
    return this.files.scanThreads;
  }

  /** Writes the parse caches the last scans filled (see DiskFiles.saveParseCaches). */
  saveParseCaches(pause?: () => Promise<void>): Promise<void> {
    return this.files.saveParseCaches(pause);
  }

  /** What the last scan took from the parse cache (undefined: no cache used). */
  get scanCache(): { hits: number; disabled?: string } | undefined {
    return this.files.scanCache;
  }

  /** A watched file was created/changed (re-read) or deleted. */
  async fileChanged(uri: string, deleted: boolean): Promise<void> {
    await this.files.fileChanged(uri, deleted);
    if (this.steersComposeNamed(uri)) await this.syncComposeNamed();
  }

  /** A compose file, or a `.env` whose variables compose's paths may name: what compose names may change with it. */
  steersComposeNamed(uri: string): boolean {
    return Boolean(this.files.envDisk.get(uri)?.compose) || this.envKindOf(uri) === 'compose' || uri.endsWith('/.env');
  }

  /** Files held under deleted folders are dropped (DiskFiles.foldersDeleted). */
  foldersDeleted(uris: string[]): boolean {
    return this.files.foldersDeleted(uris);
  }

  /** New folders' files are loaded (DiskFiles.foldersCreated). */
  async foldersCreated(uris: string[]): Promise<boolean> {
    const loaded = await this.files.foldersCreated(uris);
    if (loaded) await this.syncComposeNamed();
    return loaded;
  }

  /** The twelve-factor facts and credentials of an open document (once per version) or a disk file. */
  private envModel(uri: string): EnvFileModel | undefined {
    const d = this.open.get(uri);
    if (!d) return this.files.envDisk.get(uri);
    // A JSON document's content decides whether it is Figgy's (refreshed by model()).
    if (d.byContent) this.model(uri);
    const envKind = d.envKind ?? (d.byContent && !d.kind ? this.envKindOf(uri) : undefined);
    if (!envKind || d.kind) return undefined;
    if (d.env && d.derivedVersion === d.doc.version && d.envFor === envKind) return d.env;
    this.stats.parses++;
    const scan = this.files.secretsScan(uri);
    d.env = parseEnvFile(envKind, d.doc.getText(), uri, { scanCredentials: scan.scanSecrets, compose: this.files.isComposeNamed(uri) || undefined, credentialAllow: scan.credentialAllow });
    d.envFor = envKind;
    d.derivedVersion = d.doc.version;
    return d.env;
  }

  /** Credentials of a Python file: the open document's current version, or what the disk held. */
  private pythonCreds(uri: string): FileCredentials | undefined {
    const d = this.open.get(uri);
    if (!d) return this.files.pyCreds.get(uri);
    if (d.kind !== 'python') return undefined;
    const scan = this.files.secretsScan(uri);
    if (!scan.scanSecrets) return undefined;
    if (d.creds && d.derivedVersion === d.doc.version) return d.creds;
    d.creds = pythonCredentials(d.doc.getText(), uri, [], (d.credLines ??= new LineMemo()), scan.credentialAllow);
    d.derivedVersion = d.doc.version;
    return d.creds;
  }

  private gitStatus(): Map<string, 'tracked' | 'ignored' | 'untracked'> | undefined {
    if (!this.files.tracked) return undefined;
    const out = new Map<string, 'tracked' | 'ignored' | 'untracked'>();
    const add = (uri: string) => {
      if (!uri.startsWith('file:')) return;
      const p = toPath(uri);
      out.set(uri, this.files.tracked!.has(p) ? 'tracked' : this.files.ignored.has(p) ? 'ignored' : 'untracked');
    };
    for (const [uri, e] of this.files.disk) if (e.kind === 'python') add(uri);
    for (const [uri, m] of this.files.envDisk) if (m.kind === 'dotenv') add(uri);
    for (const [uri, d] of this.open) if (d.kind === 'python' || d.envKind === 'dotenv') add(uri);
    return out;
  }

  /**
   * Something changed: `changed` names a file whose model alone changed (an open document edited,
   * opened or closed; its file re-read from disk), which patch() may take in.
   */
  private invalidate(changed?: string): void {
    if (changed === undefined) this.structural = true;
    else this.dirty.add(changed);
    this.ws = undefined;
    this.building = undefined;
    this.generation++;
  }

  /** Bumps whenever any document or file changed; cheap staleness check for callers. */
  get version_(): number {
    return this.generation;
  }

  /** The workspace model for the current versions of everything (built once per change). */
  async workspace(): Promise<WorkspaceModel> {
    if (this.ws) return this.ws;
    if (this.building) return this.building;
    const gen = this.generation;
    const p = this.build().then((ws) => {
      if (gen === this.generation) this.ws = ws;
      return ws;
    });
    this.building = p;
    return p;
  }

  private async build(): Promise<WorkspaceModel> {
    const dirty = this.dirty;
    const structural = this.structural;
    this.dirty = new Set();
    this.structural = false;
    let patched: WorkspaceModel | undefined;
    try {
      patched = structural ? undefined : this.builder.patch(dirty);
    } catch {
      // The edits it consumed are in no model yet: the full build below reads them.
      patched = undefined;
    }
    if (patched) {
      this.stats.patchedBuilds++;
      return patched;
    }
    this.stats.fullBuilds++;
    try {
      return await this.builder.full();
    } catch (e) {
      this.structural = true;
      throw e;
    }
  }

  /** Folder of a file uri (used for workspace roots given as uris). */
  static folderPath(uri: string): string {
    return path.resolve(toPath(uri));
  }
}
