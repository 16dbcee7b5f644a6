// Names for the structural place of a value in a YAML file (`github-env`, `travis-env-global`,
// `codebuild-env-variables`, `compose-environment`, `helm-values`...). The fix for a finding depends
// on it: GitHub wants `${{ secrets.X }}`, Travis `secure:`, CircleCI/GitLab project variables.
import type { CiFlavor } from './types';

/** What a non-CI YAML file is. */
export type YamlRole = 'compose' | 'helm-values' | 'k8s' | 'k8s-secret' | 'serverless' | 'yaml';

/** Keys whose values are shell scripts (a string or a list of strings). */
export const SCRIPT_KEYS = new Set([
  'run', 'script', 'scripts', 'before_script', 'after_script', 'before_install', 'install', 'before_deploy', 'after_deploy',
  'after_success', 'after_failure', 'commands', 'command', 'finally', 'shell', 'entrypoint', 'args',
]);

/** The last map key on a path (list items skipped). */
export function lastKey(path: string[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (path[i] !== '[]') return path[i];
  return undefined;
}

const COMPOSE_KEYS = new Set(['version', 'name', 'services', 'volumes', 'networks', 'configs', 'secrets', 'include']);

export function yamlRole(uri: string, topKeys: string[], kindValue?: string): YamlRole {
  const b = uri.replace(/\\/g, '/').split('/').pop() ?? '';
  if (/^(?:docker-)?compose(?:[.-][\w.-]*)?\.ya?ml$/i.test(b)) return 'compose';
  if (/^values(?:[.-][\w.-]*)?\.ya?ml$/i.test(b)) return 'helm-values';
  if (/^serverless\.ya?ml$/i.test(b) && topKeys.includes('provider')) return 'serverless';
  // A Compose file by its shape, whatever its name (`.pgpool.yml`, `stack.yml`): top-level services and only Compose's own keys.
  if (topKeys.includes('services') && topKeys.every((k) => COMPOSE_KEYS.has(k) || k.startsWith('x-'))) return 'compose';
  if (kindValue !== undefined && topKeys.includes('apiVersion')) return kindValue === 'Secret' ? 'k8s-secret' : 'k8s';
  return 'yaml';
}

const has = (path: string[], k: string) => path.includes(k);

/** The context of a value at `path` (map keys, `[]` for list items; the value's own key last). */
export function yamlContext(flavor: CiFlavor | undefined, role: YamlRole, path: string[]): string {
  const script = SCRIPT_KEYS.has(lastKey(path) ?? '');
  switch (flavor) {
    case 'github': {
      if (has(path, 'env')) return has(path, 'services') ? 'github-services-env' : has(path, 'container') ? 'github-container-env' : 'github-env';
      if (has(path, 'credentials')) return 'github-container-credentials';
      if (has(path, 'with')) return 'github-with';
      if (has(path, 'inputs') && path[path.length - 1] === 'default') return 'github-input-default';
      if (path[0] === 'jobs' && path[2] === 'secrets') return 'github-secrets';
      if (has(path, 'run')) return 'github-run';
      return 'github';
    }
    case 'travis': {
      if (path[0] === 'env' || (has(path, 'env') && (has(path, 'jobs') || has(path, 'matrix')))) {
        if (path[1] === 'global') return 'travis-env-global';
        if (path[1] === 'jobs' || path[1] === 'matrix' || path[0] !== 'env') return 'travis-env-jobs';
        return 'travis-env';
      }
      if (path[0] === 'deploy') return 'travis-deploy';
      if (path[0] === 'addons') return 'travis-addons';
      if (path[0] === 'notifications') return 'travis-notifications';
      return script ? 'travis-script' : 'travis';
    }
    case 'circleci':
      if (has(path, 'environment')) return has(path, 'docker') ? 'circleci-docker-environment' : 'circleci-environment';
      if (has(path, 'auth')) return 'circleci-docker-auth';
      return script ? 'circleci-run' : 'circleci';
    case 'gitlab':
      if (has(path, 'variables')) return 'gitlab-variables';
      return script ? 'gitlab-script' : 'gitlab';
    case 'bitbucket':
      if (has(path, 'variables')) return 'bitbucket-pipe-variables';
      return script ? 'bitbucket-script' : 'bitbucket';
    case 'codebuild':
      if (path[0] === 'env' && path[1] === 'variables') return 'codebuild-env-variables';
      return script ? 'codebuild-commands' : 'codebuild';
    case 'codedeploy':
      return 'codedeploy';
    case 'jenkins':
      return 'jenkinsfile';
    default:
      break;
  }
  switch (role) {
    case 'compose':
      return has(path, 'environment') ? 'compose-environment' : 'compose';
    case 'helm-values':
      return 'helm-values';
    case 'serverless':
      return has(path, 'environment') ? 'serverless-environment' : 'serverless';
    case 'k8s-secret':
      return 'k8s-secret';
    case 'k8s':
      return 'k8s-manifest';
    default:
      return 'yaml';
  }
}

/** Context of a shell script embedded in a CI file (for assignments inside it). */
export function scriptContext(flavor: CiFlavor | undefined, path: string[]): string {
  switch (flavor) {
    case 'github':
      return 'github-run';
    case 'travis':
      return 'travis-script';
    case 'circleci':
      return 'circleci-run';
    case 'gitlab':
      return 'gitlab-script';
    case 'bitbucket':
      return 'bitbucket-script';
    case 'codebuild':
      return 'codebuild-commands';
    default:
      return path.length ? 'yaml-script' : 'yaml';
  }
}
