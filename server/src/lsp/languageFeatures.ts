// The language features: hover, completion, definition, references, symbols, code
// lenses and code actions. Each handler asks the pure features (features/) and converts their plain
// results (convert.ts); the texts of files that are not open, which whole-file edits need, are read
// here before the features run.
import type { WorkspaceModel } from '../model/types';
import type { Finding } from '../analysis/types';
import * as features from '../features';
import type { FeatureContext } from '../features/types';
import { fromDiagnostic, SOURCE, toCodeAction, toCodeLens, toCompletionItem, toHover, toSymbol } from './convert';
import { RegenerateFiggyJsonRequest, type RegenerateFiggyJsonParams, type RegenerateFiggyJsonResult } from './protocol';
import type { ServerState } from './server';

/** Registers the handlers; `baseContext` gives what the features read (open documents' text included). */
export function registerLanguageFeatures(state: ServerState, baseContext: () => Promise<FeatureContext>): void {
  const { connection, docs, guard } = state;

  /** `texts`: files that are not open but that whole-file edits need, read for this one request. */
  const featureContext = async (texts?: Map<string, string>): Promise<FeatureContext> => {
    const ctx = await baseContext();
    return { ...ctx, getText: (uri) => docs.text(uri) ?? texts?.get(uri) };
  };

  /** Regenerating figgy.json replaces the whole file: its text (and config.py's) of the services involved. */
  async function preloadServiceTexts(ws: WorkspaceModel, uri: string, findings: Finding[], texts: Map<string, string>): Promise<void> {
    const ids = new Set<string>();
    const own = features.serviceForUri(ws, uri);
    if (own) ids.add(own.id);
    for (const f of findings) if (f.data && 'serviceId' in f.data && typeof f.data.serviceId === 'string') ids.add(f.data.serviceId);
    const wanted = new Set<string>([uri]);
    for (const s of ws.services) {
      if (!ids.has(s.id)) continue;
      if (s.figgyJson) wanted.add(s.figgyJson.uri);
      if (s.configPy) wanted.add(s.configPy.model.uri);
    }
    await readInto(wanted, texts);
  }

  async function readInto(wanted: Iterable<string>, texts: Map<string, string>): Promise<void> {
    for (const u of wanted) {
      if (docs.isOpen(u) || !u.startsWith('file:') || texts.has(u)) continue;
      const t = await docs.readText(u);
      if (t !== undefined) texts.set(u, t);
    }
  }

  /** Twelve-factor fixes edit charmcraft.yaml, `.gitignore` and the sources `addVariable` adds to, files that may not be open. */
  async function preloadEnvTexts(ws: WorkspaceModel, findings: Finding[], texts: Map<string, string>): Promise<void> {
    if (!findings.some((f) => f.data && f.data.fix !== 'move-credential')) return;
    const wanted = new Set<string>(findings.map((f) => f.uri));
    for (const f of findings) {
      const d = f.data;
      if (!d) continue;
      if ('appId' in d) {
        const a = ws.apps?.find((x) => x.id === d.appId);
        for (const c of a?.charm ?? []) wanted.add(c.uri);
        for (const s of a?.sources ?? []) if (features.ADD_VARIABLE_KINDS.has(s.kind)) wanted.add(s.uri);
      }
      if (d.fix === 'gitignore') {
        const a = ws.apps?.find((x) => d.file.startsWith(`${x.root}/`));
        wanted.add(`${a?.root ?? d.file.slice(0, d.file.lastIndexOf('/'))}/.gitignore`);
      }
    }
    await readInto(wanted, texts);
  }

  connection.onHover(
    guard('hover', null, async (p) => {
      const ctx = await featureContext();
      const h = features.hover(ctx, p.textDocument.uri, p.position) ?? features.envHover(ctx, p.textDocument.uri, p.position);
      return h ? toHover(h) : null;
    }),
  );

  connection.onCompletion(
    guard('completion', [], async (p) => {
      const ctx = await featureContext();
      const text = await docs.readText(p.textDocument.uri);
      if (text === undefined) return [];
      const env = features.envCompletion(ctx, p.textDocument.uri, text, p.position);
      return (env?.length ? env : features.completion(ctx, p.textDocument.uri, text, p.position)).map(toCompletionItem);
    }),
  );

  connection.onDefinition(
    guard('definition', [], async (p) => {
      const ctx = await featureContext();
      const figgy = features.definition(ctx.workspace, p.textDocument.uri, p.position);
      return figgy.length ? figgy : (features.envDefinition(ctx.workspace, p.textDocument.uri, p.position) ?? []);
    }),
  );

  connection.onReferences(
    guard('references', [], async (p) => {
      const ctx = await featureContext();
      const inc = p.context?.includeDeclaration ?? true;
      const figgy = features.references(ctx.workspace, p.textDocument.uri, p.position, inc);
      return figgy.length ? figgy : (features.envReferences(ctx.workspace, p.textDocument.uri, p.position, inc) ?? []);
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [], async (p) => {
      const ctx = await featureContext();
      return features.documentSymbols(ctx.workspace, p.textDocument.uri).map(toSymbol);
    }),
  );

  connection.onCodeLens(
    guard('codeLens', [], async (p) => {
      const ctx = await featureContext();
      return features.codeLenses(ctx, p.textDocument.uri).map(toCodeLens);
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [], async (p) => {
      const texts = new Map<string, string>();
      const ctx = await featureContext(texts);
      // (Most light-bulb requests carry no diagnostic of ours: then no findings are worked out.)
      const current = p.context.diagnostics.some((d) => d.source === SOURCE) ? await state.findingsOf(p.textDocument.uri) : [];
      const findings = p.context.diagnostics.map((d) => fromDiagnostic(p.textDocument.uri, d, current)).filter((f): f is Finding => Boolean(f));
      await preloadServiceTexts(ctx.workspace, p.textDocument.uri, findings, texts);
      await preloadEnvTexts(ctx.workspace, findings, texts);
      const all = [...features.codeActions(ctx, p.textDocument.uri, p.range, findings), ...features.envCodeActions(ctx, findings), ...features.credentialActions(ctx, findings)];
      return all.map((a) => toCodeAction(a, p.textDocument.uri));
    }),
  );

  // The palette's Regenerate figgy.json: its own request, so that an answer is never confused with
  // "no code action" (a light-bulb request cancelled or over its budget) and says why not.
  const REGENERATE_FAILED: RegenerateFiggyJsonResult = { ok: false, reason: 'unreadable', message: 'figgy.json could not be worked out' };
  connection.onRequest(
    RegenerateFiggyJsonRequest.method,
    guard('regenerate', REGENERATE_FAILED, async (p: RegenerateFiggyJsonParams): Promise<RegenerateFiggyJsonResult> => {
      const texts = new Map<string, string>();
      const ctx = await featureContext(texts);
      const uri = typeof p?.uri === 'string' ? p.uri : '';
      const service = features.serviceForUri(ctx.workspace, uri);
      if (!service?.configPy) return { ok: false, reason: 'no-service', message: 'no Figgy service (a config.py with a FigStore class) owns this file' };
      await preloadServiceTexts(ctx.workspace, uri, [], texts);
      const configPy = service.configPy.model.uri;
      const plan = features.planFiggyJson(ctx, service);
      if (plan.kind === 'write') return { ok: true, target: plan.target, create: plan.create, content: plan.content, summary: plan.summary, configPy };
      if (plan.kind === 'matches') return { ok: false, reason: 'matches', target: plan.target, configPy };
      return { ok: false, reason: plan.reason, message: plan.detail };
    }),
  );
}
