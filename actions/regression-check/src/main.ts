import * as core from '@actions/core';
import { emitAnnotations, InputReader, omittedAnnotationsNote, publishReport, runAction, writeSummary } from '@model-cicd/core/action';
import { judgeMetrics, loadMetricsConfig, planSingleMetric, verdictLine } from '@model-cicd/core/regression';
import { readSettings, type RegressionCheckSettings } from './inputs.ts';

export async function run(): Promise<void> {
  await runAction(async () => {
    const settings = readSettings(new InputReader((name) => core.getInput(name)));
    const { plans, metricsCorrection, failOnRegression, prometheusUrl } = await planMetrics(settings);
    const prometheus = { ...settings.prometheus, url: settings.prometheus.url || prometheusUrl || settings.prometheusUrlFromEnv };

    const { results, verdict, report, annotations, summary } = await judgeMetrics(
      plans,
      { prometheus, nowMs: Date.now() },
      { metricsCorrection, failOnRegression },
    );

    const tally = emitAnnotations(annotations);
    await writeSummary(summary(omittedAnnotationsNote(tally)));
    core.setOutput('regression', String(verdict.regression));
    core.setOutput('severity', verdict.severity);
    core.setOutput('inconclusive', String(verdict.inconclusive));
    await publishReport('regression-check.json', report);

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
  return {
    plans: [planSingleMetric(settings.metricName, settings.metricSettings, settings.sources, settings.workspace)],
    metricsCorrection: settings.metricsCorrection,
    failOnRegression: settings.failOnRegression,
    prometheusUrl: undefined,
  };
}
