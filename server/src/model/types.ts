// The workspace index: which services exist, what each declares, and where.
import type { FigDecl, FigKind, FiggyJsonModel, FigStoreClass, PythonConfigModel, Range, SecretsJsonModel } from '../parse/types';

/** Where something is written: a file and a range in it. */
export interface SourceRef {
  uri: string;
  range: Range;
}

export type ExpectedOrigin =
  | 'app' // AppFig / app_figs
  | 'shared' // SharedFig / shared_figs
  | 'replicated' // ReplicatedFig / replicate_figs destination
  | 'merged' // MergeFig / merged_figs destination
  | 'merge-ref' // a merge reference under the twig
  | 'replicate-from'; // replicate_from.parameters

/** One parameter the service expects to exist in every environment. */
export interface ExpectedParam {
  /** Full SSM path. */
  path: string;
  origin: ExpectedOrigin;
  /** Replication source for `replicated` (and `replicate-from`). */
  source?: string;
  /** Where it is declared; config.py first when both declare it. */
  declaredAt: SourceRef[];
  /** config.py attribute, when declared there. */
  attr?: string;
  kind?: FigKind;
  /** Environment-override variable name (figgy-lib). */
  envVar?: string;
  /** Merged values are always SecureString; SharedFigs usually carry secrets. */
  likelySecret: boolean;
}

export interface ServiceConfigPy {
  model: PythonConfigModel;
  cls: FigStoreClass;
}

export interface Service {
  /** Stable id: the twig when known, else the declaring file's uri. */
  id: string;
  twig?: string;
  /** Root folder of the service (the folder tree config.py and figgy.json share). */
  root: string;
  configPy?: ServiceConfigPy;
  /** The figgy.json that belongs to this service, with its imports already merged. */
  figgyJson?: FiggyJsonModel;
  /** figgy-secrets.json files whose destinations fall under this service's twig. */
  secrets: SecretsJsonModel[];
  /** Everything the service expects to exist, keyed by full path. */
  expected: Map<string, ExpectedParam>;
}

export interface WorkspaceModel {
  services: Service[];
  /** Every parsed Python file (also those without FigStore classes, for the lazy_load rule). */
  pythonFiles: PythonConfigModel[];
  figgyJsonFiles: FiggyJsonModel[];
  secretsFiles: SecretsJsonModel[];
}

export type { FigDecl };
