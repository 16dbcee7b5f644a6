// A Helm chart's environment, from its templates (parse/helmTemplate.ts) and values files: the
// names its containers' `env` and `envFrom` set literally (with the ConfigMaps / Secrets the chart
// renders, matched by name as written, and the named templates an `include` stands for), and
// whether that is all of it. It is all when every other thing that writes an `env` or `envFrom` is
// understood: a values path the values reader takes as variables (`toYaml .Values.env`, a `range`
// over `.Values.extraEnv`: what the values files list there is what the container gets), an
// `envFrom` from a values path no values file fills, an `include` of a named template whose body is
// understood in turn. Anything else — `tpl`, a Secret the chart does not render, a library chart's
// templates — and the chart's environment is unknown, and the reason says where. Pure.
import type { HelmTemplateModel, HelmTplDefine, HelmTplSetter, HelmValuesModel } from '../parse/envTypes';
import type { ProvidedVar } from './types';
import { isEnvKey } from '../parse/helmValues';
import { isSensitiveName } from '../parse/sensitive';
import { mayBeAppImage } from './appSources';

/** Named templates an `include` is followed through at most (a chain deeper than this is unknown). */
const MAX_INCLUDE_DEPTH = 8;

/** Values a container-level `toYaml` writes that are not its environment (`resources:`, probes…). */
const NOT_ENV_KEYS = /^(?:resources|(?:container)?securityContext|(?:liveness|readiness|startup)Probe|volumeMounts|volumeDevices|ports|lifecycle|args|command|image|imagePullPolicy|workingDir|tty|stdin)$/i;

export interface ChartEnv {
  provides: ProvidedVar[];
  /** The values paths the templates write as variables (`env`, `extraEnv`, `config`): what of the values files reaches the container. */
  valuesPaths: string[];
  /** The template of the app's first container with literal env entries. */
  main?: string;
  /** Why the chart may set variables Orchard cannot see; undefined: what `provides` and the values files list is all. */
  reason?: string;
  /** Every container it renders runs another program's image (a redis chart): it is not the app's. */
  otherProgram?: boolean;
}

function rel(dir: string, uri: string): string {
  return uri.startsWith(`${dir}/`) ? uri.slice(dir.length + 1) : uri;
}

function at(dir: string, uri: string, line: number): string {
  return `${rel(dir, uri)}:${line + 1}`;
}

