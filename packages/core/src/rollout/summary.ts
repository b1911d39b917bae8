// The job summary of a rollout command: where the rollout stands in its steps, the analysis of each check,
// and the event history (who did what, when, why). Pure string functions.
import { details, formatNumber, formatPercent, table } from '../action/markdown.ts';
import type { ShellOutcome } from './shell.ts';
import type { RolloutState } from './types.ts';

const STATUS_ICON: Record<string, string> = {
  progressing: '🚦',
  paused: '⏸️',
  promoting: '🚀',
  promoted: '✅',
  'rolling-back': '↩️',
  'rolled-back': '↩️',
  aborted: '🛑',
  superseded: '⏭️',
};

/** `10% ✅ → 25% ⏳ → 50% → 100%`: the steps passed, the one in progress, the ones to come. */
export function stepProgress(state: RolloutState): string {
  return state.steps
    .map((weight, index) => {
      if (state.status === 'promoted') return `${weight}% ✅`;
      if (index < state.currentStep) return `${weight}% ✅`;
      if (index === state.currentStep) {
        if (['rolled-back', 'aborted'].includes(state.status)) return `**${weight}% ❌**`;
        return `**${weight}% ${state.status === 'paused' ? '⏸️' : '⏳'}**`;
      }
      return `${weight}%`;
    })
    .join(' → ');
}

export function analysisTable(state: RolloutState, limit = 20): string {
  const records = state.analysis.slice(-limit);
  if (records.length === 0) return '_No analysis has run yet._';
  return table(
    ['Time', 'Step', 'Weight', 'Check', 'Verdict', 'Samples (stable / canary)', 'Sample ratio', 'Reason'],
    records.map((record) => [
      record.at,
      record.step + 1,
      `${record.weight}%`,
      `${record.checkIndex}/${record.checksPlanned}`,
      record.verdict,
      record.samples ? `${record.samples.stable} / ${record.samples.canary}` : '–',
      record.sampleRatio ? `${formatPercent(record.sampleRatio.observedShare)} (p=${formatNumber(record.sampleRatio.pValue, 3)})` : '–',
      record.reason,
    ]),
  );
}

export function metricTable(state: RolloutState): string {
  const latest = state.analysis[state.analysis.length - 1];
  if (!latest || latest.metrics.length === 0) return '';
  return table(
    ['Metric', 'Verdict', 'Stable', 'Canary', 'Change', 'p', 'Critical'],
    latest.metrics.map((metric) => [
      metric.name,
      metric.verdict,
      formatNumber(metric.stableMedian ?? null),
      formatNumber(metric.canaryMedian ?? null),
      metric.relativeChange === null || metric.relativeChange === undefined ? '–' : formatPercent(metric.relativeChange),
      formatNumber(metric.pValue ?? null, 3),
      metric.critical ? 'yes' : 'no',
    ]),
  );
}

export function eventTable(state: RolloutState, limit = 25): string {
  const events = state.events.slice(-limit).reverse();
  return table(
    ['Time', 'Event', 'Actor', 'Weight', 'Reason'],
    events.map((event) => [event.at, event.type, event.actor, event.weight === undefined ? '–' : `${event.weight}%`, event.reason]),
  );
}

export function rolloutSummary(command: string, outcome: ShellOutcome, name: string): string {
  const state = outcome.state;
  const sections: string[] = [];
  if (!state) {
    sections.push(`## gradual-rollout: ${name}\n\nNo rollout state (\`${name}-rollout\`) exists.`);
    return `${sections.join('\n\n')}\n`;
  }
  const icon = STATUS_ICON[state.status] ?? '';
  // once promoted, the stable version IS the canary's: the rollout went from the one it replaced
  const from = state.stableVersion === state.canaryVersion ? (state.lastStableVersions[0] ?? state.stableVersion) : state.stableVersion;
  sections.push(`## gradual-rollout: ${state.name} ${from} → ${state.canaryVersion}`);
  sections.push(
    [
      `**${icon} ${outcome.queued ? 'queued' : state.status}** at **${state.weight}%** (command \`${command}\`, decision \`${outcome.decision}\`): ${outcome.reason}`,
      '',
      `Steps: ${stepProgress(state)}`,
      '',
      `Rollout \`${state.id}\` in namespace \`${state.namespace}\`, router \`${state.router.kind}\`; ${state.checksRun} of ${state.steps.length * state.config.checksPerStep} planned checks used.` +
        (state.warmPrevious ? ` ${state.warmPrevious.version} is kept warm until ${state.warmPrevious.until}.` : '') +
        (state.queue.length ? ` Queued next: ${state.queue.map((q) => q.version).join(', ')}.` : ''),
    ].join('\n'),
  );
  if (outcome.plans.length > 1) {
    sections.push(`This run:\n\n${outcome.plans.map((plan, i) => `${i + 1}. \`${plan.decision}\`: ${plan.reason}`).join('\n')}`);
  }
  if (outcome.notices.length > 0) sections.push(outcome.notices.map((notice) => `- **${notice.severity}**: ${notice.message}`).join('\n'));
  sections.push(`### Analysis\n\n${analysisTable(state)}`);
  const metrics = metricTable(state);
  if (metrics) sections.push(`Latest check, per metric:\n\n${metrics}`);
  for (const summary of outcome.analysisSummaries) sections.push(details('Regression-check detail of this run', summary));
  sections.push(`### Events\n\n${eventTable(state)}`);
  sections.push(`The whole story: \`kubectl get configmap ${state.name}-rollout -n ${state.namespace} -o yaml\``);
  return `${sections.join('\n\n')}\n`;
}
