// Statement mirrors (pythonNode.ts) shared between extractions by statement text. Mirroring crosses
// into wasm several times per node and is most of an extraction's cost; the language server
// extracts again after every keystroke, when all statements but the edited one are unchanged. An
// error-free subtree is determined by its node type and its text (the same text parses to the same
// tree wherever it stands), so a mirror read once is reused, moved to the statement's current offset.
import type { Language, TreeCursor } from 'web-tree-sitter';
import { MirrorStatement, mirrorStatement, type MirrorSource, type SNode } from './pythonNode';
import { detach } from './text';

interface Entry {
  type: number;
  language: Language;
  data: number[];
}

/** Bounds of the shared cache (characters of statement text, entries); the first stored go first. */
const MAX_CHARS = 4_000_000;
const MAX_ENTRIES = 40_000;
/** Longer statements are mirrored every time (rare; caching them would crowd out the rest). */
const MAX_KEY = 200_000;

const cache = new Map<string, Entry>();
let chars = 0;

/** The mirror of the node at `c` (type id and offsets as read by the caller), from the cache when its text was mirrored before. */
export function mirrorCached(c: TreeCursor, src: MirrorSource, language: Language, type: number, start: number, end: number): SNode {
  const key = end - start <= MAX_KEY ? src.text.slice(start, end) : undefined;
  const hit = key !== undefined ? cache.get(key) : undefined;
  if (hit && hit.type === type && hit.language === language) return new MirrorStatement(src, start, hit.language, hit.data).root;
  const node = c.currentNode;
  const depth = c.currentDepth;
  let m: MirrorStatement;
  try {
    m = mirrorStatement(c, node, src);
  } catch (e) {
    // Too deep for the JS stack (hostile nesting): put the cursor back where it was.
    while (c.currentDepth > depth && c.gotoParent()) {
      /* climbing */
    }
    throw e;
  }
  if (key !== undefined && !m.root.hasError) {
    if (hit) chars -= key.length;
    // A copy of the key: the slice would keep this version of the document alive in the cache.
    cache.set(detach(key), { type, language: m.language, data: m.data });
    chars += key.length;
    while (cache.size > MAX_ENTRIES || chars > MAX_CHARS) {
      const oldest = cache.keys().next().value as string;
      cache.delete(oldest);
      chars -= oldest.length;
    }
  }
  return m.root;
}

/** Empties the shared cache (tests, memory pressure). */
export function clearMirrorCache(): void {
  cache.clear();
  chars = 0;
}
