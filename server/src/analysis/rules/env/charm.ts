// Rules about a 12-factor charm's options, from what paas-charm makes of them (model/paasCharm.ts)
// and what charmcraft accepts. Each reported on the option (or endpoint) the user edits.
import type { Finding, Rule } from '../../types';
import type { App } from '../../../model/types';
import type { CharmModel } from '../../../parse/envTypes';
import { isSensitiveName } from '../../../parse/sensitive';

function charmsOf(app: App): CharmModel[] {
  return app.charm ?? [];
}

export const charmOptionDropped: Rule = {
  code: 'charm-option-dropped',
  defaultSeverity: 'warning',
  description: 'A charm option paas-charm never passes to the app (app- prefix, or the name of a framework setting): charmcraft packs it, the app never sees it.',
  needsBackend: false,
  perApp: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const app of ctx.workspace.apps ?? []) {
      for (const s of app.charmEnv?.skipped ?? []) {
        if (s.reason !== 'app-prefix' && s.reason !== 'framework-field') continue;
        out.push({ code: 'charm-option-dropped', severity: 'warning', message: s.message, uri: s.uri, range: s.range });
      }
    }
    return out;
  },
};

export const charmOptionReserved: Rule = {
  code: 'charm-option-reserved',
  defaultSeverity: 'error',
  description: 'A user option named webserver-* or <framework>-*, or one the 12-factor extension adds itself, in a charm using the extension: charmcraft refuses to pack it.',
  needsBackend: false,
  perApp: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const app of ctx.workspace.apps ?? []) {
      // In an expanded charm (no `extensions:`) these options are the framework's own and legitimate.
      if (!charmsOf(app).some((c) => c.extensions.length > 0)) continue;
      for (const s of app.charmEnv?.skipped ?? []) {
        if (s.reason !== 'framework-prefix' && s.reason !== 'webserver-prefix') continue;
        out.push({ code: 'charm-option-reserved', severity: 'error', message: `${s.message}; charmcraft rejects options with this prefix when the extension is used`, uri: s.uri, range: s.range });
      }
      // Declaring an option the extension adds itself (`webserver-workers`, `flask-debug`): "overlapping keys".
      for (const n of app.charmEnv?.notes ?? []) {
        if (n.code === 'option-overlap') out.push({ code: 'charm-option-reserved', severity: 'error', message: n.message, uri: n.uri, range: n.range });
      }
    }
    return out;
  },
};

export const charmOptionCollision: Rule = {
  code: 'charm-option-collision',
  defaultSeverity: 'warning',
  description: 'Two charm options (or an option and an integration / a secret key) become the same environment variable.',
  needsBackend: false,
  perApp: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const app of ctx.workspace.apps ?? []) {
      for (const c of app.charmEnv?.collisions ?? []) {
        const at = c.vars.find((v) => v.userDefined) ?? c.vars[c.vars.length - 1];
        out.push({
          code: 'charm-option-collision',
          severity: c.possible ? 'info' : 'warning',
          message: c.message,
          uri: at.uri,
          range: at.range,
          related: c.vars.filter((v) => v !== at).map((v) => ({ uri: v.uri, range: v.range, message: `also writes ${c.name}` })),
        });
      }
    }
    return out;
  },
};

export const charmRequiredWithDefault: Rule = {
  code: 'charm-required-with-default',
  defaultSeverity: 'error',
  description: 'An option with optional: false and a default: charmcraft refuses to pack the charm.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    for (const c of ctx.workspace.envFiles?.charms ?? []) {
      for (const o of c.options) {
        if (o.optional?.value !== false || !o.default || o.default.value === null || o.default.value === '' || o.default.value === false || o.default.value === 0) continue;
        out.push({
          code: 'charm-required-with-default',
          severity: 'error',
          message: `option ${o.name} is required (optional: false) and has a default; charmcraft refuses that: drop the default or the optional: false`,
          uri: c.uri,
          range: o.optional.range,
          related: [{ uri: c.uri, range: o.default.range, message: 'the default' }],
        });
      }
    }
    return out;
  },
};

const SECRET_ID = /^secret:[a-z0-9]{20}$/;

