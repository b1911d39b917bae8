// Kubernetes access for the model-cicd actions: the one place that talks to the API server.
export * from './errors.ts';
export * from './retry.ts';
export * from './client.ts';
export * from './kubeconfig.ts';
export * from './audit.ts';
export * from './labels.ts';
export * from './state-store.ts';
export * from './workload.ts';
export * from './routers/index.ts';
