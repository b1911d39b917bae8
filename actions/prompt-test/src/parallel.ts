// Preparing many templates on every core. Loading, analysing and rendering are CPU-bound and independent per
// template, so large runs split them between worker threads running this same bundle; the main thread works
// on its share too, so a slow worker start (or a single core) never makes a run slower than doing it alone.
import * as core from '@actions/core';
import { availableParallelism } from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { PrepareOptions, PreparedTemplate, TemplateSource } from '@model-cicd/core/prompt/runner';
import { prepareSafely } from './templates.ts';

/** Below this many templates a worker's start-up (loading the bundle, ~0.3 s) costs more than it saves. */
export const PARALLEL_MIN_TEMPLATES = 150;
const CHUNK = 20;
const MAX_WORKERS = 4;

interface ChunkRequest {
  chunk: number;
  sources: TemplateSource[];
  options: PrepareOptions;
}
interface ChunkResult {
  chunk: number;
  prepared: PreparedTemplate[];
}

export const WORKER_ROLE = 'prompt-test:prepare';

export const isPrepareWorker = (): boolean => parentPort !== null && (workerData as { role?: string } | undefined)?.role === WORKER_ROLE;

/** The worker side: prepare every chunk the main thread sends. */
export function serveWorker(): void {
  parentPort!.on('message', (request: ChunkRequest) => {
    const result: ChunkResult = { chunk: request.chunk, prepared: request.sources.map((source) => prepareSafely(source, request.options)) };
    parentPort!.postMessage(result);
  });
}

/**
 * Prepares `sources` in order. `entry` is the script to start workers from (the action's bundle); without
 * it, or for small runs, everything runs on the main thread.
 */
export async function prepareAll(sources: readonly TemplateSource[], options: PrepareOptions, entry?: string): Promise<PreparedTemplate[]> {
  const workerCount = entry && sources.length >= PARALLEL_MIN_TEMPLATES ? Math.min(MAX_WORKERS, availableParallelism() - 1) : 0;
  core.debug(`preparing ${sources.length} templates on ${workerCount + 1} thread${workerCount ? 's' : ''}`);
  if (workerCount <= 0) return sources.map((source) => prepareSafely(source, options));

  const chunks: TemplateSource[][] = [];
  for (let i = 0; i < sources.length; i += CHUNK) chunks.push(sources.slice(i, i + CHUNK));
  const results = new Array<PreparedTemplate[]>(chunks.length);
  const queue = chunks.map((_, index) => index);
  let done = 0;
  const workers = new Set<Worker>();

  return new Promise<PreparedTemplate[]>((resolve) => {
    let settled = false;
    const complete = (chunk: number, prepared: PreparedTemplate[]) => {
      results[chunk] = prepared;
      if (++done < chunks.length || settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      resolve(results.flat());
    };
    // The main thread takes chunks too, yielding between them so that worker results are received.
    let mainBusy = false;
    const mainLoop = () => {
      const chunk = queue.shift();
      if (settled || chunk === undefined) {
        mainBusy = false;
        return;
      }
      mainBusy = true;
      complete(chunk, chunks[chunk].map((source) => prepareSafely(source, options)));
      setImmediate(mainLoop);
    };
    for (let i = 0; i < workerCount; i++) {
      const worker = new Worker(entry!, { workerData: { role: WORKER_ROLE } });
      workers.add(worker);
      let current: number | undefined;
      const feed = () => {
        current = queue.shift();
        if (current !== undefined) worker.postMessage({ chunk: current, sources: chunks[current], options } satisfies ChunkRequest);
      };
      worker.on('message', (result: ChunkResult) => {
        current = undefined;
        complete(result.chunk, result.prepared);
        if (!settled) feed();
      });
      // A worker that dies hands its chunk back; the main thread finishes whatever is left.
      const lost = () => {
        workers.delete(worker);
        if (current !== undefined) queue.unshift(current);
        current = undefined;
        if (!settled && !mainBusy) setImmediate(mainLoop);
      };
      worker.on('error', lost);
      worker.on('exit', lost);
      feed();
    }
    setImmediate(mainLoop);
  });
}
