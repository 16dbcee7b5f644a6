// Unchanged-by-identity checks: the incremental paths (model patching, slicing, the analyzer, the
// diagnostics ledger) decide "nothing changed" by comparing objects, never by serialising them.

/** Two lists holding the very same elements in the same order (absent lists are equal only to each other). */
export function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
