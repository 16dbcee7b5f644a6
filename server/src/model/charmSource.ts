// A charm as a source of an app's variables: paas-charm's mapping (model/paasCharm.ts) over the
// charm's files, with the framework taken from the charm's own code when the files do not say, and
// "unknown" when that code builds the environment itself (a `gen_environment` override or a
// `configuration_prefix`), since Orchard would otherwise guess its names wrong.
import type { CharmModel } from '../parse/envTypes';
import type { PythonConfigModel } from '../parse/types';
import { isSensitiveName } from '../parse/sensitive';
import { charmEnvironment, type CharmEnvironment } from './paasCharm';
import type { AppSource } from './types';

export interface CharmSource {
  source: AppSource;
  env: CharmEnvironment;
}

export function charmSource(charms: readonly CharmModel[], charmCode: readonly PythonConfigModel[]): CharmSource {
  const code = charmCode.map((f) => f.charmCode).filter((c): c is NonNullable<PythonConfigModel['charmCode']> => Boolean(c));
  const framework = code.find((c) => c.framework)?.framework;
  const env = charmEnvironment(charms, framework ? { framework } : {});
  const main = charms.find((c) => c.file === 'charmcraft') ?? charms.find((c) => c.file === 'config') ?? charms[0];
  const override = charmCode.find((f) => f.charmCode?.overridesEnvironment);
  let complete = env.complete;
  let incompleteReason: string | undefined;
  if (override) {
    complete = false;
    incompleteReason = 'the charm\'s code builds the environment itself (computed by charm code)';
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
      provides: env.provided.map((v) => (v.sensitive || !isSensitiveName(v.name) ? v : { ...v, sensitive: true })),
      complete,
      incompleteReason,
    },
  };
}
