// Document and file cache: open documents (parsed once per version, evicted on close) layered over
// files read from disk (workspace scan + watched-file events). Produces the WorkspaceModel lazily.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SKIP_DIRS } from '../model/walk';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { FiggyJsonModel, PythonConfigModel, SecretsJsonModel } from '../parse/types';
import type { EnvFiles, FileCredentials, WorkspaceModel } from '../model/types';
import { buildWorkspace, type BuildInput, type BuildOptions } from '../model/build';
import { patchWorkspace, type Built } from '../model/patch';
import {
  BASELINE_FILE,
  addEnvFile,
  classifyByContent,
  classifyFile,
  importedPaths,
  isRelevantPython,
  jsonCandidateMatcher,
  parseBaseline,
  parseFile,
  toPath,
  toUri,
  type ConfigRead,
  type FileKind,
} from '../model/scan';
import { classifyEnvFile, parseEnvFile, pythonCredentials, type EnvFileKind, type EnvFileModel } from '../model/files';
import { PythonDocParser, isPythonReady, parsePython } from '../parse/python';
import type { ServerRuntime } from './runtime';
import { ImportResolver } from './imports';
import type { ReadOutcome } from '../fsread';

type AnyModel = PythonConfigModel | FiggyJsonModel | SecretsJsonModel;

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
  /** Credentials of a Python document, per version. */
  creds?: FileCredentials;
  derivedVersion?: number;
  pendingEdits: TextDocumentContentChangeEvent[];
}

export interface ParseStats {
  parses: number;
}

/** Files read concurrently during a scan (each at most MAX_FILE_BYTES). */
const READ_AHEAD = 32;
/** With synchronous reads, the start-up scan gives the message loop a turn this often (ms). */
const SCAN_SLICE_MS = 20;

function readOrSay(read: (p: string) => ReadOutcome, p: string): ReadOutcome {
  try {
    return read(p);
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) } as ReadOutcome;
  }
}

export class DocumentCache {
  private readonly open = new Map<string, OpenDoc>();
  private readonly disk = new Map<string, { kind: FileKind; model: AnyModel }>();
  /** Twelve-factor / credential files read from disk. */
  private readonly envDisk = new Map<string, EnvFileModel>();
  /** Credentials of Python files read from disk (also of files with no Figgy or env facts). */
  private readonly pyCreds = new Map<string, FileCredentials>();
  /** Paths `.gitignore` or the excludes cover (not credential-scanned), and git's tracked files. */
  private ignored = new Set<string>();
  private tracked?: Set<string>;
  private baseline?: Set<string>;
  private rootUris: string[] = [];
  private exclude: string[] = [];
  private appRoots: string[] = [];
  private ws?: WorkspaceModel;
  private building?: Promise<WorkspaceModel>;
  private generation = 0;
  /**
   * The last complete build, with where each Python file and credentials entry sits in its input:
   * edits of open Python documents (`dirty`) patch it instead of rebuilding (see model/patch.ts).
   * Anything else that changes (`structural`) forces a full build.
   */
  private lastBuilt?: Built & { pyIndex: Map<string, number>; credIndex: Map<string, number>; importReads: Set<string> };
  private dirty = new Set<string>();
  private structural = true;
  private buildSeq = 0;
  /** figgy.json imports: where they may read (the workspace folders, set by `scan`) and their merged models. */
  private readonly imports = new ImportResolver();
  readonly stats: ParseStats = { parses: 0 };

  /** Which JSON files (besides figgy.json / figgy-secrets.json) are checked for Figgy content. */
  private jsonCandidate = jsonCandidateMatcher();
  private jsonFiles = '';

  constructor(private readonly runtime: ServerRuntime) {}

  /** Sets `orchard.figgyJsonFiles`; true when it changed (the caller rescans). */
  setJsonFiles(globs: unknown): boolean {
    const list = Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : undefined;
    const key = JSON.stringify(list ?? null);
    if (key === this.jsonFiles) return false;
    this.jsonFiles = key;
    this.jsonCandidate = jsonCandidateMatcher(list);
    return true;
  }

