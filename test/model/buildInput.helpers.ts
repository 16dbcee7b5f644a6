// A BuildInput as the scan assembles one, for model tests: the Python and figgy.json models given,
// the twelve-factor files parsed and filed by kind (model/scan.ts addEnvFile), one workspace folder.
import { buildWorkspace, type BuildInput } from '../../server/src/model/build';
import type { Built } from '../../server/src/model/patch';
import { addEnvFile } from '../../server/src/model/scan';
import { parseEnvFile, type EnvFileKind } from '../../server/src/model/files';
import type { EnvFiles, FileCredentials } from '../../server/src/model/types';
import type { FiggyJsonModel, PythonConfigModel } from '../../server/src/parse/types';

/** A twelve-factor or credential file: its kind, uri and text. */
export type EnvFileSpec = readonly [kind: EnvFileKind, uri: string, text: string];

export function buildInput(parts: { python?: PythonConfigModel[]; figgyJson?: FiggyJsonModel[]; envFiles?: readonly EnvFileSpec[] }): BuildInput {
  const sink: { env: EnvFiles; credentials: FileCredentials[] } = { env: { charms: [], dotenv: [], compose: [], helm: [] }, credentials: [] };
  for (const [kind, uri, text] of parts.envFiles ?? []) addEnvFile(sink, parseEnvFile(kind, text, uri));
  return { python: parts.python ?? [], figgyJson: parts.figgyJson ?? [], secrets: [], env: sink.env, credentials: sink.credentials, roots: ['file:///ws'] };
}

/** The full build of `input`, as patchWorkspace takes the last one. */
export const built = (input: BuildInput): Built => ({ input, opts: {}, ws: buildWorkspace(input) });
