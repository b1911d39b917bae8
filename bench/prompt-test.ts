// Whole-process timings of the bundled prompt-test action, started as the runner starts it: 1,000 templates
// x 10 cases with no provider (load, all five rules, 10,000 renders, report, summary), and the bundle's
// cold start on a single template.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeRunnerTemp, runAction } from '../test/harness/run-action.ts';

export interface BenchRow {
  name: string;
  milliseconds: number;
  note?: string;
}

const TEMPLATES = 1_000;
const CASES = 10;
const REPEATS = 3;

const ENGINES = [
  { ext: 'prompt', body: 'Write a {style} post about {topic} for {audience}.\nKeep it under {words} words.' },
  { ext: 'mustache', body: 'Write a {{style}} post about {{topic}} for {{audience}}.\n{{#points}}- {{.}}\n{{/points}}Keep it under {{words}} words.' },
  { ext: 'hbs', body: 'Write a {{style}} post about {{topic}} for {{audience}}.\n{{#each points}}- {{this}}\n{{/each}}Keep it under {{words}} words.' },
  { ext: 'j2', body: 'Write a {{ style }} post about {{ topic }} for {{ audience }}.\n{% for p in points %}- {{ p }}\n{% endfor %}Keep it under {{ words }} words.' },
];

function template(index: number): { file: string; text: string } {
  const engine = ENGINES[index % ENGINES.length];
  const tests = Array.from({ length: CASES }, (_, c) =>
    [
      `  - name: case ${c}`,
      '    vars:',
      `      style: ${['casual', 'formal', 'witty'][c % 3]}`,
      `      topic: topic number ${index}-${c}`,
      '      audience: engineers',
      `      words: ${100 + c}`,
      '      points: [speed, safety]',
      '    assert:',
      '      - type: contains',
      `        value: topic number ${index}-${c}`,
      '        target: prompt',
      '      - type: max-tokens',
      '        value: 400',
      '        target: prompt',
    ].join('\n'),
  ).join('\n');
  const variables = ['style', 'topic', 'audience', 'words', 'points']
    .map((name) => `  ${name}:\n    type: ${name === 'words' ? 'integer' : name === 'points' ? 'array' : 'string'}\n    required: ${name !== 'points'}`)
    .join('\n');
  const text = `---\nname: bench-${index}\nmodel: gpt-4o-mini\nmax_tokens: 400\nvariables:\n${variables}\ntests:\n${tests}\n---\n${engine.body}\n`;
  return { file: `prompts/group-${index % 20}/t${index}.${engine.ext}`, text };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(cwd: string, inputs: Record<string, string>): Promise<{ ms: number; outputs: Record<string, string> }> {
  const started = performance.now();
  const run = await runAction('prompt-test', inputs, { cwd, timeoutMs: 300_000 });
  const ms = performance.now() - started;
  await removeRunnerTemp(run);
  if (run.exitCode !== 0) throw new Error(`prompt-test failed in the benchmark (exit ${run.exitCode}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  return { ms, outputs: run.outputs };
}

export async function benchPromptTest(): Promise<BenchRow[]> {
  const workspace = await mkdtemp(join(tmpdir(), 'bench-prompt-test-'));
  try {
    for (let i = 0; i < TEMPLATES; i++) {
      const { file, text } = template(i);
      await mkdir(join(workspace, file, '..'), { recursive: true });
      await writeFile(join(workspace, file), text);
    }
    await mkdir(join(workspace, 'single'), { recursive: true });
    await writeFile(join(workspace, 'single/hello.prompt'), template(0).text);

    const full: number[] = [];
    let passed = '';
    for (let i = 0; i < REPEATS; i++) {
      const result = await timed(workspace, { templates: 'prompts/**', 'all-files': 'true' });
      full.push(result.ms);
      passed = result.outputs.passed;
    }
    if (Number(passed) !== TEMPLATES * CASES) throw new Error(`expected ${TEMPLATES * CASES} passing cases, got ${passed}`);
    const cold: number[] = [];
    for (let i = 0; i < REPEATS; i++) cold.push((await timed(workspace, { templates: 'single/*.prompt' })).ms);

    const fullMs = median(full);
    return [
      {
        name: `prompt-test bundled, ${TEMPLATES.toLocaleString('en-US')} templates x ${CASES} cases, no provider (process start to summary)`,
        milliseconds: fullMs,
        note: `${Math.round((TEMPLATES * CASES) / (fullMs / 1000)).toLocaleString('en-US')} cases/s; median of ${REPEATS}; target < 3000 ms; ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)}`,
      },
      { name: 'prompt-test bundled, cold start on 1 template x 10 cases', milliseconds: median(cold), note: `median of ${REPEATS}` },
    ];
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}