/** The environment of the chart in `dir`: its templates (under `dir/templates/`) and its values files. */
export function chartEnv(dir: string, templates: readonly HelmTemplateModel[], values: readonly HelmValuesModel[]): ChartEnv {
  const provides: ProvidedVar[] = [];
  const reasons: string[] = [];
  const valuesPaths = new Set<string>();
  const defines = new Map<string, { def: HelmTplDefine; uri: string }>();
  for (const t of templates) for (const d of t.defines) if (!defines.has(d.name)) defines.set(d.name, { def: d, uri: t.uri });
  const listed = new Set(values.flatMap((m) => m.entries.map((e) => e.path.join('.'))));
  // What a values path holds in some values file (a template writing it from an empty or absent one writes nothing).
  const filled = (path: string) => values.some((m) => m.filled?.includes(path));
  // A values path whose YAML the values reader takes as variables (an env-named key, one whose entries it listed), or that holds nothing.
  const readAsVariables = (path: string) => isEnvKey(path.slice(path.lastIndexOf('.') + 1)) || listed.has(path) || !filled(path);
  const seenDefines = new Set<string>();

  /** Follows what writes an env list; says why not when it cannot. */
  const envSetter = (s: HelmTplSetter, uri: string, depth: number): void => {
    if (s.kind === 'values') {
      if (!readAsVariables(s.path)) reasons.push(`${at(dir, uri, s.range.start.line)} writes the environment from .Values.${s.path}, which Orchard does not read as variables`);
      else valuesPaths.add(s.path);
      return;
    }
    if (s.kind === 'opaque') {
      reasons.push(`${at(dir, uri, s.range.start.line)} writes the environment with ${s.text}, which Orchard does not follow`);
      return;
    }
    const found = defines.get(s.name);
    if (!found || depth >= MAX_INCLUDE_DEPTH) {
      reasons.push(`${at(dir, uri, s.range.start.line)} writes the environment with the template "${s.name}", which ${found ? 'includes templates too deeply' : "the chart's templates do not define"}`);
      return;
    }
    if (seenDefines.has(s.name)) return;
    seenDefines.add(s.name);
    for (const e of found.def.entries) provides.push(provided(dir, found.uri, e.key, e.range, `define "${s.name}"`, false));
    for (const inner of found.def.setters) envSetter(inner, found.uri, depth + 1);
  };

  let containers = 0;
  let main: string | undefined;
  const others = new Set<string>();
  for (const t of templates) {
    if (t.unread) reasons.push(`${at(dir, t.uri, t.unread.range.start.line)}: ${t.unread.message}`);
    for (const c of t.containers) {
      // Another program's container (a redis, a proxy beside the app) is not the app's environment.
      if (c.image && !mayBeAppImage({ baseImage: c.image })) {
        others.add(c.image);
        continue;
      }
      containers++;
      if (!main && c.entries.length > 0) main = t.uri;
      const who = c.name.includes('{{') ? `the ${c.workload}'s container` : `container ${c.name}`;
      for (const e of c.entries) {
        const p = provided(dir, t.uri, e.key, e.keyRange, `env of ${who}${e.from ? ` (from a ${e.from === 'secret' ? 'Secret' : e.from === 'config-map' ? 'ConfigMap' : 'field of the pod'})` : ''}`, e.from === 'secret');
        if (e.value !== undefined && !e.from) {
          p.value = e.value;
          if (e.valueRange) p.valueRange = e.valueRange;
        }
        provides.push(p);
      }
      for (const s of c.env) envSetter(s, t.uri, 0);
      for (const s of c.envFromSetters) {
        if (s.kind === 'values' && !filled(s.path)) continue;
        reasons.push(s.kind === 'values' ? `${at(dir, t.uri, s.range.start.line)} takes envFrom from .Values.${s.path}, which a values file fills with objects the chart does not render` : `${at(dir, t.uri, s.range.start.line)} writes envFrom with ${s.kind === 'include' ? `the template "${s.name}"` : s.text}, which Orchard does not follow`);
      }
      for (const f of c.envFrom) {
        const data = f.name === undefined ? undefined : templates.flatMap((x) => x.data.filter((d) => d.name === f.name && d.from === f.from).map((d) => ({ d, uri: x.uri })))[0];
        if (!data) {
          reasons.push(`${at(dir, t.uri, f.range.start.line)} takes envFrom the ${f.from === 'secret' ? 'Secret' : 'ConfigMap'} ${f.name ?? '(computed name)'}, which the chart's templates do not render`);
          continue;
        }
        const what = `${data.d.from === 'secret' ? 'Secret' : 'ConfigMap'} keys (envFrom)`;
        for (const k of data.d.keys) provides.push(provided(dir, data.uri, (f.prefix ?? '') + k.key, k.range, what, data.d.from === 'secret'));
        for (const s of data.d.setters) {
          if (f.prefix) reasons.push(`${at(dir, t.uri, f.range.start.line)} adds a prefix to keys the chart computes`);
          else envSetter(s, data.uri, 0);
        }
      }
      for (const s of c.other) {
        if (s.kind === 'values' && NOT_ENV_KEYS.test(s.path.slice(s.path.lastIndexOf('.') + 1))) continue;
        if (s.kind === 'include' && defines.get(s.name) && !defines.get(s.name)!.def.writesEnv) continue;
        reasons.push(`${at(dir, t.uri, s.range.start.line)} writes keys of ${who} with ${s.kind === 'include' ? `the template "${s.name}"` : s.kind === 'values' ? `.Values.${s.path}` : s.text}, which may set its environment`);
      }
    }
  }
  if (containers === 0 && reasons.length === 0) {
    reasons.push(others.size > 0 ? `the chart's containers run other programs' images (${[...others].sort().join(', ')}), not the app` : "Orchard found no container in the chart's templates (a library chart's, or written by actions it does not follow)");
  }
  const paths = [...valuesPaths].sort();
  // (A template two containers include gives its reason once.)
  const said = [...new Set(reasons)];
  const out: ChartEnv = { provides, valuesPaths: paths };
  if (main) out.main = main;
  if (said.length > 0) out.reason = said[0] + (said.length > 1 ? ` (and ${said.length - 1} more)` : '');
  if (containers === 0 && others.size > 0) out.otherProgram = true;
  return out;
}

/**
 * A variable the templates set. Never "unused", as a Kubernetes manifest's: the chart's containers
 * may run other code than the app's modules (a worker, a migration job, a front end beside it).
 */
function provided(dir: string, uri: string, name: string, range: ProvidedVar['range'], what: string, secret: boolean): ProvidedVar {
  return { name, uri, range, sensitive: secret || isSensitiveName(name), detail: `${rel(dir, uri)}: ${what}`, userDefined: false };
}
