// A source that leaves a placeholder (`change-me`, `!!!SET X!!!`, `<token>`) for a variable the app
// requires and treats as secret: the app starts with a value everyone knows. Example files
// (`.env.example`, `.env.template`) and a project template's files (cookiecutter's
// `{{cookiecutter.project_slug}}/.envs/`) are meant to hold placeholders and are not reported, nor is test
// code (`os.environ["API_SECRET"] = "fake_secret"` in a test sets up a fake on purpose), nor a
// Dockerfile's ENV, nor a source for local development: one that turns development mode on
// (`FLASK_DEBUG=true`, `DD_DEBUG=True`, `DEVEL=1`, `ENVIRONMENT=development`), a `.env` or compose
// file named for it (`docker-compose.override.dev.yml`, `.env.local`, cookiecutter-django's
// `.envs/.local/.postgres`, La Suite's `env.d/development/common`), or a `.env` or compose file beside
// the charm that deploys the app (the charm gives the deployed app its secrets; the canonical web
// team's sites keep `SECRET_KEY=insecure_dev_key` in a committed `.env` for `dotrun`).
import type { Finding, Rule } from '../../types';
import type { App, AppSource } from '../../../model/types';
import type { Range } from '../../../parse/types';
import { isExampleEnvFile } from '../../../model/apps';
import { fileNameOf } from '../../../model/uris';
import { appVariables } from '../../../model/appVariables';
import { isPlaceholderValue } from '../../../parse/sensitive';
import { isReference } from '../../../parse/credentials/values';
import { envFolderPath } from '../../../parse/credentials';
import { isProjectTemplatePath, isTestPath } from '../util';

const CODE = 'env-placeholder-value';

/** A switch that turns development mode on when true, and variables naming the mode. */
const DEV_SWITCH = /^(?:[A-Z][A-Z0-9]*_)?DEBUG$|^DEVEL$|^DEV_?ENV$|^DEVELOPMENT$/;
/** A compose or `.env` file named for development: `docker-compose.override.dev.yml`, `.env.local`, cookiecutter-django's `local.yml`. */
const DEV_FILE = /(?:^|[._/-])(?:dev|devel|development|local)(?:[._/-]|$)/i;
const DEV_MODE = /^(?:(?:FLASK|DJANGO|APP)_)?ENV(?:IRONMENT)?$/;

/** `${DEBUG:-True}` (compose interpolation with a default): the default. */
function asGiven(v: string): string {
  const m = /^\$\{\w+:?-([^}]*)\}$/.exec(v.trim());
  return (m ? m[1] : v).trim();
}

/**
 * What to do instead, where a platform's manifest can ask for the value or make one: app.json's
 * value is what Heroku's deploy form starts with, a Blueprint's is what Render sets, an app spec's
 * what App Platform sets.
 */
const ADVICE: Record<string, string> = {
  heroku: 'leave out "value" so the deployer is asked for it, or let Heroku generate it ("generator": "secret")',
  render: 'use "sync: false" so the Render Dashboard asks for it, or "generateValue: true"',
  digitalocean: 'make it "type: SECRET" and set it in App Platform, which keeps it encrypted',
};

/** A source that sets up local development: a placeholder secret there is expected. */
function forDevelopment(app: App, source: AppSource): boolean {
  if ((source.kind === 'dotenv' || source.kind === 'compose') && app.sources.some((s) => s.kind === 'charm')) return true;
  // (A file of a folder of environment files by its path there: `.envs/.local/.postgres`, `env.d/development/common`.)
  const inFolder = source.kind === 'dotenv' ? envFolderPath(source.uri) : undefined;
  if (inFolder !== undefined && DEV_FILE.test(inFolder)) return true;
  if ((source.kind === 'dotenv' || source.kind === 'compose') && DEV_FILE.test(fileNameOf(source.uri))) return true;
  return source.provides.some((p) => {
    if (typeof p.value !== 'string') return false;
    const v = asGiven(p.value);
    return (DEV_SWITCH.test(p.name) && /^(?:true|1|yes|on)$/i.test(v)) || (DEV_MODE.test(p.name) && /^(?:dev|development|local)$/i.test(v));
  });
}

export const envPlaceholderValue: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'A source gives a placeholder (change-me, !!!SET X!!!, <token>) for a required sensitive variable.',
  needsBackend: false,
  perApp: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const app of ctx.workspace.apps ?? []) {
      const development = new Set(app.sources.filter((s) => forDevelopment(app, s)).map((s) => s.id));
      for (const v of appVariables(app)) {
        if (!v.sensitive || !v.reads.some((r) => r.read.required)) continue;
        // One entry can reach the app through several sources (a compose `x-` block merged into
        // three services by a YAML anchor): one finding there, naming them all.
        const byPlace = new Map<string, { labels: string[]; value: string; uri: string; range: Range; kind: string }>();
        for (const { source, v: p } of v.provided) {
          // An image's ENV with a dummy secret (`ENV SECRET_KEY=build-only` for collectstatic) is
          // replaced where the container runs; the advice "set a real value" would bake one in.
          if (source.kind === 'dockerfile' || development.has(source.id)) continue;
          if (typeof p.value !== 'string' || isExampleEnvFile(p.uri) || isTestPath(p.uri, ctx.workspace.roots) || isProjectTemplatePath(p.uri)) continue;
          // `DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY}`: the value comes from where compose runs (its
          // words are no placeholder); `${SECRET_KEY:-changeme}` is judged by its default.
          const given = asGiven(p.value);
          if ((given === p.value.trim() && isReference(given)) || !isPlaceholderValue(given)) continue;
          const range = p.valueRange ?? p.range;
          const key = `${p.uri}#${range.start.line}:${range.start.character}`;
          const hit = byPlace.get(key);
          if (hit) {
            if (!hit.labels.includes(source.label)) hit.labels.push(source.label);
          } else byPlace.set(key, { labels: [source.label], value: given, uri: p.uri, range, kind: source.kind });
        }
        for (const { labels, value, uri, range, kind } of byPlace.values()) {
          const advice = ADVICE[kind] ?? 'set a real value (or remove the line so start-up fails loudly)';
          out.push({
            code: CODE,
            severity: 'warning',
            message: `${labels.join(', ')} ${labels.length > 1 ? 'give' : 'gives'} ${v.name} ${value.trim() === '' ? 'an empty value' : 'a placeholder'}, and the app requires it as a secret: ${advice}`,
            uri,
            range,
          });
        }
      }
    }
    return out;
  },
};
