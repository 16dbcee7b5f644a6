// A variable the app's code must have (no default: KeyError, ImproperlyConfigured, a validation
// error at start-up) that none of the app's sources provides. One finding per variable per app, on
// its first required read, with the other reads as related information. Apps with no source, or a
// source Orchard cannot read completely, are "unknown", never reported. A read under a presence test
// of other variables (`if "CDN_TOKEN" in os.environ:`) is required only when one of them is set:
// reported only when a source provides one (the feature is on there), and the message says so. A
// stage of a Zappa or Chalice file that lacks what its other stages set is reported too (the same
// code runs in each: "LOG_FORMAT is required here but zappa production does not provide it (zappa
// dev does)").
import type { Finding, RelatedInfo, Rule } from '../../types';
import { appVariables, providedNames, requiredNow } from '../../../model/appVariables';
import { listLabels, nearMiss, providedByPlatform, sortedReads } from './util';
import { buildOnlyEntry, buildOnlyPhrase, buildOnlyWhere, sourcesKnown, stageGap } from '../../../model/sourcesKnown';

const CODE = 'env-not-provided';

export const envNotProvided: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'A variable the code requires (no default) is provided by none of the app\'s sources (charm options, .env, compose, Helm values).',
  needsBackend: false,
  perApp: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const app of ctx.workspace.apps ?? []) {
      if (!sourcesKnown(app.sources)) continue;
      const vars = appVariables(app);
      const provided = providedNames(vars);
      for (const v of vars) {
        if (providedByPlatform(v.name)) continue;
        // Set by some stages of a deployment file but not another (Zappa's, Chalice's): that stage lacks it.
        const gap = v.provided.length > 0 ? stageGap(app.sources, v.provided.map((p) => p.source)) : undefined;
        if (v.provided.length > 0 && !gap) continue;
        // A setting with other names (pydantic AliasChoices, nested `PARENT__CHILD`, `X_FILE`) is satisfied
        // by any of them; a read under a feature switch counts only when a source sets the switch.
        // (Not test code's reads: see requiredNow.)
        const required = sortedReads(v.reads.filter((r) => requiredNow(r, provided, ctx.workspace.roots)));
        if (required.length === 0) continue;
        if (gap) {
          const [first, ...more] = required;
          out.push({
            code: CODE,
            severity: 'warning',
            message: `${v.name} is required here but ${listLabels(gap.missing)} ${gap.missing.length === 1 ? 'does' : 'do'} not provide it (${listLabels(gap.given)} ${gap.given.length === 1 ? 'does' : 'do'})`,
            uri: first.uri,
            range: first.read.name.range,
            related: more.length ? more.map((r) => ({ uri: r.uri, range: r.read.range, message: 'also read here' })) : undefined,
            data: { fix: 'add-variable', name: v.name, appId: app.id, sensitive: v.sensitive },
          });
          continue;
        }
        // A near miss is one problem with a better message: env-name-mismatch reports it.
        if (nearMiss(v, vars)) continue;
        const first = required[0];
        const related: RelatedInfo[] = sortedReads(v.reads)
          .filter((r) => r !== first)
          .map((r) => ({ uri: r.uri, range: r.read.range, message: `also read here${r.read.required ? '' : ' (optional)'}` }));
        const how = first.read.via === 'flask-config' ? ` (app.config[${JSON.stringify(first.read.configKey)}] after from_prefixed_env)` : first.read.via === 'pydantic' ? ' (a settings field without a default)' : '';
        // Under a feature switch: which switch is on, and which sources turn it on.
        const on = first.read.requiredWhen?.filter((n) => provided.has(n)) ?? [];
        const setters = [...new Set(vars.filter((x) => on.includes(x.name)).flatMap((x) => x.provided.map((p) => p.source.label)))];
        const when = on.length ? ` when ${on.join(' or ')} ${on.length === 1 ? 'is' : 'are'} set (${setters.join(', ')} ${setters.length === 1 ? 'sets' : 'set'} ${on.length === 1 ? 'it' : 'them'})` : '';
        // Other names the read accepts (`FLASK_X` for get_flask_env's `X`, an alias): any of them would do.
        const also = [...new Set((first.read.alternatives ?? []).map((a) => a.name).filter((n): n is string => n !== undefined && n !== v.name))].slice(0, 4);
        const nor = also.length ? ` (nor ${also.join(', ')}, which it also accepts)` : '';
        // Set, but for the build only (`scope: BUILD_TIME`, `build_env_variables`): where the user changes that.
        const forBuild = app.sources.flatMap((s) => {
          const b = buildOnlyEntry(s, v.name);
          return b ? [{ s, b }] : [];
        });
        for (const { s, b } of forBuild) related.push({ uri: s.uri, range: b.range, message: `${s.label} ${buildOnlyPhrase(s)}` });
        // Those sources are named once: as setting it for the build only, not also as not providing it.
        const builders = app.sources.filter((s) => forBuild.some((x) => x.s === s));
        const others = app.sources.filter((s) => !builders.includes(s));
        const sets = `${listLabels(builders)} ${builders.length === 1 ? 'sets' : 'set'} it for the build only`;
        const notGiven = `${listLabels(others)} ${others.length === 1 ? 'does' : 'do'} not provide it${nor}`;
        out.push({
          code: CODE,
          severity: 'warning',
          message: `${v.name}${how} is required here${when} but ${!builders.length ? notGiven : !others.length ? `${sets} ${buildOnlyWhere(builders)}${nor}` : `${notGiven}; ${sets}`}`,
          uri: first.uri,
          range: first.read.name.range,
          related: related.length ? related : undefined,
          data: { fix: 'add-variable', name: v.name, appId: app.id, sensitive: v.sensitive },
        });
      }
    }
    return out;
  },
};
