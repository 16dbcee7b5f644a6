// Whether what an app's sources provide is fully known: the one test behind env-not-provided,
// env-name-mismatch, the App Variables view's "missing" marks and the "only the app's own code"
// notes of the hover and `orchard env`. Pure, over the sources' kinds and completeness (the client's
// AppSourceInfo carries both, so the view asks the same function).

interface SourceLike {
  kind: string;
  complete: boolean;
}

/** A source a deployment's values come from (charm, .env, compose, Helm values), not the app's own code writing variables. */
export function hasDeploymentSource(sources: readonly SourceLike[]): boolean {
  return sources.some((s) => s.kind !== 'code');
}

/** Every source fully readable, and one of them a deployment's: only then is "not provided" a fact. */
export function sourcesKnown(sources: readonly SourceLike[]): boolean {
  return hasDeploymentSource(sources) && sources.every((s) => s.complete);
}
