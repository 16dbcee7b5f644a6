// Worker thread entry of the parse pool (model/parsePool.ts), built to dist/parseWorker.js: loads
// the Python grammar (the Terraform one when a batch first holds a `.tf` file), says it is ready,
// then answers each batch of parse jobs with their outcomes, in order. Runs no I/O of its own and
// logs nothing (the texts may hold secrets).
import { parentPort } from 'node:worker_threads';
import { initPython } from '../parse/python';
import { initTerraformFor } from '../parse/terraform';
import { runParseJob, type ParseJob } from './parseJob';

const port = parentPort;
if (port) {
  initPython().then(
    () => {
      // Batches are answered in order; one holding a Terraform file first loads that grammar.
      let previous = Promise.resolve();
      port.on('message', (jobs: ParseJob[]) => {
        previous = previous
          .then(async () => {
            await initTerraformFor(jobs.map((j) => j.uri));
            port.postMessage({ outcomes: jobs.map(runParseJob) });
          })
          // A batch that fails ends the worker, as a crash does: the pool runs its jobs on its own thread.
          .catch(() => process.exit(1));
      });
      port.postMessage({ ready: true });
    },
    // Without the parser this worker is of no use: end it; the pool runs its jobs on the calling thread.
    () => process.exit(1),
  );
}
