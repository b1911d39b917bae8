import { isPrepareWorker, serveWorker } from './parallel.ts';
import { run } from './main.ts';

// The bundle is also the worker script for preparing templates in parallel (see parallel.ts).
if (isPrepareWorker()) serveWorker();
else await run({ workerEntry: process.argv[1] });
