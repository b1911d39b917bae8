// JUnit XML: a testsuite per template with a testcase per case, plus one "template checks" testcase that
// fails when the template has error findings, so CI dashboards count broken templates too.
import type { TemplateReport } from '@model-cicd/core/prompt/runner';

const escapeXml = (text: string): string =>
  text
    // XML 1.0 cannot carry most control characters, even escaped
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function buildJunit(templates: readonly TemplateReport[]): string {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  const suites: string[] = [];
  for (const template of templates) {
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    let suiteTime = 0;
    const errorFindings = template.findings.filter((f) => f.severity === 'error');
    const checkBody = errorFindings.length
      ? `\n      <failure message="${escapeXml(`${errorFindings.length} error finding(s)`)}" type="findings">${escapeXml(
          errorFindings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`).join('\n'),
        )}</failure>\n    `
      : '';
    if (errorFindings.length) suiteFailures++;
    cases.push(`    <testcase classname="${escapeXml(template.file)}" name="template checks" time="0">${checkBody}</testcase>`);
    for (const testCase of template.cases) {
      const time = testCase.renderMs + (testCase.cached ? 0 : (testCase.latencyMs ?? 0));
      suiteTime += time;
      let body = '';
      if (testCase.status === 'failed') {
        suiteFailures++;
        body = `\n      <failure message="${escapeXml(testCase.reason ?? 'failed')}" type="assertion">${escapeXml(
          testCase.assertions.filter((a) => a.outcome === 'failed').map((a) => `${a.type} (${a.target}): ${a.message}`).join('\n') || (testCase.reason ?? ''),
        )}</failure>\n    `;
      } else if (testCase.status !== 'passed') {
        suiteErrors++;
        body = `\n      <error message="${escapeXml(testCase.reason ?? testCase.status)}" type="${testCase.status}"/>\n    `;
      }
      cases.push(`    <testcase classname="${escapeXml(template.file)}" name="${escapeXml(testCase.name)}" time="${seconds(time)}">${body}</testcase>`);
    }
    tests += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    suites.push(
      `  <testsuite name="${escapeXml(template.file)}" tests="${cases.length}" failures="${suiteFailures}" errors="${suiteErrors}" skipped="0" time="${seconds(suiteTime)}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="prompt-test" tests="${tests}" failures="${failures}" errors="${errors}">\n${suites.join('\n')}\n</testsuites>\n`;
}
