// `orchard sync`: figgy config sync semantics on any backend. Creates what is missing, never overwrites.
import { gatherEnvState } from '../analysis/engine';
import { planWorkspace, assembleMerge, type PlanItem, type SyncPlan } from '../analysis/plan';
import type { ParameterStore, ParameterType } from '../store/types';
import { UsageError, importFolders, loadCliConfig, openStores, parseEnvList, type GlobalOptions } from './context';
import { loadWorkspace } from './workspace';
import { makePaint, type Style } from './format';
import { prompts } from './ask';
import { LIMITS, readRegularFile } from '../fsread';

export interface SyncOptions extends GlobalOptions {
  env: string;
  plan?: boolean;
  values?: string;
}

export interface SuppliedValue {
  value: string;
  type?: ParameterType;
  description?: string;
}

/** Reads a --values file. Errors name the file and the problem, never a value. */
export async function readValuesFile(file: string): Promise<Map<string, SuppliedValue>> {
  const read = await readRegularFile(file, { maxBytes: LIMITS.valuesFile });
  if (!read.ok) throw new UsageError(`cannot read --values file ${file}: ${read.message}`);
  const text = read.text;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`--values file ${file} is not valid JSON`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`--values file ${file} must hold a JSON object {"/path": value}`);
  const out = new Map<string, SuppliedValue>();
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v === 'string') out.set(k, { value: v });
    else if (v && typeof v === 'object' && typeof (v as SuppliedValue).value === 'string') {
      const sv = v as SuppliedValue;
      if (sv.type !== undefined && sv.type !== 'String' && sv.type !== 'SecureString') throw new UsageError(`--values ${file}: ${k}: type must be String or SecureString`);
      out.set(k, { value: sv.value, type: sv.type, description: sv.description });
    } else throw new UsageError(`--values ${file}: ${k} must be a string or {"value": string, "type"?, "description"?}`);
  }
  return out;
}

type Paint = (s: Style, t: string) => string;

export function renderPlan(plans: SyncPlan[], paint: Paint): string {
  const lines: string[] = [];
  for (const p of plans) {
    lines.push(paint('bold', `${p.twig ?? p.serviceId} in ${p.env}`));
    if (p.unknown) {
      lines.push(`  ${paint('yellow', '?')} cannot plan: ${p.unknown}`);
      continue;
    }
    const by = (a: PlanItem['action']) => p.items.filter((i) => i.action === a);
    // The counts of `orchard check` and the Problems panel: every missing parameter is in one category.
    const counts = (['create', 'replicate', 'merge', 'blocked'] as const).map((a) => [a, by(a).length] as const).filter(([, n]) => n > 0);
    if (p.items.length || p.stray.length) {
      const missing = p.items.length ? `${p.items.length} missing (${counts.map(([a, n]) => `${n} ${a === 'create' ? 'to create' : a === 'replicate' ? 'to replicate' : a === 'merge' ? 'to merge' : 'blocked'}`).join(', ')})` : '';
      lines.push(`  ${[missing, p.stray.length ? `${p.stray.length} stray` : ''].filter(Boolean).join(', ')}`);
    }
    for (const i of by('create')) lines.push(`  ${paint('green', '+')} create     ${i.path}${i.param.likelySecret ? ' (secret?)' : ''}`);
    for (const i of by('replicate')) lines.push(`  ${paint('green', '+')} replicate  ${i.path} ← ${(i as Extract<PlanItem, { action: 'replicate' }>).source}`);
    for (const i of by('merge')) lines.push(`  ${paint('green', '+')} merge      ${i.path}`);
    for (const i of by('blocked')) lines.push(`  ${paint('red', '!')} blocked    ${i.path}: ${(i as Extract<PlanItem, { action: 'blocked' }>).reason}`);
    for (const s of p.stray) lines.push(`  ${paint('cyan', '-')} stray      ${s} (nothing declares it; figgy config prune would delete it)`);
    if (p.items.length === 0 && p.stray.length === 0) lines.push(`  ${paint('green', '✓')} nothing to do`);
  }
  return lines.join('\n');
}

interface ApplyIO {
  /** Asks for a value; undefined means skip. */
  ask(item: Extract<PlanItem, { action: 'create' }>): Promise<SuppliedValue | undefined>;
  say(line: string): void;
}

export interface ApplyResult {
  created: string[];
  skipped: { path: string; why: string }[];
  failed: { path: string; why: string }[];
}

