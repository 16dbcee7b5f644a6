// One esbuild script, separate bundles: the VS Code client, the language server, the CLI, and the
// three files those load on first use (the CLI's engine, the SSM backend, the prompts).
// Only `vscode` is external; the tree-sitter wasm files are copied next to the bundles.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync, chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
mkdirSync('dist', { recursive: true });

// What identifies a build's parser for the parse cache (server/src/model/parseCache.ts): a hash of
// every server source file, the package version and the two grammar files. Outcomes cached by one
// build are never read by another.
/** The grammars' wasm files, copied next to the bundles (the Terraform one is loaded only when a workspace holds a `.tf` file). */
const WASM = ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'];

function buildId() {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(p).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk('server/src');
  h.update(readFileSync('package.json'));
  for (const wasm of WASM) h.update(readFileSync(require.resolve(wasm)));
  return h.digest('hex').slice(0, 32);
}

const common = {
  define: { ORCHARD_BUILD_ID: JSON.stringify(buildId()) },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  metafile: true,
  // jsonc-parser's UMD build does dynamic requires esbuild cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};

// Modules loaded on first use stay files of their own next to the bundles (required by
// store/factory.ts, cli/ask.ts and cli/lazyEngine.ts): most runs never load them, and V8 compiles a
// whole bundle file when it loads it. The CLI's engine is most of the CLI: dist/cli.js is the
// command line and the warm check (a cache hit loads nothing else).
const LAZY = { engine: 'server/src/cli/engine.ts', ssm: 'server/src/store/ssm.ts', prompts: 'server/src/cli/prompts.ts' };
const lazyFiles = {
  name: 'lazy-files',
  setup(build) {
    const importers = { engine: ['/cli/lazyEngine.ts'], ssm: ['/store/factory.ts'], prompts: ['/cli/ask.ts'] };
    build.onResolve({ filter: /^\.\/(engine|ssm|prompts)$/ }, (args) => {
      const name = args.path.slice(2);
      const importer = args.importer.split('\\').join('/');
      if (!importers[name].some((f) => importer.endsWith(f))) return undefined;
      return { path: `./${name}.js`, external: true };
    });
  },
};

// web-tree-sitter reads and writes every node handle through emscripten's generic getValue/setValue,
// which test the type name as a string on each call: 8-10% of a warm parse of a small config.py.
// The fast path below does what their "i32" case does, before the string tests. A web-tree-sitter
// whose source no longer has these two functions fails the build: check the new source, then update
// or drop the patch (measure with ORCHARD_PARSE_WORKERS=0 `npm run bench`).
const I32_FAST_PATHS = [
  ['function setValue(ptr, value, type = "i8") {', 'if (type === "i32") return LE_HEAP_STORE_I32((ptr >> 2) * 4, value);'],
  ['function getValue(ptr, type = "i8") {', 'if (type === "i32") return LE_HEAP_LOAD_I32((ptr >> 2) * 4);'],
];
const treeSitterFastPaths = {
  name: 'tree-sitter-i32-fast-paths',
  setup(build) {
    build.onLoad({ filter: /web-tree-sitter[\\/]tree-sitter\.cjs$/ }, (args) => {
      let code = readFileSync(args.path, 'utf8');
      for (const [head, fast] of I32_FAST_PATHS) {
        if (code.split(head).length !== 2) throw new Error(`${args.path}: expected one "${head}" to add the i32 fast path to (see scripts/build.mjs)`);
        code = code.replace(head, `${head} ${fast}`);
      }
      return { contents: code, loader: 'js' };
    });
  },
};

const entries = [
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' }, plugins: [lazyFiles, treeSitterFastPaths] },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [lazyFiles, treeSitterFastPaths] },
  { entryPoints: [LAZY.engine], outfile: 'dist/engine.js', plugins: [lazyFiles, treeSitterFastPaths] },
  ...Object.entries(LAZY).filter(([name]) => name !== 'engine').map(([name, file]) => ({ entryPoints: [file], outfile: `dist/${name}.js` })),
  // The parse pool's worker thread (model/parsePool.ts starts it from next to the bundle).
  { entryPoints: ['server/src/model/parseWorker.ts'], outfile: 'dist/parseWorker.js', plugins: [treeSitterFastPaths] },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
].filter((e) => existsSync(e.entryPoints[0]));

for (const wasm of WASM) {
  const from = require.resolve(wasm);
  copyFileSync(from, join('dist', wasm.split('/').pop()));
}

const results = await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
// What the warm check must not load: a hit that pulls in a parser or the rules is as slow as before.
const ENGINE_ONLY = /node_modules[\\/](web-tree-sitter|yaml|picomatch|ignore)[\\/]|server[\\/]src[\\/](parse[\\/]python|model[\\/]scan|model[\\/]build|analysis[\\/]index)\.ts$/;
for (const [i, r] of results.entries()) {
  const out = entries[i].outfile;
  if (out === 'dist/cli.js') {
    const heavy = Object.keys(Object.values(r.metafile.outputs).find((o) => o.entryPoint)?.inputs ?? {}).filter((f) => ENGINE_ONLY.test(f));
    if (heavy.length) throw new Error(`dist/cli.js includes engine modules (${heavy.slice(0, 3).join(', ')}): import them through cli/lazyEngine.ts`);
  }
  // esbuild escapes non-ASCII in strings but not in regex literals and kept comments; one such
  // character makes V8 hold the whole bundle's source as UTF-16 (5.4 instead of 2.7 MiB for the
  // server). \uXXXX means the same in a regex, a string, an identifier, and nothing in a comment.
  const code = readFileSync(out, 'utf8');
  if (/\\[^\x00-\x7f]/.test(code)) throw new Error(`${out}: an escaped non-ASCII character; the \\u rewrite would change it`);
  if (/[^\x00-\x7f]/.test(code)) writeFileSync(out, code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  const bytes = Object.values(r.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  if (entries[i].banner) chmodSync(out, 0o755);
  console.log(`built ${out} (${(bytes / 1024).toFixed(0)} KiB incl. map)`);
}
