// The shell every action shares: run the body with one error path, write the JSON report and the summary.
import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from './inputs.ts';

/**
 * Runs an action body. Any error becomes one `core.setFailed` line (no stack trace in the log; the stack goes
 * to the debug log), so users see what to fix rather than where our code was.
 */
export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof Error && !(error instanceof InputError) && error.stack) core.debug(error.stack);
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/** Writes the JSON report under RUNNER_TEMP (the runner's per-job scratch space) and returns its path. */
export async function writeReportFile(fileName: string, report: unknown): Promise<string> {
  const directory = join(process.env.RUNNER_TEMP || tmpdir(), 'model-cicd');
  await mkdir(directory, { recursive: true });
  const path = join(directory, fileName);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/** Sets `report` and `report-path` outputs from one report object. */
export async function publishReport(fileName: string, report: unknown): Promise<string> {
  const path = await writeReportFile(fileName, report);
  core.setOutput('report', JSON.stringify(report));
  core.setOutput('report-path', path);
  return path;
}

/** Appends markdown to the job summary; outside a runner (no GITHUB_STEP_SUMMARY) prints it instead. */
export async function writeSummary(markdown: string): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(markdown, true).write();
  } else {
    core.info(markdown);
  }
}
