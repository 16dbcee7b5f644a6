// What the quick-fix tests share: a workspace built by the real parsers and rules from fixture
// texts (under file:///ws), its env-not-provided findings, and edits applied to a text.
import { parsePython } from '../../server/src/parse/python';
import { buildWorkspace } from '../../server/src/model/build';
import { parseEnvFile, classifyEnvFile } from '../../server/src/model/files';
import { addEnvFile } from '../../server/src/model/scan';
import { runRules } from '../../server/src/analysis';
import type { EnvFiles, FileCredentials } from '../../server/src/model/types';
import type { FeatureContext, TextEdit } from '../../server/src/features/types';
import { offsetAt } from '../../server/src/features/positions';

export const ROOT = 'file:///ws';

export function context(files: Record<string, string>): { ctx: FeatureContext; texts: Map<string, string> } {
  const texts = new Map<string, string>();
  const env: EnvFiles = { charms: [], dotenv: [], compose: [], helm: [] };
  const credentials: FileCredentials[] = [];
  const python = [];
  for (const [rel, text] of Object.entries(files)) {
    const uri = `${ROOT}/${rel}`;
    texts.set(uri, text);
    if (rel.endsWith('.py')) python.push(parsePython(text, uri));
    else {
      const kind = classifyEnvFile(`/ws/${rel}`);
      if (kind) addEnvFile({ env, credentials }, parseEnvFile(kind, text, uri));
    }
  }
  const ws = buildWorkspace({ python, figgyJson: [], secrets: [], env, credentials, roots: [ROOT] });
  return { ctx: { workspace: ws, envStates: new Map(), envs: ['dev'], getText: (u) => texts.get(u) }, texts };
}

/** The tree's context and its env-not-provided findings. */
export function run(files: Record<string, string>) {
  const { ctx, texts } = context(files);
  const findings = runRules({ workspace: ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'env-not-provided');
  return { ctx, texts, findings };
}

export function apply(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start) || offsetAt(text, b.range.end) - offsetAt(text, a.range.end));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsetAt(out, e.range.start)) + e.newText + out.slice(offsetAt(out, e.range.end));
  return out;
}
