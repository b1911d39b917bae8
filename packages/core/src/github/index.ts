// Thin GitHub access shared by the actions: changed files, base-branch content, sticky comments, check runs,
// rollout deployments.
export * from './changed-files.ts';
export * from './check-run.ts';
export * from './client.ts';
export * from './deployment.ts';
export * from './diff.ts';
export * from './file-content.ts';
export * from './pull-request.ts';
export * from './sticky-comment.ts';
