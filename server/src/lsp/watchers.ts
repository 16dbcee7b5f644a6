// Which files on disk the server asks the client to watch: the kinds Orchard reads, by glob, and the
// files compose names under names no glob covers (lemur's `docker/lemur-env`), by name, registered
// again whenever that set of names changes.
import { DidChangeWatchedFilesNotification, WatchKind, type Connection, type Disposable } from 'vscode-languageserver/node';
import { describeError } from './backend';
import { ALLOWLIST_FILE_NAMES } from '../model/allowlists';

/**
 * Files whose changes on disk the server follows: Figgy's, Python, and the twelve-factor and
 * credential kinds (model/files.ts classifyEnvFile), plus what decides which files are read.
 */
export const WATCHED_GLOBS = [
  '**/figgy.json',
  '**/figgy-secrets.json',
  '**/*.py',
  '**/*.json',
  '**/{.env,.env.*,*.env}',
  '**/{env.d,.envs,envs}/**',
  // (Spelled out for matchers where `**` skips dot names: cookiecutter-django's `.envs/.local/.django`.)
  '**/.envs/{.*,*}/{.*,*}',
  '**/{charmcraft,config,metadata}.yaml',
  '**/{compose,docker-compose}*.{yml,yaml}',
  '**/values*.{yml,yaml}',
  '**/templates/**/*.tpl',
  // The container definitions a Terraform file renders (parse/ecsTaskDef.ts isContainerTemplateName).
  '**/*.{tftpl,json.tpl,json.tftpl,json.tmpl}',
  '**/*{task,container}*.tpl',
  '**/{Dockerfile,Dockerfile.*,Dockerfile-*,*.Dockerfile,*.dockerfile,Containerfile,Containerfile.*}',
  '**/{.travis.yml,.gitlab-ci.yml,bitbucket-pipelines.yml,buildspec.yml,buildspec.yaml,appspec.yml,appspec.yaml,Jenkinsfile}',
  '**/.github/**/*.{yml,yaml}',
  '**/.circleci/config.yml',
  '**/*.{yml,yaml,js,mjs,cjs,ts,go,sh,bash,ini,cfg,toml,properties,tf,tfvars}',
  '**/*.{pem,key}',
  '**/id_{rsa,dsa,ecdsa,ed25519}',
  '**/.gitignore',
  // Other secret scanners' files (`.github/secret_scanning.yml` is among the workflow globs above).
  `**/{${ALLOWLIST_FILE_NAMES.join(',')}}`,
];

/** Registers the watchers of WATCHED_GLOBS, and creations and deletions of anything (folders too). */
export async function registerWatchers(connection: Connection): Promise<void> {
  await connection.client.register(DidChangeWatchedFilesNotification.type, {
    // Folders too: creating or deleting a service's folder can be one event for the folder.
    watchers: [...WATCHED_GLOBS.map((globPattern) => ({ globPattern })), { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete }],
  });
}

/** The watchers of the files compose names: one registration, replaced when the names change. */
export class NamedFileWatch {
  private globs = '';
  private current: Promise<Disposable | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly connection: Connection,
    private readonly log: { warn(message: string): void },
  ) {}

  /** Watches these files (uris) by name: `**` + `/` + the name, a glob character in it matching any one. */
  follow(uris: readonly string[]): void {
    const globs = [...new Set(uris.map((u) => `**/${decodeURIComponent(u.slice(u.lastIndexOf('/') + 1)).replace(/[*?[\]{}]/g, '?')}`))].sort();
    const key = globs.join('\n');
    if (key === this.globs) return;
    this.globs = key;
    this.current = this.current
      .then((old) => old?.dispose())
      .then(() => (globs.length > 0 ? this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: globs.map((globPattern) => ({ globPattern })) }) : undefined))
      .catch((e: unknown) => {
        this.log.warn(`registration failed: ${describeError(e)}`);
        return undefined;
      });
  }
}
