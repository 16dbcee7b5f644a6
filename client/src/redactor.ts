// Defence in depth for logs: every value the client handles (typed by the user, revealed) is
// registered here, and every line written to the output channel passes through `scrub`. The code
// never logs values on purpose; this catches an accident such as an error message echoing input.

const MIN_LENGTH = 4; // shorter strings are too common to scrub without mangling ordinary text

export class Redactor {
  private readonly secrets = new Set<string>();

  remember(value: string | undefined): void {
    if (value && value.length >= MIN_LENGTH) this.secrets.add(value);
  }

  scrub(text: string): string {
    let out = text;
    // longest first, so a value containing another is replaced whole
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join('«redacted»');
    }
    return out;
  }

  get size(): number {
    return this.secrets.size;
  }
}

/** Requests and responses of these methods can carry a value; their trace payload is never written. */
const VALUE_METHODS = /orchard\/parameter\/reveal|orchard\/parameter\/put|orchard\/sync\/apply/;
/** These carry a file's text, which can hold a plaintext credential (the very thing Orchard reports). */
const TEXT_METHODS = /textDocument\/did(?:Open|Change|Save)\b/;

/**
 * Protocol traces (`orchard.trace.server: verbose`) print message payloads. For the few methods
 * that carry values or file contents, keep only the first line (method, id, timing) and drop the payload.
 */
export function sanitizeTrace(text: string): string {
  const why = VALUE_METHODS.test(text) ? 'this message can carry a parameter value' : TEXT_METHODS.test(text) ? 'file contents are not traced' : undefined;
  if (!why) return text;
  const first = text.split('\n', 1)[0];
  if (first.startsWith('{')) return `[payload hidden: ${why}]`;
  return `${first}${text.includes('\n') ? `\n[payload hidden: ${why}]` : ''}`;
}
