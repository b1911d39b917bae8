// Bundles one action with @vercel/ncc, the way its committed dist/ is made.
// usage (from an action folder, as `npm run build` does): node ../../scripts/build-action.ts [OUT_DIR]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../..');
const nccCli = join(repoRoot, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

export function buildAction(actionDir: string, outDir = join(actionDir, 'dist')): void {
  execFileSync(process.execPath, [nccCli, 'build', 'src/index.ts', '--out', outDir, '--minify', '--quiet'], {
    cwd: actionDir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (!existsSync(join(outDir, 'package.json'))) {
    throw new Error(`ncc did not write ${outDir}/package.json: the bundle would not load as ESM`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAction(process.cwd(), process.argv[2] ? resolve(process.argv[2]) : undefined);
}