export const charmSecretDefault: Rule = {
  code: 'charm-secret-default',
  defaultSeverity: 'error',
  description: 'A secret option whose default is not a Juju secret id (secret:<20 characters>).',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    for (const c of ctx.workspace.envFiles?.charms ?? []) {
      for (const o of c.options) {
        if (o.type?.value !== 'secret' || !o.default || o.default.value === null) continue;
        if (typeof o.default.value === 'string' && SECRET_ID.test(o.default.value)) continue;
        out.push({
          code: 'charm-secret-default',
          severity: 'error',
          message: `the default of secret option ${o.name} must be a Juju secret id (secret:<20 lower-case letters and digits>); a value written here is not a secret`,
          uri: c.uri,
          range: o.default.range,
        });
      }
    }
    return out;
  },
};

export const charmSensitiveStringOption: Rule = {
  code: 'charm-sensitive-string-option',
  defaultSeverity: 'warning',
  description: 'An option whose name says it holds a secret (password, token, key...) is declared type: string instead of type: secret.',
  needsBackend: false,
  run(ctx) {
    // Options typed string whose names say secret, per charm file (once per file model).
    const candidates: { c: CharmModel; o: CharmModel['options'][number] }[] = [];
    for (const c of ctx.workspace.envFiles?.charms ?? []) for (const o of sensitiveStringOptions(c)) candidates.push({ c, o });
    if (candidates.length === 0) return [];
    // The framework's own options (`app-secret-key`, with its `-id` secret sibling) have the type
    // paas-charm expects: the user cannot change it, so they are not reported.
    const builtin = new Set<string>();
    // Charm files of apps paas-charm runs: there a secret option becomes one variable per key. A
    // charm written with ops alone reads its options in its own code, which a type change would
    // break: the advice says what its code then does, and no quick fix flips the type.
    const paas = new Set<string>();
    for (const app of ctx.workspace.apps ?? []) {
      if (!app.charm) continue;
      if (app.framework) for (const c of app.charm) paas.add(c.uri);
      for (const s of app.sources) for (const v of s.provides) if (v.charm?.builtin && v.charm.option) builtin.add(`${v.uri}#${v.charm.option}`);
    }
    const out: Finding[] = [];
    for (const { c, o } of candidates) {
      if (builtin.has(`${c.uri}#${o.name}`)) continue;
      const isPaas = paas.has(c.uri) || c.framework !== undefined || c.extensions.length > 0;
      const visible = `option ${o.name} looks like a secret but is type: string: its value is visible to anyone who can run juju config.`;
      out.push({
        code: 'charm-sensitive-string-option',
        severity: 'warning',
        message: isPaas
          ? `${visible} Use type: secret (a Juju secret; the app then reads one variable per secret key)`
          : `${visible} Use type: secret (a Juju secret, which the charm's code then reads with model.get_secret)`,
        uri: c.uri,
        range: o.nameRange,
        ...(isPaas ? { data: { fix: 'option-to-secret', option: o.name } } : {}),
      });
    }
    return out;
  },
};

const sensitiveMemo = new WeakMap<CharmModel, CharmModel['options']>();

function sensitiveStringOptions(c: CharmModel): CharmModel['options'] {
  let l = sensitiveMemo.get(c);
  if (!l) sensitiveMemo.set(c, (l = c.options.filter((o) => o.type?.value === 'string' && isSensitiveName(o.name))));
  return l;
}

export const charmNote: Rule = {
  code: 'charm-integration',
  defaultSeverity: 'warning',
  description: 'An integration or option paas-charm handles differently than written (an endpoint not named as paas-charm expects, an oauth endpoint with "-", an unknown framework).',
  needsBackend: false,
  perApp: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const app of ctx.workspace.apps ?? []) {
      for (const n of app.charmEnv?.notes ?? []) {
        // Overlaps are charm-option-reserved's (charmcraft refuses to pack); an unknown type is said here.
        if (n.code === 'option-overlap') continue;
        out.push({ code: 'charm-integration', severity: 'warning', message: n.message, uri: n.uri, range: n.range });
      }
    }
    return out;
  },
};

export const CHARM_RULES: readonly Rule[] = [charmOptionDropped, charmOptionReserved, charmOptionCollision, charmRequiredWithDefault, charmSecretDefault, charmSensitiveStringOption, charmNote];