  /**
   * Sets `orchard.exclude` (true when it changed: the caller rescans) and `orchard.apps.roots`
   * (folders, absolute or relative to the first workspace folder).
   */
  setScanOptions(o: { exclude?: unknown; appRoots?: unknown }, base?: string): boolean {
    const strings = (x: unknown) => (Array.isArray(x) ? x.filter((g): g is string => typeof g === 'string' && g.length > 0) : []);
    const exclude = strings(o.exclude);
    const appRoots = strings(o.appRoots).map((d) => toUri(path.isAbsolute(d) || !base ? d : path.join(base, d)).replace(/\/+$/, ''));
    if (JSON.stringify(appRoots) !== JSON.stringify(this.appRoots)) {
      this.appRoots = appRoots;
      this.invalidate();
    }
    if (JSON.stringify(exclude) === JSON.stringify(this.exclude)) return false;
    this.exclude = exclude;
    return true;
  }

  /** The twelve-factor / credential kind of a file uri (undefined for Figgy kinds and other files). */
  envKindOf(uri: string): EnvFileKind | undefined {
    if (!uri.startsWith('file:')) return undefined;
    return classifyEnvFile(toPath(uri));
  }

  private scanSecrets(uri: string): boolean {
    return !uri.startsWith('file:') || !this.ignored.has(toPath(uri));
  }

  /** A file's kind by name, or (with its text) for another JSON file by content. */
  kindOf(uri: string, text?: string): FileKind | undefined {
    const p = uri.startsWith('file:') ? toPath(uri) : uri;
    return text === undefined ? classifyFile(p) : classifyByContent(p, text, this.jsonCandidate);
  }

  private isContentCandidate(uri: string): boolean {
    const p = uri.startsWith('file:') ? toPath(uri) : uri;
    return classifyFile(p) === undefined && this.jsonCandidate(p);
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
    const byContent = this.isContentCandidate(uri);
    const kind = this.kindOf(uri, text) ?? (languageId === 'python' ? 'python' : undefined);
    const envKind = kind === 'python' ? undefined : this.envKindOf(uri);
    // A JSON file is followed even while its content is not Figgy's: typing "twig" makes it one.
    if (!kind && !byContent && !envKind) return false;
    this.open.set(uri, { doc: TextDocument.create(uri, languageId, version, text), kind, envKind, byContent: byContent || undefined, pendingEdits: [] });
    this.invalidate();
    return true;
  }

  didChange(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): boolean {
    const d = this.open.get(uri);
    if (!d) return false;
    // Tree-sitter needs each edit against the text it applies to, so edits are replayed in order.
    if (d.kind === 'python') for (const c of changes) d.pendingEdits.push(c);
    d.doc = TextDocument.update(d.doc, changes, version);
    this.invalidate(d.kind === 'python' && !d.byContent && !d.envKind ? uri : undefined);
    return true;
  }

  didClose(uri: string): void {
    const d = this.open.get(uri);
    if (!d) return;
    d.py?.dispose?.();
    this.open.delete(uri);
    this.invalidate();
  }

  /** Parsed model of an open document for its current version (parsed at most once per version). */
  model(uri: string): AnyModel | undefined {
    const d = this.open.get(uri);
    if (!d) return this.disk.get(uri)?.model;
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
    this.disk.clear();
    this.envDisk.clear();
    this.pyCreds.clear();
    this.ignored = new Set();
    this.tracked = undefined;
    this.baseline = undefined;
    this.rootUris = roots.map((r) => toUri(r));
    this.imports.setRoots(roots, this.runtime.allowImportsFrom?.() ?? []);
    let n = 0;
    for (const root of roots) {
      let files: string[];
      if (this.runtime.walkFiles) {
        const w = await this.runtime.walkFiles(root, { exclude: this.exclude });
        files = w.files;
        for (const f of w.ignored) this.ignored.add(f);
        if (w.tracked) {
          this.tracked ??= new Set();
          for (const f of w.tracked) this.tracked.add(f);
        }
      } else files = await this.runtime.findConfigFiles(root);
      // Synchronous reads when the runtime has them, yielding to the message loop every
      // SCAN_SLICE_MS (requests and cancellations are still served); else reads run READ_AHEAD files
      // ahead of the parsing. Files are loaded in walk order either way.
      const sync = this.runtime.readFileSync;
      let slice = performance.now();
      const reads = new Map<number, Promise<ReadOutcome>>();
      for (let i = 0; i < files.length; i++) {
        if (sync) {
          if (performance.now() - slice > SCAN_SLICE_MS) {
            await new Promise((r) => setImmediate(r));
            slice = performance.now();
          }
          const uri = toUri(files[i]);
          if (await this.loadFromDisk(uri, this.wantsRead(uri) ? Promise.resolve(readOrSay(sync, files[i])) : undefined)) n++;
          continue;
        }
        for (let j = i; j < Math.min(files.length, i + READ_AHEAD); j++) {
          if (reads.has(j) || !this.wantsRead(toUri(files[j]))) continue;
          reads.set(j, this.runtime.readFile(files[j]).catch((e: unknown): ReadOutcome => ({ ok: false, message: e instanceof Error ? e.message : String(e) }) as ReadOutcome));
        }
        const pre = reads.get(i);
        reads.delete(i);
        if (await this.loadFromDisk(toUri(files[i]), pre)) n++;
      }
      await this.loadBaseline(path.join(root, BASELINE_FILE));
    }
    this.invalidate();
    return n;
  }

