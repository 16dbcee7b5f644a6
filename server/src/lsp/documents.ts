// Document and file cache: open documents (parsed once per version, evicted on close) layered over
// files read from disk (workspace scan + watched-file events). Produces the WorkspaceModel lazily.
import * as path from 'node:path';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { FiggyJsonModel, PythonConfigModel, SecretsJsonModel } from '../parse/types';
import type { WorkspaceModel } from '../model/types';
import { buildWorkspace } from '../model/build';
import { classifyByContent, classifyFile, importedPaths, isInside, isRelevantPython, jsonCandidateMatcher, parseFile, resolveImports, toPath, toUri, type ConfigRead, type FileKind, type ImportPolicy } from '../model/scan';
import { PythonDocParser } from '../parse/python';
import type { ServerRuntime } from './runtime';

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
  pendingEdits: TextDocumentContentChangeEvent[];
}

export interface ParseStats {
  parses: number;
}

export class DocumentCache {
  private readonly open = new Map<string, OpenDoc>();
  private readonly disk = new Map<string, { kind: FileKind; model: AnyModel }>();
  private ws?: WorkspaceModel;
  /** figgy.json models with imports, resolved once per model and the imported files' read results. */
  private readonly importsResolved = new WeakMap<FiggyJsonModel, { reads: { path: string; result: string }[]; model: FiggyJsonModel }>();
  private building?: Promise<WorkspaceModel>;
  private generation = 0;
  /** Where figgy.json imports may read: the workspace folders (set by `scan`) and what the user allowed. */
  private importPolicy: ImportPolicy = { roots: [] };
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
    // A JSON file is followed even while its content is not Figgy's: typing "twig" makes it one.
    if (!kind && !byContent) return false;
    this.open.set(uri, { doc: TextDocument.create(uri, languageId, version, text), kind, byContent: byContent || undefined, pendingEdits: [] });
    this.invalidate();
    return true;
  }

  didChange(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): boolean {
    const d = this.open.get(uri);
    if (!d) return false;
    // Tree-sitter needs each edit against the text it applies to, so edits are replayed in order.
    if (d.kind === 'python') for (const c of changes) d.pendingEdits.push(c);
    d.doc = TextDocument.update(d.doc, changes, version);
    this.invalidate();
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
    this.stats.parses++;
    if (d.kind === 'python') {
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
    this.importPolicy = { roots: [...roots], allowed: this.runtime.allowImportsFrom?.() ?? [] };
    let n = 0;
    for (const root of roots) {
      const files = await this.runtime.findConfigFiles(root);
      for (const f of files) if (await this.loadFromDisk(toUri(f))) n++;
    }
    this.invalidate();
    return n;
  }

  /** A watched file was created/changed (re-read) or deleted. */
  async fileChanged(uri: string, deleted: boolean): Promise<void> {
    if (deleted) this.disk.delete(uri);
    else await this.loadFromDisk(uri);
    this.invalidate();
  }

  private async loadFromDisk(uri: string): Promise<boolean> {
    if (!this.kindOf(uri) && !this.isContentCandidate(uri)) return false;
    const r = await this.runtime.readFile(toPath(uri));
    if (!r.ok) {
      this.disk.delete(uri);
      return false;
    }
    const text = r.text;
    const kind = this.kindOf(uri, text);
    if (!kind) {
      this.disk.delete(uri);
      return false;
    }
    this.stats.parses++;
    const model = parseFile(kind, text, uri);
    if (kind === 'python' && !isRelevantPython(model as PythonConfigModel)) {
      this.disk.delete(uri);
      return false;
    }
    this.disk.set(uri, { kind, model });
    return true;
  }

  private invalidate(): void {
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
    const python: PythonConfigModel[] = [];
    const figgyJson: FiggyJsonModel[] = [];
    const secrets: SecretsJsonModel[] = [];
    const uris = new Set([...this.disk.keys(), ...this.open.keys()]);
    const read = (p: string) => this.read(toUri(p));
    for (const uri of [...uris].sort()) {
      const m = this.model(uri);
      const kind = this.open.has(uri) ? this.open.get(uri)!.kind : this.disk.get(uri)?.kind;
      if (!m || !kind) continue;
      if (kind === 'python') {
        const py = m as PythonConfigModel;
        if (isRelevantPython(py) || this.disk.has(uri)) python.push(py);
      } else if (kind === 'figgy-json') figgyJson.push(await resolveImports(m as FiggyJsonModel, read, this.policyFor(uri)));
      else secrets.push(m as SecretsJsonModel);
    }
    // A file another one imports belongs to that one (unless it has a standard name).
    const imported = importedPaths(figgyJson);
    const standalone = (x: { uri: string }) => !x.uri.startsWith('file:') || !imported.has(toPath(x.uri)) || classifyFile(toPath(x.uri)) !== undefined;
    return buildWorkspace({ python, figgyJson: figgyJson.filter(standalone), secrets: secrets.filter(standalone) });
  }

  /**
   * The model with its imports merged in. Unchanged inputs give the same object as last build (the
   * incremental analyzer keys on model identity): the model itself and what each import read returned.
   */
  private async resolved(m: FiggyJsonModel, read: (p: string) => Promise<ConfigRead>): Promise<FiggyJsonModel> {
    if (m.imports.length === 0) return m;
    const c = this.importsResolved.get(m);
    if (c) {
      let same = true;
      for (const r of c.reads) {
        if (JSON.stringify(await read(r.path)) !== r.result) {
          same = false;
          break;
        }
      }
      if (same) return c.model;
    }
    const reads: { path: string; result: string }[] = [];
    const model = await resolveImports(
      m,
      async (p) => {
        const r = await read(p);
        reads.push({ path: p, result: JSON.stringify(r) });
        return r;
      },
      this.policyFor(m.uri),
    );
    this.importsResolved.set(m, { reads, model });
    return model;
  }

  /** A file outside every workspace folder may import from its own folder only. */
  private policyFor(uri: string): ImportPolicy {
    const p = toPath(uri);
    const { roots, allowed } = this.importPolicy;
    const within = roots.some((r) => isInside(p, r) && p !== path.resolve(r));
    return within ? { roots, allowed } : { roots: [path.dirname(p)], allowed };
  }

  /** Folder of a file uri (used for workspace roots given as uris). */
  static folderPath(uri: string): string {
    return path.resolve(toPath(uri));
  }
}
