// The in-process cold index both engine benches time: read + parse every file, build the workspace
// model, run the rules that need no backend.
import { performance } from 'node:perf_hooks';
import { initPython } from '../server/src/parse/python';
import { scanWorkspace, type ScannedFiles } from '../server/src/model/scan';
import { buildWorkspace } from '../server/src/model/build';
import { runRules } from '../server/src/analysis/index';
import type { Finding } from '../server/src/analysis/types';
import type { WorkspaceModel } from '../server/src/model/types';

export async function coldIndex(root: string): Promise<{ scanned: ScannedFiles; ws: WorkspaceModel; findings: Finding[]; tScan: number; tBuild: number; tRules: number }> {
  await initPython();
  let t = performance.now();
  const scanned = await scanWorkspace(root);
  const tScan = performance.now() - t;
  t = performance.now();
  const ws = buildWorkspace(scanned);
  const tBuild = performance.now() - t;
  t = performance.now();
  const findings = runRules({ workspace: ws, envStates: new Map(), settings: { envs: [], severities: {} } }, { parseOnly: true });
  const tRules = performance.now() - t;
  return { scanned, ws, findings, tScan, tBuild, tRules };
}
