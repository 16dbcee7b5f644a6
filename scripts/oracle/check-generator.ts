// Checks test/oracle/figstoreGen.ts against the real figgy-lib (development tool): samples programs,
// runs each through lib_oracle.py, and compares figgy-lib's names and figgy.json bytes for class
// Figs with the expectations the generator computed on its own.
//
//   FIGGY_LIB_SRC=<figgy.python.lib>/src npx tsx scripts/oracle/check-generator.ts [COUNT] [SEED]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { programArb } from '../../test/oracle/figstoreGen';
import type { LibAnswer } from '../../test/oracle/view';

const lib = process.env.FIGGY_LIB_SRC;
if (!lib) {
  console.error('set FIGGY_LIB_SRC to figgy.python.lib/src');
  process.exit(2);
}
const count = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? 1);
const samples = fc.sample(programArb, { numRuns: count, seed });
const dir = mkdtempSync(path.join(tmpdir(), 'orchard-gen-'));
try {
  const files = samples.map((p, i) => {
    const f = path.join(dir, `p${i}.py`);
    writeFileSync(f, p.source);
    return f;
  });
  const out = execFileSync('python', [path.join(__dirname, 'lib_oracle.py'), ...files], { env: { ...process.env, PYTHONPATH: lib }, maxBuffer: 512 * 1024 * 1024 });
  const answers = JSON.parse(out.toString('utf8')) as Record<string, LibAnswer>;
  let agree = 0;
  samples.forEach((p, i) => {
    const a = answers[files[i]];
    const figs = a.classes.find((c) => c.class === 'Figs');
    const problems: string[] = [];
    if (a.verdict !== 'ok') problems.push(`figgy-lib rejects it: ${a.error ?? a.classes.find((c) => c.error)?.error}`);
    else if (!figs) problems.push('no class Figs');
    else {
      const names = Object.fromEntries(Object.entries(figs.names ?? {}).filter(([, v]) => v !== null));
      if (JSON.stringify(Object.entries(names).sort()) !== JSON.stringify(Object.entries(p.names).sort())) problems.push(`names: figgy-lib ${JSON.stringify(names)}, generator ${JSON.stringify(p.names)}`);
      if (figs.json !== p.json) problems.push(`json differs:\n${figs.json}\n---\n${p.json}`);
    }
    if (problems.length === 0) agree++;
    else console.log(`sample ${i}:\n${p.source}\n${problems.join('\n')}\n`);
  });
  console.log(`generator expectations agree with figgy-lib on ${agree}/${samples.length} samples (seed ${seed})`);
  process.exitCode = agree === samples.length ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
