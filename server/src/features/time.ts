// Relative times for hovers, the status bar and the tree: "3 min ago" reads faster than an ISO stamp.

/** `3 min ago` for an ISO time; '' when it is not a time. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  if (s < 90 * 60) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** `arn:aws:sts::123:assumed-role/dev/alice` → `dev/alice`; `arn:aws:iam::1:user/bob` → `bob`; others as they are. */
export function shortIdentity(id: string): string {
  const m = /:assumed-role\/(.+)$/.exec(id) ?? /:user\/(.+)$/.exec(id);
  return m ? m[1] : id;
}
