// How the extension starts the language server's node process. Kept apart from extension.ts so the
// benches start the server exactly as VS Code does.
//
// V8's young generation grows to 2 × 16 MiB during the start-up scan and is never given back, though
// almost empty once the workspace is read. At 8 MiB per semi-space the server's RSS after start-up
// was 186–187 vs 201 MiB at 2,000 services and 470 vs 516 MiB at 10,000, start-up and keystrokes
// unchanged (`ORCHARD_BENCH_NODE_FLAGS`, bench/lsp.ts --workspace-only); at 4 MiB the 10,000-service
// start-up took 14.7 s instead of 11.2 s.
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=8'];
