// Which build of Orchard is running: a hash of the sources, package.json and grammars a bundle was
// built from (scripts/build.mjs). What Orchard keeps on disk from a run (the parse cache, the warm
// check) is only ever read back by the same build.

/** Set by scripts/build.mjs. */
declare const ORCHARD_BUILD_ID: string | undefined;

/** Absent when running from source, where no build identifies the code (tests pass their own). */
export const BUILD_ID: string | undefined = typeof ORCHARD_BUILD_ID === 'string' ? ORCHARD_BUILD_ID : undefined;