  private async loadBaseline(file: string): Promise<void> {
    const r = await this.runtime.readFile(file);
    if (!r.ok) return;
    this.baseline ??= new Set();
    for (const f of parseBaseline(r.text)) this.baseline.add(f);
  }

  /** A watched file was created/changed (re-read) or deleted. */
  async fileChanged(uri: string, deleted: boolean): Promise<void> {
    if (uri.startsWith('file:') && path.basename(toPath(uri)) === BASELINE_FILE) {
      this.baseline = undefined;
      for (const r of this.rootUris) await this.loadBaseline(path.join(toPath(r), BASELINE_FILE));
    } else if (deleted) {
      this.disk.delete(uri);
      this.envDisk.delete(uri);
      this.pyCreds.delete(uri);
    } else await this.loadFromDisk(uri);
    this.invalidate();
  }

  /**
   * Deletions that are not files Orchard holds may be folders: a deleted folder is one event (watchers
   * do not list its files), so every file held under one of them is dropped. One pass over the held
   * files per batch, whatever the number of events. Returns whether anything was dropped.
   */
  foldersDeleted(uris: string[]): boolean {
    const maps = [this.disk, this.envDisk, this.pyCreds] as Map<string, unknown>[];
    const folders = new Set(uris.map((u) => u.replace(/\/+$/, '')).filter((u) => !maps.some((m) => m.has(u))));
    if (folders.size === 0) return false;
    let dropped = false;
    for (const m of maps) {
      for (const k of [...m.keys()]) {
        for (let i = k.lastIndexOf('/'); i > 0; i = k.lastIndexOf('/', i - 1)) {
          if (folders.has(k.slice(0, i))) {
            m.delete(k);
            dropped = true;
            break;
          }
        }
      }
    }
    if (dropped) this.invalidate();
    return dropped;
  }

  /**
   * Creations that are not files may be folders: a folder created with its files in one go (a copied
   * service, a `git checkout`) can come as one event for the folder. Each new folder inside a
   * workspace root, not one walks skip, is walked and its files loaded. Returns whether any was.
   */
  async foldersCreated(uris: string[]): Promise<boolean> {
    const roots = this.rootUris.map((r) => toPath(r));
    let loaded = false;
    for (const uri of uris) {
      if (!uri.startsWith('file:') || this.disk.has(uri) || this.envDisk.has(uri)) continue;
      const dir = toPath(uri);
      const root = roots.find((r) => dir.startsWith(`${r}${path.sep}`));
      if (!root || path.relative(root, dir).split(path.sep).some((seg) => SKIP_DIRS.has(seg))) continue;
      const st = await fs.stat(dir).catch(() => undefined);
      if (!st?.isDirectory() || !this.runtime.walkFiles) continue;
      const w = await this.runtime.walkFiles(dir, { exclude: [] });
      for (const f of w.ignored) this.ignored.add(f);
      if (w.tracked && this.tracked) for (const f of w.tracked) this.tracked.add(f);
      for (const f of w.files) {
        const u = toUri(f);
        if (this.disk.has(u) || this.envDisk.has(u) || this.open.has(u)) continue;
        if (await this.loadFromDisk(u)) loaded = true;
      }
    }
    if (loaded) this.invalidate();
    return loaded;
  }

