// In-process timings of template analysis: 1,000 templates x 10 cases through load (front-matter, test cases,
// positions), analyzePrompt (syntax, variables, length with exact token counts; every case rendered and
// checked) and renderPrompt once more per case, as the case runner does. Reported, never asserted.
// The second pass parses each template text from the content cache, as a base/head comparison of unchanged
// templates does; YAML loading and every render and check run again in full.
import { analyzePrompt, loadPromptFile, renderPrompt } from '../packages/core/src/prompt/index.ts';

export interface PromptAnalysisTiming {
  name: string;
  milliseconds: number;
  note: string;
}

const TEMPLATES = 1_000;
const CASES = 10;

const BODIES: Array<{ ext: string; body: string }> = [
  { ext: 'prompt', body: 'Write a {style} post about {topic} for {audience}.\nUse at most {words} words and a {tone} tone.' },
  { ext: 'mustache', body: 'Write a {{style}} post about {{topic}} for {{audience}}.\n{{#points}}- {{label}}\n{{/points}}Use at most {{words}} words and a {{tone}} tone.' },
  { ext: 'hbs', body: 'Write a {{style}} post about {{topic}} for {{audience}}.\n{{#each points}}- {{label}}\n{{/each}}Use at most {{words}} words and a {{tone}} tone.' },
  { ext: 'j2', body: 'Write a {{ style }} post about {{ topic }} for {{ audience }}.\n{% for p in points %}- {{ p.label }}\n{% endfor %}Use at most {{ words | string }} words and a {{ tone }} tone.' },
];

export function templateFile(index: number): { file: string; text: string } {
  const { ext, body } = BODIES[index % BODIES.length];
  const cases = Array.from({ length: CASES }, (_, c) =>
    [
      `  - name: case ${c}`,
      '    vars:',
      `      style: style-${c}`,
      `      topic: topic number ${index}-${c}`,
      '      audience: engineers',
      `      words: ${100 + c}`,
      ...(ext === 'prompt' ? [] : ['      points: [{label: one}, {label: two}]']),
      '    assert:',
      '      - {type: contains, value: post, target: prompt}',
    ].join('\n'),
  );
  const text = [
    '---',
    `name: template-${index}`,
    'model: gpt-4o-mini',
    'max_tokens: 400',
    'variables:',
    '  topic: {type: string, max_length: 200}',
    '  tone: {type: string, default: friendly}',
    '  words: {type: integer}',
    'tests:',
    ...cases,
    '---',
    // A distinct body per template, so no parse is shared between templates.
    `Template ${index}. ${body}`,
    '',
  ].join('\n');
  return { file: `prompts/template-${index}.${ext}`, text };
}

function runOnce(files: ReadonlyArray<{ file: string; text: string }>): { findings: number; renders: number } {
  let findings = 0;
  let renders = 0;
  for (const { file, text } of files) {
    const prompt = loadPromptFile(file, text);
    findings += analyzePrompt(prompt, ['syntax', 'variables', 'length']).length;
    for (const test of prompt.tests) {
      findings += renderPrompt(prompt, test.vars).findings.length;
      renders++;
    }
  }
  return { findings, renders };
}

export async function benchPromptAnalysis(): Promise<PromptAnalysisTiming[]> {
  const files = Array.from({ length: TEMPLATES }, (_, index) => templateFile(index));
  // CPU time next to wall time: on a shared machine the wall clock mostly measures the neighbours.
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  let cpu = process.cpuUsage();
  const coldStarted = performance.now();
  const cold = runOnce(files);
  const coldMs = performance.now() - coldStarted;
  const coldCpu = cpuMs(cpu);
  cpu = process.cpuUsage();
  const warmStarted = performance.now();
  const warm = runOnce(files);
  const warmMs = performance.now() - warmStarted;
  const warmCpu = cpuMs(cpu);
  if (cold.findings !== 0 || warm.findings !== 0) throw new Error(`the benchmark templates should be clean, got ${cold.findings} findings`);
  const cases = TEMPLATES * CASES;
  const rows: PromptAnalysisTiming[] = [
    {
      name: `prompt analysis in-process, first pass: ${TEMPLATES.toLocaleString('en-US')} templates x ${CASES} cases`,
      milliseconds: coldMs,
      note: `load + analyze (syntax, variables, exact tokens) + render; ${Math.round(cases / (coldMs / 1000)).toLocaleString('en-US')} cases/s; includes engine and tokenizer warm-up; CPU ${coldCpu.toFixed(0)} ms`,
    },
    {
      name: `prompt analysis in-process, second pass: ${TEMPLATES.toLocaleString('en-US')} templates x ${CASES} cases`,
      milliseconds: warmMs,
      note: `${Math.round(cases / (warmMs / 1000)).toLocaleString('en-US')} cases/s; ${warm.renders.toLocaleString('en-US')} extra renders; CPU ${warmCpu.toFixed(0)} ms`,
    },
  ];
  for (const row of rows) console.log(`${row.name}: ${row.milliseconds.toFixed(0)} ms (${row.note})`);
  return rows;
}

if (process.env.BENCH_MAIN !== "0" && import.meta.url === `file://${process.argv[1]}`) await benchPromptAnalysis();
