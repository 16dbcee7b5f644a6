// Benchmark (not a test): a listing-based check against moto vs the naive one-GetParameter-per-name
// approach, same run, same data. Run: node --import tsx bench/ssm.ts
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { SsmStore } from '../server/src/store/ssm';
import { countCalls, startMoto, useDummyAwsEnv } from '../test/aws/moto';

const SIZES = (process.env.ORCHARD_BENCH_SIZES ?? '10,100,1000,5000').split(',').map(Number);
const TWIG = '/app/bench-service';

async function main(): Promise<void> {
  const restore = useDummyAwsEnv();
  const moto = await startMoto();
  const rows: string[][] = [];
  try {
    const store = new SsmStore({ env: 'bench', config: { backend: 'ssm', region: 'us-east-1', endpoint: moto.endpoint, timeoutMs: 30_000 } });
    const calls = countCalls(store.ssm);
    let seeded = 0;
    for (const n of SIZES) {
      const names = Array.from({ length: n }, (_, i) => `${TWIG}/param-${String(i).padStart(5, '0')}`);
      for (; seeded < n; seeded++) await store.ssm.send(new PutParameterCommand({ Name: names[seeded], Value: `v${seeded}`, Type: 'String' }));
      calls.clear();

      let t0 = performance.now();
      const listed = await store.list(TWIG);
      const listMs = performance.now() - t0;
      if (listed.failure || listed.parameters.length !== n) throw new Error(`listing returned ${listed.parameters.length}/${n}`);
      const listCalls = calls.ops.length;

      calls.clear();
      t0 = performance.now();
      let found = 0;
      for (const name of names) {
        const r = await store.ssm.send(new GetParameterCommand({ Name: name }));
        if (r.Parameter) found++;
      }
      const naiveMs = performance.now() - t0;
      if (found !== n) throw new Error(`naive found ${found}/${n}`);
      const naiveCalls = calls.ops.length;
      rows.push([String(n), String(listCalls), listMs.toFixed(0), String(naiveCalls), naiveMs.toFixed(0), (naiveMs / listMs).toFixed(1)]);
    }
    store.dispose();
  } finally {
    await moto.stop();
    restore();
  }
  const head = ['N', 'listing calls', 'listing ms', 'naive calls', 'naive ms', 'speed-up'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padStart(w[i])).join(' | ')} |`;
  console.log(`moto ${moto.patchedPaging ? '(DescribeParameters honouring MaxResults=50)' : '(stock, 10 a page)'}, node ${process.version}`);
  console.log(line(head));
  console.log(`|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log('listing calls = DescribeParameters Path pages + 1 lookup of the twig itself by name.');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
