import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverTemplates, isSidecar, selectChanged } from './discover.ts';

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'discover-'));
  await mkdir(join(workspace, 'prompts/chat'), { recursive: true });
  for (const file of ['prompts/a.prompt', 'prompts/a.tests.yaml', 'prompts/chat/b.j2', 'prompts/chat/c.hbs', 'other/d.prompt']) {
    await mkdir(join(workspace, file, '..'), { recursive: true });
    await writeFile(join(workspace, file), 'x');
  }
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

it('finds templates by glob, without sidecars or directories, sorted', async () => {
  expect(await discoverTemplates(['prompts/**'], workspace)).toEqual(['prompts/a.prompt', 'prompts/chat/b.j2', 'prompts/chat/c.hbs']);
  expect(await discoverTemplates(['prompts/**/*.j2', 'other/*.prompt'], workspace)).toEqual(['other/d.prompt', 'prompts/chat/b.j2']);
});

it('excludes files matching a !pattern', async () => {
  expect(await discoverTemplates(['prompts/**', '!**/*.hbs'], workspace)).toEqual(['prompts/a.prompt', 'prompts/chat/b.j2']);
});

it('names the glob that matched nothing and how to fix it', async () => {
  await expect(discoverTemplates(['prompts/**', 'promts/**'], workspace)).rejects.toThrow(/^Input 'templates': 'promts\/\*\*' matched no template files under .*Fix the glob/);
});

it('selects templates the pull request changed, or whose sidecar tests it changed', () => {
  const selection = selectChanged(['prompts/a.prompt', 'prompts/chat/b.j2', 'prompts/chat/c.hbs'], [
    { path: 'prompts/a.tests.yaml', status: 'modified' },
    { path: 'prompts/chat/b.j2', status: 'modified', addedLines: new Set([2]) },
    { path: 'prompts/chat/c.hbs', status: 'removed' },
    { path: 'README.md', status: 'modified' },
  ]);
  expect(selection.files).toEqual(['prompts/a.prompt', 'prompts/chat/b.j2']);
  expect([...selection.changes.keys()]).toEqual(['prompts/chat/b.j2']);
  expect(selection.skipped).toBe(1);
  expect(isSidecar('x/y.tests.yml')).toBe(true);
});
