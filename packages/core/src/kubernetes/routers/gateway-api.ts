// The gateway-api router: weights on the two backendRefs (stable Service, `<service>-canary`) of every HTTPRoute
// rule that routes to the stable Service. Merge patch replaces whole lists, so the full rules list is sent, with
// the read's resourceVersion as a precondition.
import { PatchStrategy } from '@kubernetes/client-node';
import { auditAnnotations } from '../audit.ts';
import { canaryName } from '../labels.ts';
import { HTTP_ROUTE, readCustomObject, updateCustomObject, type CustomObject } from './custom-object.ts';
import { CanaryServiceRouter } from './exact-weight-router.ts';
import { WEIGHT_ANNOTATION, type RouterDependencies, type RouterTarget, type TrafficRouter } from './router.ts';

interface BackendRef {
  name: string;
  kind?: string;
  group?: string;
  namespace?: string;
  port?: number;
  weight?: number;
  [key: string]: unknown;
}
interface Rule {
  backendRefs?: BackendRef[];
  [key: string]: unknown;
}

const isServiceRef = (ref: BackendRef, name: string) =>
  ref.name === name && (ref.kind ?? 'Service') === 'Service' && (ref.group ?? '') === '' && ref.namespace === undefined;

/** The rules with the canary share set on every rule that routes to `service` (pure). */
export function weightHttpRouteRules(rules: Rule[], service: string, weight: number, routeName: string): Rule[] {
  let found = false;
  const next = rules.map((rule) => {
    const refs = rule.backendRefs ?? [];
    const stable = refs.find((ref) => isServiceRef(ref, service));
    if (!stable) return rule;
    found = true;
    const others = refs.filter((ref) => !isServiceRef(ref, service) && !isServiceRef(ref, canaryName(service)));
    const canary: BackendRef = { ...stable, name: canaryName(service), weight };
    return { ...rule, backendRefs: [{ ...stable, weight: 100 - weight }, canary, ...others] };
  });
  if (!found) {
    throw new Error(`HTTPRoute '${routeName}' has no rule with a backendRef to Service '${service}'. Set the 'service' input to the Service the route sends traffic to.`);
  }
  return next;
}

/** The canary share of the first rule that routes to `service`, in percent (pure). */
export function readHttpRouteWeight(rules: Rule[], service: string): number {
  for (const rule of rules) {
    const refs = rule.backendRefs ?? [];
    const stable = refs.find((ref) => isServiceRef(ref, service));
    if (!stable) continue;
    const canary = refs.find((ref) => isServiceRef(ref, canaryName(service)));
    const canaryWeight = canary?.weight ?? (canary ? 1 : 0);
    const total = (stable.weight ?? 1) + canaryWeight;
    return total === 0 ? 0 : (canaryWeight / total) * 100;
  }
  return 0;
}

export class GatewayApiRouter extends CanaryServiceRouter implements TrafficRouter {
  readonly kind = 'gateway-api' as const;
  private readonly route: string;

  constructor(dependencies: RouterDependencies, target: RouterTarget & { httproute: string }) {
    super(dependencies, target);
    this.route = target.httproute;
  }

  async readWeight(): Promise<number> {
    const route = await readCustomObject(this.dependencies.client, HTTP_ROUTE, this.namespace, this.route);
    return readHttpRouteWeight(rulesOf(route), this.service);
  }

  /** weight undefined: make sure the canary backendRef exists, keeping the current share. */
  protected async write(weight: number | undefined): Promise<void> {
    await updateCustomObject(this.dependencies.client, HTTP_ROUTE, this.namespace, this.route, PatchStrategy.MergePatch, (current) => {
      const rules = rulesOf(current);
      const target = weight ?? readHttpRouteWeight(rules, this.service);
      const next = weightHttpRouteRules(rules, this.service, target, this.route);
      if (weight === undefined && JSON.stringify(next) === JSON.stringify(rules)) return undefined;
      return {
        metadata: {
          resourceVersion: current.metadata.resourceVersion,
          annotations: { ...auditAnnotations(this.dependencies.audit), [WEIGHT_ANNOTATION]: String(target) },
        },
        spec: { rules: next },
      };
    });
  }
}

const rulesOf = (route: CustomObject) => ((route.spec?.rules ?? []) as Rule[]);
