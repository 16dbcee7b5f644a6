// `orchard`: the same engine as the language server, for CI and terminals. This file and check.ts
// are the command line; the engine (lazyEngine.ts) loads when a command needs it.
// Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or backend errors.
import { Command, CommanderError, Option } from 'commander';
import { runCheck } from './check';
import { engine } from './lazyEngine';
import { isUsageError } from './context';
import { VERSION } from './version';
import { favourMemory } from './memory';
import { quietSdkNodeWarning } from '../store/sdkWarnings';

function envOption(required: boolean): Option {
  const o = required ? new Option('-e, --env <env>', 'environment (one, e.g. dev)') : new Option('-e, --env <envs>', 'environments, comma-separated (default: all configured)');
  return required ? o.makeOptionMandatory() : o;
}

const storeOption = () => new Option('--store <dir>', 'local store directory (default: $ORCHARD_STORE_DIR or the XDG data dir)');
const pairingOption = () =>
  new Option('--pairing <mode>', 'how figgy.json files are matched with config.py classes: same twig or nearby folders (auto), folder tree only, or twig only')
    .choices(['auto', 'folder', 'twig'])
    .default('auto');
const jsonFilesOption = () =>
  new Option(
    '--json-files <glob...>',
    'JSON files read as Figgy files when their content is Figgy\'s (besides figgy.json and figgy-secrets.json), matched against the whole path, e.g. "**/ci-config.json"; "none" for only those two names (default: every *.json)',
  );
/** SSM overrides: any of them puts the selected environments on SSM Parameter Store. */
const ssmOptions = () => [
  new Option('--profile <name>', 'AWS profile: use SSM Parameter Store for the selected environments'),
  new Option('--region <region>', 'AWS region for SSM (selected environments)'),
  new Option('--role-arn <arn>', 'IAM role to assume for SSM (selected environments)'),
  new Option('--endpoint <url>', 'SSM/STS endpoint override, e.g. an emulator on 127.0.0.1'),
];
const importsOption = () =>
  new Option('--allow-imports-from <dir...>', 'folders outside PATH that figgy.json imports may read (default: none; also "allowImportsFrom" in the config)');
const excludeOption = () => new Option('--exclude <glob...>', 'files and folders not to read (gitignore syntax, relative to PATH); .gitignore is always honoured');
const appRootOption = () => new Option('--app-root <dir...>', 'folders that are twelve-factor apps (instead of the boundaries Orchard finds)');
const configOption = () => new Option('--config <file>', 'Orchard config file (default: $ORCHARD_CONFIG or $XDG_CONFIG_HOME/orchard/config.json)');

const NAME_LIKE = /^[A-Za-z][A-Za-z0-9-]{0,40}$/;

/**
 * Usage errors never repeat what was typed as a value: a mistyped `--value=SECRET` or a secret given
 * where a choice was expected would otherwise be printed (and land in CI logs). Option names are
 * kept when they look like names; unknown command words never are.
 */
export function redactUsage(text: string): string {
  return text
    .replace(/unknown option '([^']*)'/g, (_m, opt: string) => {
      const eq = opt.indexOf('=');
      if (eq >= 0) return `unknown option '${NAME_LIKE.test(opt.slice(0, eq).replace(/^--?/, '')) ? opt.slice(0, eq) : '…'}=…'`;
      if (/^--/.test(opt)) return `unknown option '${NAME_LIKE.test(opt.slice(2)) ? opt : '--…'}'`;
      if (/^-[A-Za-z]/.test(opt)) return `unknown option '${opt.length > 2 ? `${opt.slice(0, 2)}…` : opt}'`;
      return "unknown option '…'";
    })
    .replace(/argument '[^']*' is invalid/g, "argument '…' is invalid")
    // A stray word can be a value typed in the wrong place; commander's "Did you mean" stays.
    .replace(/unknown command '[^']*'/g, "unknown command '…'");
}

