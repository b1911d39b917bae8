// The audit trail: every object the actions write carries who changed it, from which run, and to which version,
// so `kubectl get -o yaml` answers "where did this come from" and a rollback can find the last good version.

export const ANNOTATION_PREFIX = 'model-cicd.dev';
export const AUDIT_ANNOTATIONS = {
  version: `${ANNOTATION_PREFIX}/version`,
  runId: `${ANNOTATION_PREFIX}/run-id`,
  sha: `${ANNOTATION_PREFIX}/sha`,
  actor: `${ANNOTATION_PREFIX}/actor`,
  runUrl: `${ANNOTATION_PREFIX}/run-url`,
  updatedAt: `${ANNOTATION_PREFIX}/updated-at`,
} as const;

export interface AuditContext {
  /** The version this write rolls out (or rolls back to). */
  version?: string;
  runId?: string;
  sha?: string;
  actor?: string;
  runUrl?: string;
}

/** Reads the run's identity from the GitHub Actions environment. */
export function auditContextFromEnv(env: Record<string, string | undefined> = process.env, version?: string): AuditContext {
  const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` +
      (env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '')
    : undefined;
  return { version, runId: env.GITHUB_RUN_ID, sha: env.GITHUB_SHA, actor: env.GITHUB_ACTOR, runUrl };
}

/** The annotations for one write; fields that are unknown are left out rather than written empty. */
export function auditAnnotations(context: AuditContext, now: Date = new Date()): Record<string, string> {
  const annotations: Record<string, string> = {};
  const fields: Array<[keyof AuditContext, string]> = [
    ['version', AUDIT_ANNOTATIONS.version],
    ['runId', AUDIT_ANNOTATIONS.runId],
    ['sha', AUDIT_ANNOTATIONS.sha],
    ['actor', AUDIT_ANNOTATIONS.actor],
    ['runUrl', AUDIT_ANNOTATIONS.runUrl],
  ];
  for (const [field, key] of fields) {
    const value = context[field];
    if (value) annotations[key] = value;
  }
  annotations[AUDIT_ANNOTATIONS.updatedAt] = now.toISOString();
  return annotations;
}

/** Returns `metadata` with the audit annotations added (other annotations kept). */
export function stampAudit<M extends object>(
  metadata: M & { annotations?: Record<string, string> },
  context: AuditContext,
): M & { annotations: Record<string, string> } {
  return { ...metadata, annotations: { ...metadata.annotations, ...auditAnnotations(context) } };
}
