import * as core from '@actions/core';
import { emitAnnotations, InputReader, omittedAnnotationsNote, publishReport, runAction, writeSummary } from '@model-cicd/core/action';
import { judgeMetrics, loadMetricsConfig, planSingleMetric, verdictLine } from '@model-cicd/core/regression';
import { readSettings, type RegressionCheckSettings } from './inputs.ts';
import { pushVerdictMetrics } from './push-metrics.ts';

export async function run(): Promise<void> {
  await runAction(async () => {
    const settings = readSettings(new InputReader((name) => core.getInput(name)));
    const { plans, metricsCorrection, failOnRegression, prometheusUrl } = await planMetrics(settings);
    const prometheus = { ...settings.prometheus, url: settings.prometheus.url || prometheusUrl || settings.prometheusUrlFromEnv };

    const nowMs = Date.now();
    const { results, verdict, report, annotations, summary } = await judgeMetrics(plans, { prometheus, nowMs }, { metricsCorrection, failOnRegression });
    const push = settings.pushgateway ? await pushVerdictMetrics(settings.pushgateway, report, nowMs) : undefined;

    // A failed push goes first among the warnings so the cap of 10 per step never hides it.
    const tally = emitAnnotations(push?.warning ? [push.warning, ...annotations] : annotations);
    const summaryText = summary(omittedAnnotationsNote(tally));
    await writeSummary(push ? `${summaryText.trimEnd()}\n\n${push.summaryLine}\n` : summaryText);
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
