// Running a real server binary (Prometheus, the Pushgateway) for a test: a free loopback port, waiting for its
// /-/ready endpoint, and stopping it; failures quote the end of the server's own log.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:net';

/** A port the OS just handed out on loopback (released before the server binds it; a race is unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `<url>/-/ready` until it answers 200; fails early if the process exits, with its log. */
export async function waitUntilReady(name: string, url: string, child: ChildProcess, logFile: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready:\n${await logTail(logFile)}`);
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} at ${url} was not ready within ${timeoutMs} ms:\n${await logTail(logFile)}`);
}

export const logTail = async (file: string): Promise<string> => (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');

/** SIGTERM, then SIGKILL if the process has not exited within 5 s. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface LocalServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `binary` with `args(port)` on a free loopback port, logging to `<dir>/<name>.log`, and waits until it is
 * ready. The server owns `dir`: stop(), or a start that fails, ends the process and removes the folder.
 */
export async function startLocalServer(name: string, binary: string, dir: string, args: (port: number) => string[]): Promise<LocalServer> {
  let child: ChildProcess | undefined;
  const cleanUp = async () => {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const logFile = join(dir, `${name}.log`);
    const log = openSync(logFile, 'a');
    child = spawn(binary, args(port), { stdio: ['ignore', log, log] });
    closeSync(log);
    await waitUntilReady(name, url, child, logFile);
    return { url, stop: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
