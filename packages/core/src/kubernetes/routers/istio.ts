// The istio router: weights on the two destinations (stable Service host, `<service>-canary` host) of every
// VirtualService http route that sends traffic to the stable Service. Sent as a JSON patch that replaces each
// route list and carries the read's resourceVersion, so a concurrent edit makes it fail instead of being lost.
import { PatchStrategy } from '@kubernetes/client-node';
import { auditAnnotations } from '../audit.ts';
import { canaryName } from '../labels.ts';
import { pointerSegment, readCustomObject, updateCustomObject, VIRTUAL_SERVICE, type CustomObject } from './custom-object.ts';
import { CanaryServiceRouter } from './exact-weight-router.ts';
import { WEIGHT_ANNOTATION, type RouterDependencies, type RouterTarget, type TrafficRouter } from './router.ts';

interface Destination {
  destination: { host: string; subset?: string; port?: { number?: number } };
  weight?: number;
  [key: string]: unknown;
}
interface HttpRoute {
  route?: Destination[];
  [key: string]: unknown;
}

/** `checkout`, `checkout.shop`, `checkout.shop.svc.cluster.local` all name the Service `checkout`. */
const hostService = (host: string) => host.split('.')[0];
/** The canary host in the same form as the stable one (short name or FQDN). */
const canaryHost = (host: string) => [canaryName(hostService(host)), ...host.split('.').slice(1)].join('.');

const isStable = (destination: Destination, service: string) =>
  hostService(destination.destination.host) === service && !destination.destination.subset;
const isCanary = (destination: Destination, service: string) => hostService(destination.destination.host) === canaryName(service);

/** The route list with the canary share set, or undefined when the route does not send to `service` (pure). */
export function weightIstioRoute(route: Destination[], service: string, weight: number): Destination[] | undefined {
  const stable = route.find((destination) => isStable(destination, service));
  if (!stable) return undefined;
  const others = route.filter((destination) => !isStable(destination, service) && !isCanary(destination, service));
  const canary: Destination = { ...stable, destination: { ...stable.destination, host: canaryHost(stable.destination.host) }, weight };
  return [{ ...stable, weight: 100 - weight }, canary, ...others];
}

export function readIstioWeight(http: HttpRoute[], service: string): number {
  for (const entry of http) {
    const route = entry.route ?? [];
    const stable = route.find((destination) => isStable(destination, service));
    if (!stable) continue;
    const canary = route.find((destination) => isCanary(destination, service));
    if (!canary) return 0;
    const total = (stable.weight ?? 0) + (canary.weight ?? 0);
    return total === 0 ? 0 : ((canary.weight ?? 0) / total) * 100;
  }
  return 0;
}

export class IstioRouter extends CanaryServiceRouter implements TrafficRouter {
  readonly kind = 'istio' as const;
  private readonly virtualService: string;

  constructor(dependencies: RouterDependencies, target: RouterTarget & { virtualservice: string }) {
    super(dependencies, target);
    this.virtualService = target.virtualservice;
  }

  async readWeight(): Promise<number> {
    const object = await readCustomObject(this.dependencies.client, VIRTUAL_SERVICE, this.namespace, this.virtualService);
    return readIstioWeight(httpOf(object), this.service);
  }

  protected async write(weight: number | undefined): Promise<void> {
    await updateCustomObject(this.dependencies.client, VIRTUAL_SERVICE, this.namespace, this.virtualService, PatchStrategy.JsonPatch, (current) => {
      const http = httpOf(current);
      const target = weight ?? readIstioWeight(http, this.service);
      const operations: object[] = [];
      http.forEach((entry, index) => {
        const route = weightIstioRoute(entry.route ?? [], this.service, target);
        if (route && JSON.stringify(route) !== JSON.stringify(entry.route)) {
          operations.push({ op: 'replace', path: `/spec/http/${index}/route`, value: route });
        }
      });
      if (!http.some((entry) => weightIstioRoute(entry.route ?? [], this.service, target))) {
        throw new Error(`VirtualService '${this.virtualService}' in namespace '${this.namespace}' has no http route to host '${this.service}'. Set the 'service' input to the Service the VirtualService routes to.`);
      }
      if (operations.length === 0 && weight === undefined) return undefined;
      // replacing resourceVersion with the value we read makes the server reject the patch if it changed since
      operations.unshift({ op: 'replace', path: '/metadata/resourceVersion', value: current.metadata.resourceVersion });
      const annotations = { ...auditAnnotations(this.dependencies.audit), [WEIGHT_ANNOTATION]: String(target) };
      if (!current.metadata.annotations) {
        operations.push({ op: 'add', path: '/metadata/annotations', value: annotations });
      } else {
        for (const [key, value] of Object.entries(annotations)) {
          operations.push({ op: 'add', path: `/metadata/annotations/${pointerSegment(key)}`, value });
        }
      }
      return operations;
    });
  }
}

const httpOf = (object: CustomObject) => ((object.spec?.http ?? []) as HttpRoute[]);