/** Applies a plan item by item. Every write uses overwrite=false: an existing parameter is never replaced. */
export async function applyPlan(plan: SyncPlan, store: ParameterStore, io: ApplyIO): Promise<ApplyResult> {
  const res: ApplyResult = { created: [], skipped: [], failed: [] };
  const put = async (path: string, value: string, type: ParameterType, description?: string) => {
    const r = await store.put({ name: path, value, type, description, overwrite: false });
    if (r.ok) {
      res.created.push(path);
      io.say(`created ${path} (${type}, version ${r.version})`);
    } else if (r.reason === 'exists') res.skipped.push({ path, why: 'already exists (someone created it meanwhile); left unchanged' });
    else res.failed.push({ path, why: r.failure.message });
  };
  // Order: user values, then copies, then merges (which may read what was just created).
  for (const item of plan.items) {
    if (item.action !== 'create') continue;
    const v = await io.ask(item);
    if (!v) res.skipped.push({ path: item.path, why: 'no value given' });
    else await put(item.path, v.value, v.type ?? (item.param.likelySecret ? 'SecureString' : 'String'), v.description);
  }
  for (const item of plan.items) {
    if (item.action !== 'replicate') continue;
    const src = (await store.getValues([item.source], { decrypt: true })).get(item.source);
    if (src?.state !== 'found' || src.value.value === undefined) {
      res.failed.push({ path: item.path, why: `source ${item.source} could not be read` });
      continue;
    }
    await put(item.path, src.value.value, src.value.meta.type, `replicated from ${item.source}`);
  }
  for (const item of plan.items) {
    if (item.action !== 'merge') continue;
    const refs = item.parts.flatMap((p) => ('ref' in p ? [p.ref] : []));
    const got = await store.getValues([...new Set(refs)], { decrypt: true });
    const values = new Map<string, string>();
    for (const [k, l] of got) if (l.state === 'found' && l.value.value !== undefined) values.set(k, l.value.value);
    const merged = assembleMerge(item.parts, values);
    if (merged === undefined) res.failed.push({ path: item.path, why: 'a merge part could not be read' });
    // Merged values are always SecureString in Figgy.
    else await put(item.path, merged, 'SecureString', 'merged by orchard sync');
  }
  return res;
}

function interactiveAsk(values: Map<string, SuppliedValue> | undefined): ApplyIO['ask'] {
  return async (item) => {
    const given = values?.get(item.path);
    if (given) return given;
    if (values || !process.stdin.isTTY) return undefined;
    const secret = await prompts().confirm({ message: `${item.path}: is this a secret (SecureString)?`, default: item.param.likelySecret });
    const value = secret
      ? await prompts().password({ message: `value for ${item.path}:`, mask: '•' })
      : await prompts().input({ message: `value for ${item.path}:` });
    if (!value) return undefined;
    const description = await prompts().input({ message: 'description (optional):' });
    return { value, type: secret ? 'SecureString' : 'String', description: description || undefined };
  };
}

export async function runSync(path: string, opts: SyncOptions): Promise<number> {
  const cfg = loadCliConfig(opts);
  const envs = parseEnvList(opts.env, cfg);
  if (envs.length !== 1) throw new UsageError('sync works on one environment at a time: --env <env>');
  const values = opts.values ? await readValuesFile(opts.values) : undefined;
  const ws = await loadWorkspace(path, { pairing: opts.pairing, allowImportsFrom: importFolders(cfg, opts), jsonFiles: opts.jsonFiles });
  const store = openStores(cfg, envs, opts).get(envs[0])!;
  const paint = makePaint(process.stdout);
  try {
    const state = await gatherEnvState(ws, store, { checkMergedValues: false });
    const plans = planWorkspace(ws, state);
    if (plans.length === 0) {
      process.stdout.write('no Figgy service found\n');
      return 0;
    }
    process.stdout.write(renderPlan(plans, paint) + '\n');
    if (plans.some((p) => p.unknown)) return 2;
    if (opts.plan) return plans.some((p) => p.items.length) ? 1 : 0;

    let failed = 0;
    let blocked = 0;
    for (const plan of plans) {
      const r = await applyPlan(plan, store, { ask: interactiveAsk(values), say: (l) => process.stdout.write(`  ${l}\n`) });
      for (const s of r.skipped) process.stdout.write(`  skipped ${s.path}: ${s.why}\n`);
      for (const f of r.failed) process.stderr.write(`  failed ${f.path}: ${f.why}\n`);
      failed += r.failed.length + r.skipped.length;
      blocked += plan.items.filter((i) => i.action === 'blocked').length;
      if (plan.stray.length) process.stdout.write(`  ${plan.stray.length} stray parameter(s) left in place; delete them with orchard delete after checking nobody uses them\n`);
    }
    if (failed && !values && !process.stdin.isTTY) {
      process.stderr.write('orchard: no terminal to ask for values: give them with --values FILE ({"/app/svc/name": "value" | {"value", "type", "description"}})\n');
    }
    return failed || blocked ? 1 : 0;
  } finally {
    await store.dispose?.();
  }
}
