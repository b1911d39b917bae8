import * as core from '@actions/core';
import { emitAnnotations, InputReader, omittedAnnotationsNote, publishReport, runAction, writeSummary } from '@model-cicd/core/action';
import {
  buildAnnotations,
  buildReport,
  buildSummary,
  chooseSources,
  collectMetrics,
  decideVerdict,
  evaluateMetrics,
  loadMetricsConfig,
  verdictLine,
  type MetricPlan,
} from '@model-cicd/core/regression';
import { InputError } from '@model-cicd/core/action';
import { readSettings, type RegressionCheckSettings } from './inputs.ts';

export async function run(): Promise<void> {
  await runAction(async () => {
    const settings = readSettings(new InputReader((name) => core.getInput(name)));
    const { plans, metricsCorrection, failOnRegression, prometheusUrl } = await planMetrics(settings);
    const prometheus = { ...settings.prometheus, url: settings.prometheus.url || prometheusUrl || '' };

    const collected = await collectMetrics(plans, { prometheus, nowMs: Date.now() });
    const results = evaluateMetrics(collected, metricsCorrection);
    const verdict = decideVerdict(results, failOnRegression);

    const tally = emitAnnotations(buildAnnotations(results));
    await writeSummary(buildSummary(results, verdict, { metricsCorrection, annotationsNote: omittedAnnotationsNote(tally) }));
    core.setOutput('regression', String(verdict.regression));
    core.setOutput('severity', verdict.severity);
    core.setOutput('inconclusive', String(verdict.inconclusive));
    await publishReport('regression-check.json', buildReport(results, verdict, { failOnRegression, metricsCorrection }));

    core.info(verdictLine(verdict, results.length).replace(/`/g, ''));
    // The regression itself is already an error annotation; failing through setFailed would add a second one.
    if (verdict.failed) process.exitCode = 1;
  });
}

async function planMetrics(settings: RegressionCheckSettings) {
  if (settings.metricsConfig) {
    const config = await loadMetricsConfig(settings.metricsConfig, settings.workspace, settings.metricSettings);
    return {
      plans: config.plans,
      metricsCorrection: config.metricsCorrection ?? settings.metricsCorrection,
      failOnRegression: config.failOnRegression ?? settings.failOnRegression,
      prometheusUrl: config.prometheusUrl,
    };
  }
  const name = settings.metricName;
  const fail = (key: string, problem: string): never => {
    throw new InputError(key, problem);
  };
  const plan: MetricPlan = {
    name,
    critical: true,
    options: settings.metricSettings.options,
    ...chooseSources(settings.sources, settings.metricSettings, settings.workspace, fail),
  };
  return { plans: [plan], metricsCorrection: settings.metricsCorrection, failOnRegression: settings.failOnRegression, prometheusUrl: undefined };
}
