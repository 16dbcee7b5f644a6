/**
 * The AWS SDK warns on every run under Node 20 that future releases need Node 22. It is about the
 * SDK's support window, not about the user's command, so the CLI and the
 * language server keep it off stderr (the editor's output channel). Called by entry points only.
 */
export function quietSdkNodeWarning(): void {
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const name = typeof warning === 'string' ? type : warning.name;
    if (name === 'NodeVersionSupportWarning' || String(warning).includes('NodeVersionSupportWarning')) return;
    (emit as (...a: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
