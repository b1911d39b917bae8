import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSample } from './load.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'samples-'));
  await writeFile(join(dir, 'a.json'), '[1, 2, 3]');
  await writeFile(join(dir, 'a.csv'), 'name,ms\nx,4\ny,5\n');
  await writeFile(join(dir, 'a.txt'), '6\n7\n');
  await writeFile(join(dir, 'one.txt'), '6\n');
  await writeFile(join(dir, 'bad.json'), '[1, "x"]');
  await mkdir(join(dir, 'folder.txt'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadSample', () => {
  test('reads inline arrays and every file format, relative to the base folder', async () => {
    expect(await loadSample(' [1.5, 2] ', { baseDirectory: dir })).toEqual({ values: [1.5, 2], origin: 'inline' });
    expect((await loadSample('a.json', { baseDirectory: dir })).values).toEqual([1, 2, 3]);
    expect((await loadSample('a.csv', { baseDirectory: dir })).values).toEqual([4, 5]);
    expect((await loadSample(join(dir, 'a.txt'), { baseDirectory: '/' })).values).toEqual([6, 7]);
  });
  test('explains unreadable paths, unknown extensions and too-small samples', async () => {
    await expect(loadSample('missing.txt', { baseDirectory: dir })).rejects.toThrow(/file 'missing.txt' \(resolved to .*missing.txt\) does not exist; check the path/);
    await expect(loadSample('folder.txt', { baseDirectory: dir })).rejects.toThrow('is a folder');
    await expect(loadSample('data.parquet', { baseDirectory: dir })).rejects.toThrow('neither a JSON array nor a .json, .csv or .txt file');
    await expect(loadSample('one.txt', { baseDirectory: dir })).rejects.toThrow("file 'one.txt': holds only 1 value; at least 2");
    await expect(loadSample('[3]', { baseDirectory: dir })).rejects.toThrow('holds only 1 value');
    await expect(loadSample('bad.json', { baseDirectory: dir })).rejects.toThrow(`file 'bad.json': value 2 is the string "x"`);
    await expect(loadSample('  ', { baseDirectory: dir })).rejects.toThrow('is empty');
  });
});
