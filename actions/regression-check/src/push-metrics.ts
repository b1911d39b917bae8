// Publishes the verdict as gauges to a Pushgateway. Monitoring is a side channel: a failed push becomes one
// warning naming the URL, and never changes the step's result, which is the statistics' alone.
import * as core from '@actions/core';
import type { Annotation } from '@model-cicd/core/action';
import { pushMetrics, regressionMetricFamilies, renderExposition } from '@model-cicd/core/pushgateway';
import type { RegressionReport } from '@model-cicd/core/regression';
import type { PushgatewaySettings } from './inputs.ts';

/** Long enough for a loaded gateway, short enough that an unreachable one does not stall the job. */
export const PUSH_TIMEOUT_MS = 10_000;

export interface PushOutcome {
  /** Set when the push failed. */
  warning?: Annotation;
  /** One markdown line for the job summary. */
  summaryLine: string;
}

export async function pushVerdictMetrics(settings: PushgatewaySettings, report: RegressionReport, checkedAtMs: number): Promise<PushOutcome> {
  const group = Object.entries(settings.grouping)
    .map(([label, value]) => `${label}=${value}`)
    .join(', ');
  try {
    const text = renderExposition(regressionMetricFamilies(report, checkedAtMs / 1000));
    const pushed = await pushMetrics({
      url: settings.url,
      job: settings.job,
      grouping: settings.grouping,
      text,
      auth: settings.token ? { bearer: settings.token } : undefined,
      // PUT replaces the whole group, so a metric dropped from the config does not linger with stale values.
      method: 'PUT',
      timeoutMs: PUSH_TIMEOUT_MS,
    });
    core.info(`Pushed the regression metrics to ${pushed.url}`);
    return { summaryLine: `📈 Metrics pushed to the Pushgateway (job \`${settings.job}\`${group ? `, group \`${group}\`` : ''}).` };
  } catch (error) {
    const message = `Could not push the regression metrics to the Pushgateway at ${settings.url}: ${(error as Error).message}. The verdict is unaffected.`;
    return {
      warning: { severity: 'warning', title: 'Pushgateway push failed', message },
      summaryLine: `⚠️ ${message}`,
    };
  }
}
