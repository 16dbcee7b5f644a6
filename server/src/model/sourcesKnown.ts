// Whether what an app's sources provide is fully known: the one test behind env-not-provided,
// env-name-mismatch, the App Variables view's "missing" marks and the "only the app's own code"
// notes of the hover and `orchard env`. Pure, over the sources' kinds and completeness (the client's
// AppSourceInfo carries both, so the view asks the same function). Also what a source sets for the
// build only, in the words the diagnostic, hover, view and `orchard env` share, and which stages of
// a Zappa or Chalice file lack what their other stages set.

interface SourceLike {
  kind: string;
  complete: boolean;
}

interface BuildOnlyLike {
  buildOnly?: readonly { name: string; range: { start: { line: number } } }[];
}

/** Where a source's file says a variable is for the build only: DigitalOcean's `scope`, App Engine's `build_env_variables`, Fly's `[build.args]`. */
export function buildOnlyWhere(sources: readonly { kind: string }[]): string {
  const where = new Set(sources.map((s) => (s.kind === 'app-engine' ? 'build_env_variables' : s.kind === 'fly' ? '[build.args]' : 'scope: BUILD_TIME')));
  return `(${[...where].join('; ')})`;
}

/** What a source that sets a variable for the build only does with it, as every surface says it. */
export function buildOnlyPhrase(source: { kind: string }): string {
  return `sets it for the build only ${buildOnlyWhere([source])}`;
}

/** The entry by which a source sets `name` for the build only (a DigitalOcean `scope: BUILD_TIME`), if any. */
export function buildOnlyEntry<S extends BuildOnlyLike>(source: S, name: string): NonNullable<S['buildOnly']>[number] | undefined {
  return source.buildOnly?.find((b) => b.name === name);
}

/**
 * A source a deployment's values come from (charm, .env, compose, Helm values), not the app's own
 * code writing variables nor an image's ENV (the container gets the rest where it runs).
 */
export function hasDeploymentSource(sources: readonly SourceLike[]): boolean {
  return sources.some((s) => s.kind !== 'code' && s.kind !== 'dockerfile');
}

/**
 * Who sets variables when no deployment source does, for the notes that say where the others come
 * from is unknown: "the app's own code", "the app's image (Dockerfile)", or both.
 */
export function onlySetBy(sources: readonly SourceLike[]): string {
  const code = sources.some((s) => s.kind === 'code');
  const image = sources.some((s) => s.kind === 'dockerfile');
  return image && code ? "the app's image (Dockerfile) and its own code" : image ? "the app's image (Dockerfile)" : "the app's own code";
}

/** Every source fully readable, and one of them a deployment's: only then is "not provided" a fact. */
export function sourcesKnown(sources: readonly SourceLike[]): boolean {
  return hasDeploymentSource(sources) && sources.every((s) => s.complete);
}

/** Deployment files whose sources are stages of one app (the same code in each environment): a variable one stage lacks is missing there. */
const STAGED = new Set(['zappa', 'chalice']);

/**
 * The stages of one file (a zappa_settings.json's, a .chalice/config.json's) that do not provide a
 * variable other stages of that file do (`givers`: the sources that provide it, as objects of
 * `sources`). Fully read stages only: one with `remote_env` may have it. Undefined: no such gap.
 */
export function stageGap<S extends SourceLike & { uri: string }>(sources: readonly S[], givers: readonly S[]): { missing: S[]; given: S[] } | undefined {
  const giving = new Set(givers);
  const files = new Set<string>();
  for (const g of givers) {
    // Each file once (linear in the sources however many stages give the variable).
    if (!STAGED.has(g.kind) || files.has(`${g.kind} ${g.uri}`)) continue;
    files.add(`${g.kind} ${g.uri}`);
    const siblings = sources.filter((s) => s.kind === g.kind && s.uri === g.uri);
    const missing = siblings.filter((s) => !giving.has(s) && s.complete);
    if (missing.length > 0) return { missing, given: siblings.filter((s) => giving.has(s)) };
  }
  return undefined;
}
