// In-process timings of template analysis: 1,000 templates x 10 cases through load (front-matter, test cases,
// positions), analyzePrompt (syntax, variables, length with exact token counts; every case rendered and
// checked) and renderPrompt once more per case, as the case runner does. Reported, never asserted.
// The second pass parses each template text from the content cache, as a base/head comparison of unchanged
// templates does; YAML loading and every render and check run again in full.
import { type PromptFile, analyzePrompt, loadPromptFile, renderPrompt } from '../packages/core/src/prompt/index.ts';

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

interface Phase {
  wallMs: number;
  cpuMs: number;
}

/** Wall and CPU time of `work`: on a shared machine the wall clock mostly measures the neighbours. */
function timed(work: () => void): Phase {
  const cpu = process.cpuUsage();
  const started = performance.now();
  work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

interface Pass {
  load: Phase;
  analyze: Phase;
  render: Phase;
  findings: number;
}

function runPass(files: ReadonlyArray<{ file: string; text: string }>): Pass {
  let prompts: PromptFile[] = [];
  let findings = 0;
  const load = timed(() => {
    prompts = files.map(({ file, text }) => loadPromptFile(file, text));
  });
  const analyze = timed(() => {
    for (const prompt of prompts) findings += analyzePrompt(prompt, ['syntax', 'variables', 'length']).length;
  });
  const render = timed(() => {
    for (const prompt of prompts) for (const test of prompt.tests) findings += renderPrompt(prompt, test.vars).findings.length;
  });
  return { load, analyze, render, findings };
}

function describePass(pass: Pass): { wallMs: number; note: string } {
  const wallMs = pass.load.wallMs + pass.analyze.wallMs + pass.render.wallMs;
  const cpuMs = pass.load.cpuMs + pass.analyze.cpuMs + pass.render.cpuMs;
  const phase = (name: string, value: Phase): string => `${name} ${value.wallMs.toFixed(0)} ms (CPU ${value.cpuMs.toFixed(0)})`;
  const cases = TEMPLATES * CASES;
  return {
    wallMs,
    note: `CPU ${cpuMs.toFixed(0)} ms; ${Math.round(cases / (wallMs / 1000)).toLocaleString('en-US')} cases/s; ${phase('load', pass.load)}, ${phase('analyze', pass.analyze)}, ${phase('render', pass.render)}`,
  };
}

export async function benchPromptAnalysis(): Promise<PromptAnalysisTiming[]> {
  const files = Array.from({ length: TEMPLATES }, (_, index) => templateFile(index));
  const first = runPass(files);
  const second = runPass(files);
  if (first.findings !== 0 || second.findings !== 0) throw new Error(`the benchmark templates should be clean, got ${first.findings} findings`);
  const label = `${TEMPLATES.toLocaleString('en-US')} templates x ${CASES} cases`;
  const firstSummary = describePass(first);
  const secondSummary = describePass(second);
  const rows: PromptAnalysisTiming[] = [
    { name: `prompt analysis in-process, first pass (cold engines): ${label}`, milliseconds: firstSummary.wallMs, note: firstSummary.note },
    { name: `prompt analysis in-process, second pass: ${label}`, milliseconds: secondSummary.wallMs, note: secondSummary.note },
  ];
  for (const row of rows) console.log(`${row.name}: ${row.milliseconds.toFixed(0)} ms (${row.note})`);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPromptAnalysis();
