import { isPrepareWorker, serveWorker } from './parallel.ts';
import { run } from './main.ts';

// The yaml parser reads process.env.LOG_TOKENS for every token, and process.env is a slow accessor into the
// C environment. A plain snapshot (this action never changes its own environment for others to see) makes
// front-matter parsing, most of the action's work, measurably faster.
process.env = { ...process.env };

// The bundle is also the worker script for preparing templates in parallel (see parallel.ts).
if (isPrepareWorker()) serveWorker();
else await run({ workerEntry: process.argv[1] });
