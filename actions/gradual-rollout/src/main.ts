import * as core from '@actions/core';
import { emitAnnotations, InputReader, omittedAnnotationsNote, publishReport, runAction, table, writeSummary, type Annotation } from '@model-cicd/core/action';
import { auditContextFromEnv, KubeClient, loadKubeConfig, Workloads, type AuditContext } from '@model-cicd/core/kubernetes';
import {
  KubeRolloutCluster,
  progressAll,
  rolloutSummary,
  runCommand,
  type CommandRequest,
  type ProgressAllResult,
  type ShellHooks,
  type ShellOutcome,
} from '@model-cicd/core/rollout';
import { mirrorDeployment } from './deployment.ts';
import { readSettings, type GradualRolloutSettings } from './inputs.ts';

export async function run(): Promise<void> {
  await runAction(async () => {
    const settings = readSettings(new InputReader((name) => core.getInput(name)));
    const runStartedAt = settings.now ?? new Date().toISOString();
    if (settings.kubeconfig) core.setSecret(settings.kubeconfig);
    const loaded = loadKubeConfig({ input: settings.kubeconfig });
    const client = new KubeClient(loaded.kubeConfig);
    const audit = auditContextFromEnv(process.env, settings.start?.version);
    core.info(`Kubernetes API ${loaded.server} (credentials from ${loaded.source}), namespace ${settings.namespace}`);
    if (settings.command === 'progress' && !settings.name) {
      const actor = settings.actor;
      const namespace = settings.namespace === '*' ? undefined : settings.namespace;
      const all = await progressAll({ client, namespace, actor, clusterFor: (name, ns) => clusterFor(client, settings, audit, name, ns) });
      await reportAll(settings, all);
      for (const result of all.results) if (result.outcome) await mirrorDeployment(settings, result.outcome, result.name, runStartedAt);
      return;
    }
    const outcome = await runOne(client, settings, audit, settings.name!);
    await report(settings, outcome, settings.name!);
    await mirrorDeployment(settings, outcome, settings.name!, runStartedAt);
  });
}

function clusterFor(client: KubeClient, settings: GradualRolloutSettings, audit: AuditContext, name: string, namespace = settings.namespace): KubeRolloutCluster {
  const clock = settings.now;
  return new KubeRolloutCluster({
    now: clock ? () => clock : undefined,
    client,
    namespace,
    name,
    audit,
    prometheus: settings.prometheusUrl ? { url: settings.prometheusUrl } : undefined,
    metricsConfigFile: settings.metricsConfigFile,
    workspace: settings.workspace,
  });
}

/** Runs one command on one rollout; exported so tests can run it in-process with a crash hook. */
export async function runOne(client: KubeClient, settings: GradualRolloutSettings, audit: AuditContext, name: string, hooks: ShellHooks = {}, namespace = settings.namespace): Promise<ShellOutcome> {
  const cluster = clusterFor(client, settings, audit, name, namespace);
  const request: CommandRequest = { command: settings.command, name, namespace, actor: settings.actor, start: settings.start, weight: settings.weight };
  if (settings.command === 'start' && settings.promptBundle && settings.start) {
    // validate everything read-only first, then store the bundle under its content hash (never overwritten)
    await cluster.preflight(settings.start.router, settings.start.canary);
    const bundle = await new Workloads(client, audit).ensurePromptConfigMap(namespace, name, settings.promptBundle.files, settings.start.version);
    request.start = { ...settings.start, canary: { ...settings.start.canary, promptConfigMap: bundle.name } };
    core.info(`Prompt bundle ${settings.promptBundle.source} is ConfigMap ${bundle.name}${bundle.created ? ' (created)' : ' (already there)'}`);
  }
  return runCommand(cluster, request, hooks);
}

function annotationsOf(outcome: ShellOutcome, name: string): Annotation[] {
  const annotations: Annotation[] = outcome.notices.map((notice) => ({ severity: notice.severity, message: notice.message, title: `gradual-rollout ${name}` }));
  if (outcome.decision === 'hold' && !outcome.notices.some((notice) => notice.severity !== 'notice')) {
    annotations.push({ severity: 'notice', message: `Holding: ${outcome.reason}`, title: `gradual-rollout ${name}` });
  }
  if (outcome.conflict) annotations.push({ severity: 'notice', message: outcome.conflict, title: `gradual-rollout ${name}` });
  const order = { error: 0, warning: 1, notice: 2 } as const;
  return annotations.sort((a, b) => order[a.severity] - order[b.severity]);
}

