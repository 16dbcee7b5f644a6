// The language features: hover, completion, definition, references, symbols, code
// lenses and code actions. Each handler asks the pure features (features/) and converts their plain
// results (convert.ts); the texts of files that are not open, which whole-file edits need, are read
// here before the features run.
import type { WorkspaceModel } from '../model/types';
import type { Finding } from '../analysis/types';
import * as features from '../features';
import type { FeatureContext } from '../features/types';
import { fromDiagnostic, toCodeAction, toCodeLens, toCompletionItem, toHover, toSymbol } from './convert';
import type { ServerState } from './server';

/** Registers the handlers; `baseContext` gives what the features read (open documents' text included). */
export function registerLanguageFeatures(state: ServerState, baseContext: () => Promise<FeatureContext>): void {
  const { connection, docs, guard } = state;

  const featureContext = async (): Promise<FeatureContext> => {
    const ctx = await baseContext();
    return { ...ctx, getText: (uri) => docs.text(uri) ?? diskText.get(uri) };
  };

  // Whole-file edits (regenerate figgy.json) need the text of files that are not open.
  const diskText = new Map<string, string>();
  async function preloadTexts(ws: WorkspaceModel, uri: string): Promise<void> {
    const wanted = new Set<string>([uri]);
    for (const s of ws.services) {
      if (s.figgyJson) wanted.add(s.figgyJson.uri);
      if (s.configPy) wanted.add(s.configPy.model.uri);
    }
    for (const u of wanted) {
      if (docs.isOpen(u)) continue;
      const t = await docs.readText(u);
      if (t !== undefined) diskText.set(u, t);
    }
  }

  /** Twelve-factor fixes edit charmcraft.yaml, `.env` and `.gitignore` files that may not be open. */
  async function preloadEnvTexts(ws: WorkspaceModel, findings: Finding[]): Promise<void> {
    if (!findings.some((f) => f.data && f.data.fix !== 'move-credential')) return;
    const wanted = new Set<string>(findings.map((f) => f.uri));
    for (const f of findings) {
      const d = f.data;
      if (!d) continue;
      if ('appId' in d) {
        const a = ws.apps?.find((x) => x.id === d.appId);
        for (const c of a?.charm ?? []) wanted.add(c.uri);
        for (const s of a?.sources ?? []) if (s.kind === 'dotenv') wanted.add(s.uri);
      }
      if (d.fix === 'gitignore') {
        const a = ws.apps?.find((x) => d.file.startsWith(`${x.root}/`));
        wanted.add(`${a?.root ?? d.file.slice(0, d.file.lastIndexOf('/'))}/.gitignore`);
      }
    }
    for (const u of wanted) {
      if (docs.isOpen(u) || !u.startsWith('file:')) continue;
      const t = await docs.readText(u);
      if (t !== undefined) diskText.set(u, t);
      else diskText.delete(u);
    }
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
      const ctx = await featureContext();
      await preloadTexts(ctx.workspace, p.textDocument.uri);
      const findings = p.context.diagnostics.map((d) => fromDiagnostic(p.textDocument.uri, d)).filter((f): f is Finding => Boolean(f));
      await preloadEnvTexts(ctx.workspace, findings);
      const all = [...features.codeActions(ctx, p.textDocument.uri, p.range, findings), ...features.envCodeActions(ctx, findings), ...features.credentialActions(ctx, findings)];
      return all.map((a) => toCodeAction(a, p.textDocument.uri));
    }),
  );
}
