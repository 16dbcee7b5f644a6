// How the hosted platforms' and AWS Lambda tools' files take part in planning apps (apps.ts
// planApps): the folders they deploy (an App Engine service's, a Fly app's, a Databricks app's, a
// Serverless service's of Python functions, a SAM function's `CodeUri`, a Terraform function's code
// folder, a Zappa or Chalice project's, an ECS task definition's) count among the folders apps are
// deployed from, and each file's sources go to the app that runs that folder's code (an ECS
// container's, like a Kubernetes one's, to the app whose folder holds the file; a Terraform task
// definition's too, its folder not one apps are deployed from: it holds no code).
import type { AppEngineModel, SamTemplateModel, TerraformArchive } from '../parse/envTypes';
import type { AppSource } from './types';
import type { AppsInput } from './apps';
import { dirOf, fileNameOf, innermostRoot } from './uris';
import { appEngineSource, databricksSource, ecsSource, flySource, mayBeAppEcsContainer, terraformResolver, terraformTaskSources } from './hostedSources';
import { cdkFunctionsByDir, cdkSource, chaliceProjects, samFunctionsByDir, samSource, serverlessMayRunPython, serverlessSource, terraformArchives, terraformFunctionsByDir, terraformSource, zappaSources } from './lambdaSources';

/** An App Engine service that may run a Python app: a Python runtime, or a custom one (a Dockerfile of the flexible environment). */
export function mayRunPython(m: Pick<AppEngineModel, 'runtime'>): boolean {
  return /^(?:python|custom)/.test(m.runtime);
}

/** `sam build` / `sam deploy` read `template.yaml` (or `.yml`): beside one, another template of the folder (`early_template.yaml`, a copy) is a variant deployed only with `-t`, not the app's. */
function samDeployed(templates: readonly SamTemplateModel[]): SamTemplateModel[] {
  const isDefault = (uri: string) => /^template\.ya?ml$/.test(fileNameOf(uri));
  const withDefault = new Set(templates.filter((m) => isDefault(m.uri)).map((m) => dirOf(m.uri)));
  return templates.filter((m) => isDefault(m.uri) || !withDefault.has(dirOf(m.uri)));
}

/** Where a source goes: an app's list of the sources inside it. */
type Target = { inside: AppSource[] } | undefined;

export interface HostedPlan {
  /** The folders these files deploy: each may be an app's root. */
  dirs: string[];
  /** Gives each file's sources to the app running a folder's code (`runsIn`). */
  attach(runsIn: (dir: string) => Target): void;
  /** The `archive_file` data sources of each folder's Terraform files. */
  tfArchives: ReadonlyMap<string, readonly TerraformArchive[]>;
  /**
   * Gives each ECS container's source to the app whose folder holds the file (`inFolder`; `terraform`:
   * the file is a Terraform file, whose folder is one infrastructure code is kept in).
   */
  attachInFolder(inFolder: (uri: string, terraform: boolean) => Target): void;
}

