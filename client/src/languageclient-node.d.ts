// The root tsconfig resolves modules the Node 10 way, which ignores package "exports"; the
// client's entry `vscode-languageclient/node` exists only there. Point the types at the file the
// export names (esbuild follows "exports" itself when bundling).
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