  /** Whether loadFromDisk reads this file at all (a Figgy name, a JSON content candidate, a twelve-factor/credential kind). */
  private wantsRead(uri: string): boolean {
    return Boolean(this.kindOf(uri) || this.isContentCandidate(uri) || this.envKindOf(uri));
  }

  private async loadFromDisk(uri: string, preread?: Promise<ReadOutcome>): Promise<boolean> {
    const envKind = this.kindOf(uri) ? undefined : this.envKindOf(uri);
    if (!this.kindOf(uri) && !this.isContentCandidate(uri) && !envKind) return false;
    const r = await (preread ?? this.runtime.readFile(toPath(uri)));
    if (!r.ok) {
      this.disk.delete(uri);
      return false;
    }
    const text = r.text;
    const kind = this.kindOf(uri, text);
    if (!kind) {
      this.disk.delete(uri);
      if (!envKind) return false;
      // Not Figgy's: a twelve-factor or credential-bearing file (JSON ones included).
      this.stats.parses++;
      this.envDisk.set(uri, parseEnvFile(envKind, text, uri, { scanCredentials: this.scanSecrets(uri) }));
      return true;
    }
    this.envDisk.delete(uri);
    this.stats.parses++;
    const model = parseFile(kind, text, uri);
    if (kind === 'python') {
      const creds = this.scanSecrets(uri) ? pythonCredentials(text, uri) : undefined;
      if (creds && (creds.findings.length || creds.notices.length)) this.pyCreds.set(uri, creds);
      else this.pyCreds.delete(uri);
      if (!isRelevantPython(model as PythonConfigModel)) {
        this.disk.delete(uri);
        return this.pyCreds.has(uri);
      }
    }
    this.disk.set(uri, { kind, model });
    return true;
  }

  /** The twelve-factor facts and credentials of an open document (once per version) or a disk file. */
  private envModel(uri: string): EnvFileModel | undefined {
    const d = this.open.get(uri);
    if (!d) return this.envDisk.get(uri);
    // A JSON document's content decides whether it is Figgy's (refreshed by model()).
    if (d.byContent) this.model(uri);
    const envKind = d.envKind ?? (d.byContent && !d.kind ? this.envKindOf(uri) : undefined);
    if (!envKind || d.kind) return undefined;
    if (d.env && d.derivedVersion === d.doc.version && d.env.kind === envKind) return d.env;
    this.stats.parses++;
    d.env = parseEnvFile(envKind, d.doc.getText(), uri, { scanCredentials: this.scanSecrets(uri) });
    d.derivedVersion = d.doc.version;
    return d.env;
  }

  /** Credentials of a Python file: the open document's current version, or what the disk held. */
  private pythonCreds(uri: string): FileCredentials | undefined {
    const d = this.open.get(uri);
    if (!d) return this.pyCreds.get(uri);
    if (d.kind !== 'python' || !this.scanSecrets(uri)) return undefined;
    if (d.creds && d.derivedVersion === d.doc.version) return d.creds;
    d.creds = pythonCredentials(d.doc.getText(), uri);
    d.derivedVersion = d.doc.version;
    return d.creds;
  }

  private gitStatus(): Map<string, 'tracked' | 'ignored' | 'untracked'> | undefined {
    if (!this.tracked) return undefined;
    const out = new Map<string, 'tracked' | 'ignored' | 'untracked'>();
    const add = (uri: string) => {
      if (!uri.startsWith('file:')) return;
      const p = toPath(uri);
      out.set(uri, this.tracked!.has(p) ? 'tracked' : this.ignored.has(p) ? 'ignored' : 'untracked');
    };
    for (const [uri, e] of this.disk) if (e.kind === 'python') add(uri);
    for (const [uri, m] of this.envDisk) if (m.kind === 'dotenv') add(uri);
    for (const [uri, d] of this.open) if (d.kind === 'python' || d.envKind === 'dotenv') add(uri);
    return out;
  }