export function hostedPlan(input: AppsInput): HostedPlan {
  const gae = (input.appEngine ?? []).filter((m) => !m.included && mayRunPython(m));
  const gaeIncluded = new Map((input.appEngine ?? []).filter((m) => m.included).map((m) => [m.uri, m]));
  const sls = (input.serverless ?? []).filter(serverlessMayRunPython);
  const chalice = chaliceProjects(input.chalice ?? []);
  const samDirs = samDeployed(input.sam ?? []).map((m) => [m, samFunctionsByDir(m)] as const);
  const tfArchives = terraformArchives(input.terraform ?? []);
  const tfDirs = (input.terraform ?? []).map((m) => [m, terraformFunctionsByDir(m, tfArchives)] as const);
  // An AWS CDK stack's functions: their code is a folder of Python modules.
  // (The folders of modules are collected only when a module declares functions: a full build runs this.)
  const stacks = input.python.filter((m) => m.cdk);
  const moduleDirs = stacks.length ? new Set(input.python.map((m) => dirOf(m.uri))) : new Set<string>();
  const cdkDirs = stacks.map((m) => [m.uri, cdkFunctionsByDir(m.uri, m.cdk!, moduleDirs, innermostRoot(m.uri, input.roots))] as const);
  const dirs = [
    ...[...gae, ...(input.fly ?? []), ...(input.databricksApp ?? []), ...sls, ...(input.zappa ?? [])].map((m) => dirOf(m.uri)),
    // An ECS task definition beside the code it runs (`src/worker/task_definition.json`) makes that folder an app.
    ...(input.ecs ?? []).filter((m) => !m.fragment).map((m) => dirOf(m.uri)),
    ...chalice.keys(),
    ...samDirs.flatMap(([, byDir]) => [...byDir.keys()]),
    ...tfDirs.flatMap(([, byDir]) => [...byDir.keys()]),
    ...cdkDirs.flatMap(([, byDir]) => [...byDir.keys()]),
  ];
  return {
    dirs,
    tfArchives,
    attach(runsIn) {
      // An App Engine service runs the code of its file's folder (what `gcloud app deploy` uploads).
      for (const m of gae) runsIn(dirOf(m.uri))?.inside.push(appEngineSource(m, gaeIncluded));
      // A Fly app builds and runs its file's folder (`fly deploy` there).
      for (const m of input.fly ?? []) runsIn(dirOf(m.uri))?.inside.push(flySource(m));
      // A Databricks app runs the code of its app.yaml's folder (the app's source folder).
      for (const m of input.databricksApp ?? []) runsIn(dirOf(m.uri))?.inside.push(databricksSource(m));
      // A Serverless service packages its file's folder: handlers are paths from there (`src/app.handler`).
      for (const m of sls) runsIn(dirOf(m.uri))?.inside.push(serverlessSource(m));
      // A SAM function runs its CodeUri folder: the functions of one folder are one source of its app.
      for (const [m, byDir] of samDirs) for (const [dir, fns] of byDir) runsIn(dir)?.inside.push(samSource(m, dir, fns));
      // A Terraform function runs the folder its archive (or the module's source_path) packages, as a SAM function does.
      for (const [m, byDir] of tfDirs) for (const [dir, fns] of byDir) runsIn(dir)?.inside.push(terraformSource(m, dir, fns));
      for (const [uri, byDir] of cdkDirs) for (const [dir, fns] of byDir) runsIn(dir)?.inside.push(cdkSource(uri, dir, fns));
      // Zappa packages its settings file's folder; each stage is a deployment of it.
      for (const m of input.zappa ?? []) runsIn(dirOf(m.uri))?.inside.push(...zappaSources(m));
      // A Chalice project is the folder holding `.chalice/`; each stage is a deployment of it.
      for (const [dir, sources] of chalice) runsIn(dir)?.inside.push(...sources);
    },
    attachInFolder(inFolder) {
      // From the app's root or a deployment folder (`.aws/task-definition.json`, GitHub's ECS workflow's).
      // (Not the containers a Terraform file renders: they are its task's.)
      for (const m of input.ecs ?? []) {
        const d = m.fragment ? undefined : inFolder(m.uri, false);
        if (d) for (const c of m.containers) if (mayBeAppEcsContainer(c)) d.inside.push(ecsSource(m, c));
      }
      // A Terraform `aws_ecs_task_definition`'s, from the app's root, a deployment folder or a Terraform
      // one (`terraform/`, `infra/ecs/`); its containers may be a file's it renders.
      const resolve = terraformResolver(input.terraform ?? [], input.ecs ?? []);
      for (const m of input.terraform ?? []) {
        const d = m.tasks.length ? inFolder(m.uri, true) : undefined;
        if (d) d.inside.push(...terraformTaskSources(m, resolve));
      }
    },
  };
}