function reportOf(settings: GradualRolloutSettings, outcome: ShellOutcome, name: string) {
  const state = outcome.state;
  return {
    command: settings.command,
    name,
    namespace: state?.namespace ?? settings.namespace,
    status: outcome.queued ? 'queued' : (state?.status ?? 'none'),
    weight: state?.weight ?? 0,
    step: state ? state.currentStep + 1 : 0,
    decision: outcome.decision,
    reason: outcome.reason,
    rolloutId: state?.id ?? '',
    conflict: outcome.conflict,
    notices: outcome.notices,
    writes: outcome.writes,
    state,
  };
}

async function report(settings: GradualRolloutSettings, outcome: ShellOutcome, name: string): Promise<void> {
  const result = reportOf(settings, outcome, name);
  core.setOutput('status', result.status);
  core.setOutput('weight', String(result.weight));
  core.setOutput('step', String(result.step));
  core.setOutput('decision', result.decision);
  core.setOutput('rollout-id', result.rolloutId);
  const tally = emitAnnotations(annotationsOf(outcome, name));
  const note = omittedAnnotationsNote(tally);
  await writeSummary(rolloutSummary(settings.command, outcome, name) + (note ? `\n${note}\n` : ''));
  await publishReport(`gradual-rollout-${name}.json`, result);
  core.info(`${name}: ${result.status} at ${result.weight}% (decision ${result.decision}): ${result.reason}`);
}

async function reportAll(settings: GradualRolloutSettings, { results, found }: ProgressAllResult): Promise<void> {
  const annotations: Annotation[] = [
    ...results.filter((r) => r.error).map((r): Annotation => ({ severity: 'error', message: `${r.namespace}/${r.name}: ${r.error}`, title: 'gradual-rollout progress' })),
    ...results.flatMap((r) => (r.outcome ? annotationsOf(r.outcome, `${r.namespace}/${r.name}`) : [])),
  ];
  const order = { error: 0, warning: 1, notice: 2 } as const;
  const tally = emitAnnotations(annotations.sort((a, b) => order[a.severity] - order[b.severity]));
  const rows = results.map((r) => [
    `${r.namespace}/${r.name}`,
    r.outcome?.state ? `${r.outcome.state.stableVersion} → ${r.outcome.state.canaryVersion}` : '–',
    r.outcome?.state?.status ?? 'error',
    r.outcome?.state ? `${r.outcome.state.weight}%` : '–',
    r.outcome?.decision ?? '–',
    r.error ?? r.outcome?.reason ?? '',
  ]);
  const changed = results.filter((r) => r.outcome && r.outcome.writes > 0);
  const sections = [
    `## gradual-rollout: progress of ${results.length} rollout${results.length === 1 ? '' : 's'} (${found - results.length} finished ones skipped)`,
    results.length ? table(['Rollout', 'Versions', 'Status', 'Weight', 'Decision', 'Reason'], rows) : '_No rollout needed a tick._',
    ...changed.map((r) => rolloutSummary('progress', r.outcome!, r.name).replace(/^## /, '### ')),
  ];
  const note = omittedAnnotationsNote(tally);
  if (note) sections.push(note);
  await writeSummary(`${sections.join('\n\n')}\n`);
  const rank = { noop: 0, hold: 1, advance: 2, complete: 3, rollback: 4 } as const;
  const worst = results.reduce<keyof typeof rank>((top, r) => (r.outcome && rank[r.outcome.decision] > rank[top] ? r.outcome.decision : top), 'noop');
  core.setOutput('status', results.map((r) => `${r.namespace}/${r.name}=${r.outcome?.state?.status ?? 'error'}`).join(','));
  core.setOutput('weight', results.map((r) => `${r.namespace}/${r.name}=${r.outcome?.state?.weight ?? ''}`).join(','));
  core.setOutput('step', results.map((r) => `${r.namespace}/${r.name}=${r.outcome?.state ? r.outcome.state.currentStep + 1 : ''}`).join(','));
  core.setOutput('decision', worst);
  core.setOutput('rollout-id', results.map((r) => r.outcome?.state?.id ?? '').filter(Boolean).join(','));
  await publishReport('gradual-rollout-progress.json', { command: 'progress', namespace: settings.namespace, rollouts: results.map((r) => (r.outcome ? reportOf(settings, r.outcome, r.name) : { name: r.name, namespace: r.namespace, error: r.error })) });
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) core.setFailed(`${failed.length} of ${results.length} rollouts could not be ticked: ${failed.map((r) => `${r.namespace}/${r.name}`).join(', ')}`);
}
