// Reads a sample from what a user wrote in an input: an inline JSON array or the path of a .json, .csv or .txt file.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, resolve } from 'node:path';
import { parseJsonArray, parseSampleText, requireMinimumSize, SampleError, type SampleFormat } from './parse.ts';

export interface LoadSampleOptions {
  /** Relative paths are resolved against this folder (the workspace, or the metrics-config file's folder). */
  baseDirectory: string;
  /** CSV column name or 1-based position; default the first numeric column. */
  column?: string;
}

export interface LoadedSample {
  values: number[];
  /** 'inline' or the resolved file path, for the report. */
  origin: string;
}

const FORMATS: Record<string, SampleFormat> = { '.json': 'json', '.csv': 'csv', '.txt': 'txt' };

export const isInlineArray = (spec: string): boolean => spec.trimStart().startsWith('[');

/** Loads and validates one sample; every problem is a SampleError that says what to fix. */
export async function loadSample(spec: string, options: LoadSampleOptions): Promise<LoadedSample> {
  const text = spec.trim();
  if (text === '') throw new SampleError('is empty; give a JSON array such as [120, 131, 118] or the path of a .json, .csv or .txt file.');
  if (isInlineArray(text)) {
    const values = parseJsonArray(text);
    requireMinimumSize(values);
    return { values, origin: 'inline' };
  }
  const format = FORMATS[extname(text).toLowerCase()];
  if (!format) {
    throw new SampleError(
      `'${text}' is neither a JSON array nor a .json, .csv or .txt file; give an inline array like [120, 131, 118] or a file with one of those extensions.`,
    );
  }
  const path = isAbsolute(text) ? text : resolve(options.baseDirectory, text);
  const content = await readSampleFile(text, path);
  try {
    const values = parseSampleText(content, format, options.column);
    requireMinimumSize(values);
    return { values, origin: path };
  } catch (error) {
    if (error instanceof SampleError) throw new SampleError(`file '${text}': ${error.message}`);
    throw error;
  }
}

async function readSampleFile(spec: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = spec === path ? `'${path}'` : `'${spec}' (resolved to ${path})`;
    if (code === 'ENOENT') throw new SampleError(`file ${where} does not exist; check the path (relative paths start at the workspace or the metrics-config file's folder) and that the file is checked out or created by an earlier step.`);
    if (code === 'EACCES') throw new SampleError(`file ${where} is not readable (permission denied); make it readable by the runner user.`);
    if (code === 'EISDIR') throw new SampleError(`${where} is a folder; give the path of a .json, .csv or .txt file inside it.`);
    throw new SampleError(`file ${where} cannot be read (${code ?? (error as Error).message}).`);
  }
}
