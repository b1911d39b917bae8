// The one place that talks to the Kubernetes API: typed client-node APIs, a deadline on every request,
// the patch content type chosen per call, retries for idempotent calls, and errors that name the object.
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  NetworkingV1Api,
  Observable,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type PatchStrategy,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { isTransient, KubernetesError, toKubernetesError, type ObjectRef } from './errors.ts';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.ts';

export type CallOptions = ConfigurationOptions<ObservableMiddleware>;

export interface KubeClientOptions {
  /** Deadline for one HTTP request (default 15 s). A request that hangs longer fails and may be retried. */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Replaces the wait between retries (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
}

export interface CallSettings {
  /**
   * Retry on 429, 5xx, timeouts and broken connections (default true). Every write in this layer is safe to
   * repeat: absolute patches, or writes guarded by resourceVersion / AlreadyExists whose callers re-read on conflict.
   */
  retry?: boolean;
  /** Content type for PATCH calls. client-node defaults to JSON Patch, which rejects object bodies. */
  patch?: PatchStrategy;
}

function middleware(pre: (context: RequestContext) => void): ObservableMiddleware {
  return {
    pre: (context: RequestContext) => {
      pre(context);
      return new Observable(Promise.resolve(context));
    },
    post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
  };
}

export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly networking: NetworkingV1Api;
  readonly custom: CustomObjectsApi;
  /** HTTP requests sent so far, retries included (reports and benchmarks show the API cost of a command). */
  requestCount = 0;
  private readonly requestTimeoutMs: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly sleep?: (ms: number) => Promise<void>;

  constructor(kubeConfig: KubeConfig, options: KubeClientOptions = {}) {
    this.kubeConfig = kubeConfig;
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.networking = kubeConfig.makeApiClient(NetworkingV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep;
  }

  /** The namespace of the kubeconfig's current context, if it names one. */
  get contextNamespace(): string | undefined {
    const context = this.kubeConfig.getContextObject(this.kubeConfig.getCurrentContext());
    return context?.namespace || undefined;
  }

  /**
   * Runs one API call. `operation` receives the per-request options (deadline, patch content type) and the
   * attempt number, so a caller can recognise its own earlier write after an ambiguous failure.
   */
  async call<T>(
    ref: ObjectRef,
    action: string,
    operation: (options: CallOptions, attempt: number) => Promise<T>,
    settings: CallSettings = {},
  ): Promise<T> {
    return withRetry(
      async (attempt) => {
        try {
          this.requestCount++;
          return await operation(this.options(settings.patch), attempt);
        } catch (error) {
          throw toKubernetesError(error, ref, action);
        }
      },
      this.retryPolicy,
      (error) => {
        const retry = settings.retry !== false && error instanceof KubernetesError && isTransient(error);
        const seconds = error instanceof KubernetesError ? error.retryAfterSeconds : undefined;
        return { retry, minimumDelayMs: seconds !== undefined ? seconds * 1000 : undefined };
      },
      this.sleep,
    );
  }

  private options(patch?: PatchStrategy): CallOptions {
    const timeoutMs = this.requestTimeoutMs;
    const middlewares = [middleware((context) => context.setSignal(AbortSignal.timeout(timeoutMs)))];
    if (patch) middlewares.push(middleware((context) => context.setHeaderParam('Content-Type', patch)));
    return { middleware: middlewares, middlewareMergeStrategy: 'append' };
  }
}
