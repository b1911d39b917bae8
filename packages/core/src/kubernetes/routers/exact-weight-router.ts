// What the routers whose traffic split is exactly the weight they write have in common (every router but
// `replicas`, which can only split by whole pods).
import { Workloads } from '../workload.ts';
import { checkWeight, type RouterDependencies, type RouterTarget, type WeightResult } from './router.ts';

export abstract class ExactWeightRouter {
  protected readonly dependencies: RouterDependencies;

  constructor(dependencies: RouterDependencies) {
    this.dependencies = dependencies;
  }

  async applyWeight(weight: number): Promise<WeightResult> {
    checkWeight(weight);
    await this.write(weight);
    return { requested: weight, effective: weight };
  }

  async reset(): Promise<WeightResult> {
    return this.applyWeight(0);
  }

  /** Writes the canary share; with `undefined`, only creates what is missing and keeps the current share. */
  protected abstract write(weight: number | undefined): Promise<void>;
}

/** Routers that weight the stable Service against `<service>-canary` inside a gateway or mesh resource. */
export abstract class CanaryServiceRouter extends ExactWeightRouter {
  readonly podLabelMode = 'separate-service' as const;
  protected readonly namespace: string;
  protected readonly service: string;

  constructor(dependencies: RouterDependencies, target: RouterTarget) {
    super(dependencies);
    this.namespace = target.namespace;
    this.service = target.service ?? target.name;
  }

  async ensure(): Promise<void> {
    await new Workloads(this.dependencies.client, this.dependencies.audit).ensureCanaryService(this.namespace, this.service);
    await this.write(undefined);
  }
}
