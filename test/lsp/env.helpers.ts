// What the twelve-factor protocol tests share: a rock app with a charm, a workflow holding a key, and
// the steps of typing into a deployment file (the read's finding goes without a full build).
import assert from 'node:assert/strict';
import { startHarness } from './harness';

export const CHARM = `name: demo
type: charm
summary: s
description: d
extensions:
  - flask-framework
config:
  options:
    greeting:
      type: string
      default: hello
    api-token:
      type: string
      description: A token for the upstream API.
    unused-knob:
      type: int
      default: 3
`;

export const APP = `import os
import flask

app = flask.Flask(__name__)
app.config.from_prefixed_env()
token = os.environ["FLASK_API_TOKEN"]
greeting = os.environ.get("FLASK_GREETING", "hi")
db = os.environ["DATABASE_PASSWORD"]
if "FLASK_CDN_TOKEN" in os.environ:
    zone = os.environ["FLASK_CDN_ZONE"]
`;

export const KEY_ID = 'AKIA' + 'Q3EGRQWXJ2Z7N4PH';
export const SECRET = 'wJalr9UtnFEMI/K7MDENG/bPxRfiCYzq3kV8Tq' + 'Ab';
export const WORKFLOW = `name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      AWS_ACCESS_KEY_ID: ${KEY_ID}
    steps:
      - run: ./deploy.sh
`;

export const FILES = {
  'rock/charm/charmcraft.yaml': CHARM,
  'rock/app.py': APP,
  'rock/requirements.txt': 'flask\n',
  '.github/workflows/deploy.yml': WORKFLOW,
  'rock/.env.example': `FLASK_GREETING=hello\nAWS_SECRET_ACCESS_KEY=${SECRET}\n`,
  'rock/tests/test_app.py': 'import os\nBASE = os.environ["E2E_BASE_URL"]\n',
};

/** app.py's DATABASE_PASSWORD read (line 8) reported as not provided. */
export const notProvided = (d: { code?: unknown; range: { start: { line: number } } }[]) => d.some((x) => x.code === 'env-not-provided' && x.range.start.line === 7);

/**
 * A tree with one deployment file `rel` (`first`) whose app.py read of DATABASE_PASSWORD is not
 * provided; typing `added` at its end (or the text `added` makes of it) in the open file must patch
 * the last build (no full build) and make the finding go. The harness, for the test's own assertions.
 */
export async function typingPatches(t: { after: (fn: () => unknown) => void }, rel: string, first: string, added: string | ((first: string) => string), what: string): Promise<{ h: Awaited<ReturnType<typeof startHarness>>; appUri: string }> {
  const h = await startHarness({ files: { ...FILES, [rel]: first } });
  t.after(() => h.close());
  const appUri = h.uri('rock/app.py');
  await h.waitForDiagnostics(appUri, notProvided, 20_000);
  await h.server.idle();
  const full = h.server.docs.stats.fullBuilds;
  await h.open(rel, first);
  h.change(rel, 2, typeof added === 'string' ? `${first}${added}` : added(first));
  await h.waitForDiagnostics(appUri, (d) => !notProvided(d), 20_000);
  await h.server.idle();
  assert.equal(h.server.docs.stats.fullBuilds, full, `no full build for ${what} edit`);
  return { h, appUri };
}

/** The hover's text on app.py's read of DATABASE_PASSWORD (line 8). */
export async function hoverOnRead(h: Awaited<ReturnType<typeof startHarness>>, appUri: string): Promise<string> {
  const hover = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri: appUri }, position: { line: 7, character: 20 } })) as { contents: { value: string } } | null;
  return hover?.contents.value ?? '';
}

/** Whether the App Variables view lists a source of that kind and label. */
export async function listsSource(h: Awaited<ReturnType<typeof startHarness>>, kind: string, label: string): Promise<boolean> {
  const apps = (await h.client.sendRequest('orchard/apps', {})) as { apps: { sources: { kind: string; label: string }[] }[] };
  return apps.apps.some((a) => a.sources.some((s) => s.kind === kind && s.label === label));
}

/** What a move answers: the edits of the file and how the CI or runtime gets the value now. */
export interface MoveAnswer {
  ok: boolean;
  changes: Record<string, { newText: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[]>;
  hint: string;
}

/**
 * Opens `rel`, waits for its credential finding, takes its "Move to the parameter store" action and
 * runs the move into dev; the action's title, its arguments (never the value) and the answer.
 */
export async function moveFirstCredential(h: Awaited<ReturnType<typeof startHarness>>, rel: string, text: string): Promise<{ uri: string; title: string; args: { fingerprint: string; name: string; path: string }; r: MoveAnswer }> {
  const uri = await h.open(rel, text);
  const d = await h.waitForDiagnostics(uri, (x) => x.some((y) => String(y.code).startsWith('credential-')), 20_000);
  const diag = d.find((y) => String(y.code).startsWith('credential-'))!;
  const actions = (await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } })) as { title: string; command?: { command: string; arguments: { fingerprint: string; name: string; path: string }[] } }[];
  const move = actions.find((a) => a.command?.command === 'orchard.moveCredential');
  assert.ok(move, actions.map((a) => a.title).join(' | '));
  const args = move.command!.arguments[0];
  const r = (await h.client.sendRequest('orchard/credential/move', { ...args, env: 'dev', overwrite: false })) as MoveAnswer;
  assert.ok(r.ok, JSON.stringify(r));
  return { uri, title: move.title, args, r };
}
