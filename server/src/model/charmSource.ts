// A charm as a source of an app's variables: paas-charm's mapping (model/paasCharm.ts) over the
// charm's files, with the framework taken from the charm's own code when the files do not say, and
// "unknown" when that code builds the environment itself (a `gen_environment` override or a
// `configuration_prefix`), since Orchard would otherwise guess its names wrong.
import type { CharmModel } from '../parse/envTypes';
import type { PythonConfigModel } from '../parse/types';
import { isSensitiveName } from '../parse/sensitive';
import { charmEnvironment, type CharmEnvironment } from './paasCharm';
import type { AppSource, ProvidedVar } from './types';

export interface CharmSource {
  source: AppSource;
  env: CharmEnvironment;
}

/**
 * A Flask or Django charm written for paas-charm 2.x: it declares `app-secret-key(-id)` (the 2.x
 * framework option) and not the 1.12 `flask-secret-key` / `django-secret-key`. Other frameworks
 * use `app-secret-key` in both versions.
 */
export function paasCharm2Shaped(charms: readonly CharmModel[], framework: string): boolean {
  if (framework !== 'flask' && framework !== 'django') return false;
  const names = new Set(charms.flatMap((c) => c.options.map((o) => o.name)));
  return (names.has('app-secret-key') || names.has('app-secret-key-id')) && !names.has(`${framework}-secret-key`) && !names.has(`${framework}-secret-key-id`);
}

export function charmSource(charms: readonly CharmModel[], charmCode: readonly PythonConfigModel[]): CharmSource {
  const code = charmCode.map((f) => f.charmCode).filter((c): c is NonNullable<PythonConfigModel['charmCode']> => Boolean(c));
  const framework = code.find((c) => c.framework)?.framework;
  let env = charmEnvironment(charms, framework ? { framework } : {});
  // paas-charm 2.x names the Flask/Django secret key option `app-secret-key` (1.12: `<fw>-secret-key`).
  if (env.framework && paasCharm2Shaped(charms, env.framework)) env = charmEnvironment(charms, { ...(framework ? { framework } : {}), paasCharmMajor: 2 });
  // Options and endpoints the charm's code names itself (`self.config["vhost"]`, `self.on["amqp"]`):
  // it handles them, so an option the app does not read is not unused, and an endpoint paas-charm
  // does not wire may still give the workload what the code makes of it.
  const handled = new Set(code.flatMap((c) => c.literals ?? []));
  if (handled.size) env = { ...env, notes: env.notes.filter((n) => !(n.endpoint && handled.has(n.endpoint))) };
  const main = charms.find((c) => c.file === 'charmcraft') ?? charms.find((c) => c.file === 'config') ?? charms[0];
  const override = charmCode.find((f) => f.charmCode?.overridesEnvironment);
  let complete = env.complete;
  let incompleteReason: string | undefined;
  if (override) {
    complete = false;
    incompleteReason = 'the charm\'s code builds the environment itself (computed by charm code)';
  } else if (!env.complete && code.length === 0) {
    // No `extensions:`, no framework option, and no code of it using paas_charm: a charm written with
    // ops alone (discourse-k8s-operator), whose options reach the workload however its code decides.
    // Nothing paas-charm would do applies, so nothing is said about paas-charm.
    env = { ...env, notes: [] };
    incompleteReason = 'not a paas-charm charm: its code decides what its options become';
  } else if (!env.complete) {
    incompleteReason = 'the charm\'s framework is unknown, so the names of its options are too';
  }
  return {
    env,
    source: {
      id: 'charm',
      kind: 'charm',
      label: 'charm',
      uri: main.uri,
      provides: [...env.provided.map((v) => handledByCode(v.sensitive || !isSensitiveName(v.name) ? v : { ...v, sensitive: true }, handled)), ...setByCode(env.provided, charmCode)],
      complete,
      incompleteReason,
    },
  };
}

/**
 * Variables the charm's code sets itself by name (`return {"FLASK_RABBITMQ_URIS": uris}`, handed to
 * the workload besides what paas-charm makes of the options): the charm provides them too, from the
 * line that sets them. Not the user's entries: nothing says they are unused.
 */
function setByCode(provided: readonly ProvidedVar[], charmCode: readonly PythonConfigModel[]): ProvidedVar[] {
  const seen = new Set(provided.map((v) => v.name));
  const out: ProvidedVar[] = [];
  for (const f of charmCode) {
    for (const s of f.charmCode?.sets ?? []) {
      if (seen.has(s.name)) continue;
      seen.add(s.name);
      out.push({ name: s.name, uri: f.uri, range: s.range, sensitive: isSensitiveName(s.name), detail: `set by the charm's code (${f.uri.slice(f.uri.lastIndexOf('/') + 1)})`, userDefined: false, charm: {} });
    }
  }
  return out;
}

/** An option the charm's code reads itself is in use whether or not the app reads its variable. */
function handledByCode(v: ProvidedVar, handled: ReadonlySet<string>): ProvidedVar {
  return v.charm?.option && handled.has(v.charm.option) ? { ...v, detail: `${v.detail}, also read by the charm's code`, charm: { ...v.charm, readByCharm: true } } : v;
}
