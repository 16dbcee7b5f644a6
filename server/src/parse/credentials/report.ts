// What a finding may show of a credential, and the inline allow markers.
import { createHash } from 'node:crypto';

/**
 * At most the first 4 characters and `…`, and never more than a third of the secret (a 6-character
 * password shows 2). Control characters are shown as `?` so a preview never breaks a line.
 */
export function preview(secret: string): string {
  const n = Math.min(4, Math.floor(secret.length / 3));
  const head = Array.from(secret).slice(0, n).join('').slice(0, 4);
  return head.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?') + '…';
}

/**
 * A stable id for a finding: SHA-256 over the detector, the key name and the secret, with a
 * domain prefix, cut to 128 bits. Independent of where the line is; the secret cannot be read back
 * from it (a guessable password can be confirmed by hashing guesses, as with any hash, so the
 * fingerprint is not a place to keep weak passwords either).
 */
export function fingerprint(detector: string, keyName: string | undefined, secret: string): string {
  return createHash('sha256').update(`orchard-credential-v1\u0000${detector}\u0000${keyName ?? ''}\u0000${secret}`, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Markers that allow a line: Orchard's own and the ones other scanners honour, so existing
 * suppressions keep working (also Bandit's and gosec's `nosec` and ruff's / flake8-bandit's
 * hard-coded-password codes `noqa: S105`-`S107`, on the line itself only). On the line itself, or
 * (for `nextline` and for a marker standing on a comment line of its own) on the line before.
 */
const SAME_LINE = /orchard:\s?allow|pragma:\s?allowlist[ \t]+secret|gitleaks:allow|trufflehog:ignore|ggignore|#\s?nosec\b|noqa:[ \t]*(?:[A-Z]+\d+[ \t]*,[ \t]*)*S10[567]\b/i;
const NEXT_LINE = /pragma:\s?allowlist[ \t]+nextline[ \t]+secret|orchard:\s?allow|gitleaks:allow|trufflehog:ignore|ggignore/i;
const COMMENT_ONLY = /^\s*(?:#|\/\/|;|--|\/\*|\*|<!--|rem\b)/i;

/** Lines (0-based) on which findings are allowed. Reads only lines that mention a marker. */
export function allowedLines(text: string, lower: string, lineOf: (offset: number) => number): Set<number> {
  const out = new Set<number>();
  for (const needle of ['orchard:', 'pragma:', 'gitleaks:allow', 'trufflehog:ignore', 'ggignore', 'nosec', 'noqa:']) {
    let at = lower.indexOf(needle);
    while (at >= 0) {
      const line = lineOf(at);
      const ls = text.lastIndexOf('\n', at) + 1;
      let le = text.indexOf('\n', at);
      if (le < 0) le = text.length;
      const l = text.slice(ls, Math.min(le, ls + 4096));
      if (/pragma:\s?allowlist[ \t]+nextline[ \t]+secret/i.test(l)) out.add(line + 1);
      else if (SAME_LINE.test(l)) {
        out.add(line);
        if (COMMENT_ONLY.test(l) && NEXT_LINE.test(l)) out.add(line + 1);
      }
      at = lower.indexOf(needle, le);
    }
  }
  return out;
}
