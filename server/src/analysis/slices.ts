// Slices: the workspace cut into independent parts (services that share any file, with exactly those
// files; files of no service on their own). See incremental.ts for why rules can run per slice.
import type { FiggyJsonModel, PythonConfigModel, SecretsJsonModel } from '../parse/types';
import type { Service, WorkspaceModel } from '../model/types';
import { sameList } from '../model/identity';

type AnyModel = PythonConfigModel | FiggyJsonModel | SecretsJsonModel;

export interface Slice {
  services: Service[];
  pythonFiles: PythonConfigModel[];
  figgyJsonFiles: FiggyJsonModel[];
  secretsFiles: SecretsJsonModel[];
}

/** Every `uri` string reachable in a parsed model (its own and those of merged-in files). */
const urisOfModel = new WeakMap<object, string[]>();
function modelUris(m: AnyModel): string[] {
  let u = urisOfModel.get(m);
  if (u) return u;
  // A Python model is one file's parse: nothing in it names another file (checked over 1,345 real
  // files), and walking 5,000 declarations per keystroke was a sixth of the big-file edit path.
  if ('classes' in m && 'importsFiggy' in m) {
    u = [m.uri];
    urisOfModel.set(m, u);
    return u;
  }
  const out = new Set<string>([m.uri]);
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    // Ranges and positions (most of a figgy.json model's objects) never name a file.
    if ('character' in v || ('start' in v && 'end' in v && !('uri' in v) && typeof (v as { start: unknown }).start === 'object')) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k === 'uri' && typeof x === 'string') out.add(x);
      else walk(x);
    }
  };
  walk(m);
  u = [...out];
  urisOfModel.set(m, u);
  return u;
}

/** Cuts a workspace into independent slices; each keeps the workspace's order of services and files. */
export function sliceWorkspace(ws: WorkspaceModel): Slice[] {
  return cutWorkspace(ws).slices;
}

/** Slices, and the slice of each Python file and each service (by index in the workspace). */
export interface Slicing {
  ws: WorkspaceModel;
  slices: Slice[];
  pySlice: number[];
  svcSlice: number[];
  fjSlice: number[];
}

export function cutWorkspace(ws: WorkspaceModel): Slicing {
  const parent: number[] = [];
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const union = (a: number, b: number): void => {
    const x = find(a);
    const y = find(b);
    if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
  };
  const byUri = new Map<string, number>();
  const byModel = new Map<object, number>();
  const node = (m: AnyModel): number => {
    let i = byModel.get(m);
    if (i !== undefined) return i;
    i = parent.length;
    parent.push(i);
    byModel.set(m, i);
    for (const u of modelUris(m)) {
      const j = byUri.get(u);
      if (j === undefined) byUri.set(u, i);
      else union(i, j);
    }
    return i;
  };
  const py = ws.pythonFiles.map(node);
  const fj = ws.figgyJsonFiles.map(node);
  const sec = ws.secretsFiles.map(node);
  const svc = ws.services.map((s) => {
    const files: AnyModel[] = [...(s.configPy ? [s.configPy.model] : []), ...(s.figgyJson ? [s.figgyJson] : []), ...s.secrets];
    const ns = files.map(node);
    for (const n of ns) union(ns[0], n);
    return ns[0];
  });
  const index = new Map<number, number>();
  const slices: Slice[] = [];
  const at = (i: number | undefined): number => {
    const r = i === undefined ? -1 : find(i);
    let k = index.get(r);
    if (k === undefined) {
      index.set(r, (k = slices.length));
      slices.push({ services: [], pythonFiles: [], figgyJsonFiles: [], secretsFiles: [] });
    }
    return k;
  };
  const svcSlice = ws.services.map((s, i) => {
    const k = at(svc[i]);
    slices[k].services.push(s);
    return k;
  });
  const pySlice = ws.pythonFiles.map((m, i) => {
    const k = at(py[i]);
    slices[k].pythonFiles.push(m);
    return k;
  });
  const fjSlice = ws.figgyJsonFiles.map((m, i) => {
    const k = at(fj[i]);
    slices[k].figgyJsonFiles.push(m);
    return k;
  });
  ws.secretsFiles.forEach((m, i) => slices[at(sec[i])].secretsFiles.push(m));
  return { ws, slices, pySlice, svcSlice, fjSlice };
}