export function buildProgram(): Command {
  const program = new Command('orchard')
    .description('Check Figgy config declarations against every environment, and manage parameters.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(redactUsage(str)) })
    .exitOverride();

  program
    .command('check')
    .description('report missing, stray and inconsistent configuration for every service under PATH')
    .argument('[path]', 'workspace folder or file', '.')
    .addOption(envOption(false))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1').choices(['error', 'warning', 'info', 'never']).default('error'))
    .option('--severity <rule=level...>', 'override a rule severity (error|warning|info|hint|off), repeatable')
    .option('--parse-only', 'run only the rules that need no backend')
    .option('--matrix', 'also print a parameter × environment presence matrix (text format)')
    .option('--staged', 'scan only what git is about to commit for plaintext credentials (pre-commit hook); exit 1 on a finding')
    .option('--write-baseline', 'accept every plaintext credential found now (.orchard-baseline.json at PATH: fingerprints only); later runs report only new ones')
    .option('--no-cache', 'parse and check everything, ignoring the warm-check cache (an unchanged tree with an unchanged local store is otherwise answered from it)')
    .option('--cache-dir <dir>', 'where the warm-check cache lives (default: $ORCHARD_CACHE_DIR or $XDG_CACHE_HOME/orchard)')
    .addOption(excludeOption())
    .addOption(appRootOption())
    .addOption(pairingOption())
    .addOption(importsOption())
    .addOption(jsonFilesOption())
    .addOption(storeOption())
    .addOption(configOption())
    .action(async (p, o) => {
      process.exitCode = await runCheck(p, o);
    });

  program
    .command('env')
    .description('per twelve-factor app: every variable the code reads or a source provides, × every source (charm, .env, compose, Helm values, Dockerfile, app.json, render.yaml, .do/app.yaml, Kubernetes manifests, App Engine app.yaml, fly.toml, Databricks app.yaml, serverless.yml)')
    .argument('[path]', 'workspace folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(appRootOption())
    .addOption(excludeOption())
    .action(async (p, o) => {
      process.exitCode = await engine().runEnv(p, o);
    });

  program
    .command('sync')
    .description('create what is missing in an environment (never overwrites); --plan only shows the plan')
    .argument('[path]', 'workspace folder or file', '.')
    .addOption(envOption(true))
    .option('--plan', 'print what would be created and what is stray, change nothing (exit 0: nothing missing, 1: something to create or blocked, 2: the environment could not be read)')
    .option('--values <file>', 'JSON file {"/app/x/name": "value" | {"value", "type", "description"}} for non-interactive runs')
    .addOption(pairingOption())
    .addOption(importsOption())
    .addOption(jsonFilesOption())
    .addOption(storeOption())
    .addOption(configOption())
    .action(async (p, o) => {
      process.exitCode = await engine().runSync(p, o);
    });

  program
    .command('ls')
    .description('list parameters (names and metadata, no values)')
    .addOption(envOption(true))
    .option('-p, --prefix <prefix>', 'path prefix', '/')
    .addOption(storeOption())
    .addOption(configOption())
    .action(async (o) => {
      process.exitCode = await engine().runLs(o);
    });

  program
    .command('get')
    .description('show one parameter; the value is redacted unless --reveal')
    .argument('<name>', 'full parameter name')
    .addOption(envOption(true))
    .option('--reveal', 'print the value in the clear')
    .addOption(storeOption())
    .addOption(configOption())
    .action(async (n, o) => {
      process.exitCode = await engine().runGet(n, o);
    });

  program
    .command('put')
    .description('create a parameter (value from --value-file, stdin, or a hidden prompt); --overwrite to replace')
    .argument('<name>', 'full parameter name')
    .addOption(envOption(true))
    .option('--secure', 'store as SecureString (encrypted)')
    .option('-d, --description <text>', 'description')
    .option('--value-file <file>', 'read the value from a file ("-" for stdin)')
    .option('--overwrite', 'replace an existing parameter (asks for confirmation on a terminal)')
    .option('-y, --yes', 'do not ask for confirmation')
    .addOption(storeOption())
    .addOption(configOption())
    .action(async (n, o) => {
      process.exitCode = await engine().runPut(n, o);
    });

  program
    .command('delete')
    .description('delete a parameter; refuses a replication source that still has destinations')
    .argument('<name>', 'full parameter name')
    .addOption(envOption(true))
    .option('-w, --workspace <path>', 'workspace whose declarations are checked for replication destinations', '.')
    .addOption(importsOption())
    .option('-y, --yes', 'do not ask for confirmation')
    .addOption(storeOption())
    .addOption(configOption())
    .action(async (n, o) => {
      process.exitCode = await engine().runDelete(n, o);
    });

  program
    .command('history')
    .description('versions of a parameter, newest first (values redacted unless --reveal)')
    .argument('<name>', 'full parameter name')
    .addOption(envOption(true))
    .option('--reveal', 'print values in the clear')
    .addOption(storeOption())
    .addOption(configOption())
    .action(async (n, o) => {
      process.exitCode = await engine().runHistory(n, o);
    });

  program
    .command('whoami')
    .description('the identity each environment\'s backend sees')
    .addOption(envOption(false))
    .addOption(storeOption())
    .addOption(configOption())
    .action(async (o) => {
      process.exitCode = await engine().runWhoami(o);
    });

  const store = program.command('store').description('manage the embedded local store');
  store
    .command('init')
    .description('create the local store folder (0700) and its key file; reads never create a store')
    .addOption(envOption(false))
    .addOption(storeOption())
    .addOption(configOption())
    .action(async (o) => {
      process.exitCode = await engine().runStoreInit(o);
    });

  program
    .command('rules')
    .description('list every rule with its code and default severity')
    .action(() => {
      process.exitCode = engine().runRulesList();
    });

  program
    .command('demo')
    .description('seed a fresh local store for the example service and check dev, qa and prod')
    .option('--dir <dir>', 'where to create the demo store (default: a new temporary folder)')
    .option('--example <path>', 'example service folder')
    .action(async (o) => {
      process.exitCode = await engine().runDemo(o);
    });

  // Every command that talks to a backend also takes the SSM overrides.
  for (const c of program.commands) if (c.options.some((o) => o.long === '--store')) for (const o of ssmOptions()) c.addOption(o);
  // Subcommands print their own usage errors: redact those too.
  const redactAll = (c: Command): void => {
    c.configureOutput({ outputError: (str, write) => write(redactUsage(str)) });
    c.commands.forEach(redactAll);
  };
  redactAll(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are exit 0; everything else commander reports is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isUsageError(e)) {
      process.stderr.write(`orchard: ${e.message}\n`);
      return 2;
    }
    // Unexpected: say what kind of error, not its details (they might quote input).
    process.stderr.write(`orchard: internal error (${(e as Error)?.name ?? 'unknown'}): ${safeMessage(e)}\n`);
    return 2;
  }
}

/** Error text is printed only when it cannot carry a value: ours are written that way, foreign ones are cut. */
function safeMessage(e: unknown): string {
  const m = String((e as Error)?.message ?? e);
  return m.length > 200 ? `${m.slice(0, 200)}…` : m;
}

if (require.main === module) {
  favourMemory();
  quietSdkNodeWarning();
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 2;
    },
  );
}
