// What the patch tests of source files share: a workspace of four apps (web/ with a .env, api/ a
// compose service given config/app.env, worker/ loading ../shared/.env, plain/ with its own .env),
// one deployment file added to it, and which apps a patch made anew.
import assert from 'node:assert/strict';
import { parsePython } from '../../server/src/parse/python';
import type { BuildInput } from '../../server/src/model/build';
import type { Built, patchWorkspace } from '../../server/src/model/patch';
import { buildInput, type EnvFileSpec } from './buildInput.helpers';
import { addEnvFile } from '../../server/src/model/scan';
import { parseEnvFile, type EnvFileKind } from '../../server/src/model/files';
import type { EnvFiles, EnvListName, FileCredentials } from '../../server/src/model/types';

export const WEB_ENV = 'file:///ws/web/.env';
export const API_ENV = 'file:///ws/api/config/app.env';
export const SHARED_ENV = 'file:///ws/shared/.env';

/**
 * web/ reads PORT and SECRET_KEY with a .env inside it; api/ is a compose service given
 * config/app.env; the rest is the workspace folder's app: worker/ loads ../shared/.env itself,
 * plain/ has a .env nothing else refers to.
 */
export function input(env: Record<string, string> = {}): BuildInput {
  const files: [string, string][] = [
    [WEB_ENV, 'PORT=8080\nSECRET_KEY=\n'],
    [API_ENV, 'API_TOKEN=abc\n'],
    [SHARED_ENV, 'QUEUE_URL=amqp://q\n'],
    ['file:///ws/plain/.env', 'A=1\n'],
  ];
  return buildInput({
    envFiles: [
      ...files.map(([uri, text]): EnvFileSpec => ['dotenv', uri, env[uri] ?? text]),
      ['compose', 'file:///ws/compose.yaml', 'services:\n  api:\n    build: ./api\n    env_file: ./api/config/app.env\n'],
    ],
    python: [
      parsePython('import os\nPORT = os.environ["PORT"]\nKEY = os.environ.get("SECRET_KEY", "dev")\n', 'file:///ws/web/settings.py'),
      parsePython('import os\nTOKEN = os.environ["API_TOKEN"]\n', 'file:///ws/api/main.py'),
      parsePython('import os\nfrom dotenv import load_dotenv\nload_dotenv("../shared/.env")\nQUEUE = os.environ["QUEUE_URL"]\n', 'file:///ws/worker/run.py'),
      parsePython('import os\nA = os.environ["A"]\n', 'file:///ws/plain/app.py'),
    ],
  });
}

/** A `.env` file's model, as the scan files it. */
export const dotenvModel = (uri: string, text: string) => buildInput({ envFiles: [['dotenv', uri, text]] }).env!.dotenv[0];

/** The next input: the same objects except the `.env` file `uri`, parsed from `text`. */
export function editDotenv(prev: BuildInput, uri: string, text: string): BuildInput {
  const edited = dotenvModel(uri, text);
  const dotenv = prev.env!.dotenv.map((m) => (m.uri === uri ? edited : m));
  return { ...prev, env: { ...prev.env!, dotenv } };
}

export const short = (root: string) => (root === 'file:///ws' ? '(root)' : root.replace('file:///ws/', ''));

/** Which apps are new objects after the patch (by root). */
export function renewed(prev: Built, got: NonNullable<ReturnType<typeof patchWorkspace>>): string[] {
  assert.equal(got.apps?.length, prev.ws.apps?.length);
  return got.apps!.filter((a, i) => a !== prev.ws.apps![i]).map((a) => short(a.root));
}

// A file of one source in web/ (a Dockerfile, Heroku's app.json, a fly.toml, a Databricks app.yaml,
// a serverless.yml, a SAM template, a zappa_settings.json, a .chalice/config.json, an ECS task definition): its source made again from the new model, or its ENV patched in place like
// Helm values (only web/ is new).
export function withOne(list: EnvListName, kind: EnvFileKind, uri: string, text: string): BuildInput {
  const base = input();
  const sink: { env: EnvFiles; credentials: FileCredentials[] } = { env: { ...base.env!, [list]: [] }, credentials: [...(base.credentials ?? [])] };
  addEnvFile(sink, parseEnvFile(kind, text, uri));
  return { ...base, env: sink.env, credentials: sink.credentials };
}