  /** Something changed: `changed` names an open Python document whose text alone changed. */
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
    const seq = ++this.buildSeq;
    let patched: WorkspaceModel | undefined;
    try {
      patched = structural ? undefined : this.patch(dirty);
    } catch {
      // The edits it consumed are in no model yet: the full build below reads them.
      patched = undefined;
    }
    if (patched) return patched;
    // A full build: no patch may start from the last one until this one is complete.
    this.lastBuilt = undefined;
    try {
      return await this.fullBuild(seq);
    } catch (e) {
      this.structural = true;
      throw e;
    }
  }

  /** The last build with the edited Python documents' new models, or undefined when it cannot be patched. */
  private patch(dirty: Set<string>): WorkspaceModel | undefined {
    const last = this.lastBuilt;
    if (!last || dirty.size === 0) return undefined;
    const python = last.input.python.slice();
    let credentials = last.input.credentials;
    for (const uri of dirty) {
      const d = this.open.get(uri);
      const at = last.pyIndex.get(uri);
      if (!d || d.kind !== 'python' || d.byContent || d.envKind || at === undefined || last.importReads.has(uri)) return undefined;
      const m = this.model(uri) as PythonConfigModel | undefined;
      if (!m || !(isRelevantPython(m) || this.disk.has(uri))) return undefined;
      python[at] = m;
      const creds = this.pythonCreds(uri);
      const has = Boolean(creds && (creds.findings.length || creds.notices.length));
      const ci = last.credIndex.get(uri);
      if (has !== (ci !== undefined)) return undefined;
      if (ci !== undefined && credentials![ci] !== creds) {
        if (credentials === last.input.credentials) credentials = credentials!.slice();
        credentials![ci] = creds!;
      }
    }
    const input: BuildInput = { ...last.input, python, credentials };
    const ws = patchWorkspace(last, input, last.opts);
    if (!ws) return undefined;
    this.lastBuilt = { ...last, input, ws };
    return ws;
  }

  private async fullBuild(seq: number): Promise<WorkspaceModel> {
    const importReads = new Set<string>();
    const python: PythonConfigModel[] = [];
    const figgyJson: FiggyJsonModel[] = [];
    const secrets: SecretsJsonModel[] = [];
    const env: EnvFiles = { charms: [], dotenv: [], compose: [], helm: [] };
    const credentials: FileCredentials[] = [];
    const sink = { env, credentials };
    const uris = new Set([...this.disk.keys(), ...this.envDisk.keys(), ...this.pyCreds.keys(), ...this.open.keys()]);
    const read = (p: string) => {
      const u = toUri(p);
      importReads.add(u);
      return this.read(u);
    };
    for (const uri of [...uris].sort()) {
      const e = this.envModel(uri);
      if (e) {
        addEnvFile(sink, e);
        continue;
      }
      const creds = this.pythonCreds(uri);
      if (creds && (creds.findings.length || creds.notices.length)) credentials.push(creds);
      const m = this.model(uri);
      const kind = this.open.has(uri) ? this.open.get(uri)!.kind : this.disk.get(uri)?.kind;
      if (!m || !kind) continue;
      if (kind === 'python') {
        const py = m as PythonConfigModel;
        if (isRelevantPython(py) || this.disk.has(uri)) python.push(py);
      } else if (kind === 'figgy-json') figgyJson.push(await this.imports.resolve(m as FiggyJsonModel, read));
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
      roots: this.rootUris,
      gitStatus: this.gitStatus(),
      baseline: this.baseline,
    };
    const opts: BuildOptions = { appRoots: this.appRoots.length ? this.appRoots : undefined };
    const ws = buildWorkspace(input, opts);
    if (seq === this.buildSeq) {
      this.lastBuilt = {
        input,
        opts,
        ws,
        pyIndex: new Map(python.map((m, i) => [m.uri, i])),
        credIndex: new Map(credentials.map((c, i) => [c.uri, i])),
        importReads,
      };
    }
    return ws;
  }

  /** Folder of a file uri (used for workspace roots given as uris). */
  static folderPath(uri: string): string {
    return path.resolve(toPath(uri));
  }
}