/**
 * The slicing of `ws` from the previous one when only Python models (same uri), figgy.json models
 * naming the same files, and the services declared in them changed: slices depend on uris alone, so
 * only the slices holding a changed object get new arrays, and every other slice stays the very same
 * object (its key is then remembered).
 */
export function patchSlicing(prev: Slicing, ws: WorkspaceModel): { slicing: Slicing; touched: Set<number> } | undefined {
  const a = prev.ws;
  if (!sameList(a.secretsFiles, ws.secretsFiles) || a.figgyJsonFiles.length !== ws.figgyJsonFiles.length) return undefined;
  if (a.pythonFiles.length !== ws.pythonFiles.length || a.services.length !== ws.services.length) return undefined;
  const py = new Map<object, PythonConfigModel>();
  const fj = new Map<FiggyJsonModel, FiggyJsonModel>();
  const svc = new Map<Service, Service>();
  const touched = new Set<number>();
  for (let i = 0; i < ws.figgyJsonFiles.length; i++) {
    const x = a.figgyJsonFiles[i];
    const y = ws.figgyJsonFiles[i];
    if (x === y) continue;
    if (!sameList(modelUris(x), modelUris(y))) return undefined;
    fj.set(x, y);
    touched.add(prev.fjSlice[i]);
  }
  for (let i = 0; i < ws.pythonFiles.length; i++) {
    const x = a.pythonFiles[i];
    const y = ws.pythonFiles[i];
    if (x === y) continue;
    if (x.uri !== y.uri) return undefined;
    py.set(x, y);
    touched.add(prev.pySlice[i]);
  }
  for (let i = 0; i < ws.services.length; i++) {
    const x = a.services[i];
    const y = ws.services[i];
    if (x === y) continue;
    if ((x.figgyJson !== y.figgyJson && (!x.figgyJson || fj.get(x.figgyJson) !== y.figgyJson)) || !sameList(x.secrets, y.secrets) || x.configPy?.model.uri !== y.configPy?.model.uri) return undefined;
    svc.set(x, y);
    touched.add(prev.svcSlice[i]);
  }
  if (touched.size === 0) return { slicing: { ...prev, ws }, touched };
  const slices = prev.slices.slice();
  for (const k of touched) {
    const s = slices[k];
    slices[k] = { ...s, services: s.services.map((v) => svc.get(v) ?? v), pythonFiles: s.pythonFiles.map((m) => py.get(m) ?? m), figgyJsonFiles: s.figgyJsonFiles.map((m) => fj.get(m) ?? m) };
  }
  return { slicing: { ws, slices, pySlice: prev.pySlice, svcSlice: prev.svcSlice, fjSlice: prev.fjSlice }, touched };
}

let nextId = 1;
const ids = new WeakMap<object, number>();
/** A number per object, for keys made of object identities. */
export function idOf(o: object): number {
  let i = ids.get(o);
  if (i === undefined) ids.set(o, (i = nextId++));
  return i;
}

const keyOfSlice = new WeakMap<Slice, string>();

export function sliceKey(s: Slice): string {
  let k = keyOfSlice.get(s);
  if (k === undefined) keyOfSlice.set(s, (k = computeSliceKey(s)));
  return k;
}

function computeSliceKey(s: Slice): string {
  const parts: string[] = [];
  parts.push(s.pythonFiles.map(idOf).join(','), s.figgyJsonFiles.map(idOf).join(','), s.secretsFiles.map(idOf).join(','));
  for (const v of s.services) {
    parts.push(
      `${JSON.stringify(v.id)}:${JSON.stringify(v.twig ?? null)}:${v.configPy ? `${idOf(v.configPy.model)}.${idOf(v.configPy.cls)}` : '-'}:${v.figgyJson ? idOf(v.figgyJson) : '-'}:${v.secrets.map(idOf).join('.')}`,
    );
  }
  return parts.join('|');
}

