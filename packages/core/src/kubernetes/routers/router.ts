// One interface over the five ways to split traffic between the stable and the canary track.
import type { AuditContext } from '../audit.ts';
import type { KubeClient } from '../client.ts';
import type { PodLabelMode } from '../labels.ts';

export const TRAFFIC_ROUTER_KINDS = ['replicas', 'nginx', 'gateway-api', 'istio', 'configmap'] as const;
export type TrafficRouterKind = (typeof TRAFFIC_ROUTER_KINDS)[number];

export interface RouterTarget {
  namespace: string;
  /** The stable Deployment; the canary is `<name>-canary`. */
  name: string;
  /** The stable Service (default: `name`); weighted routers send the canary share to `<service>-canary`. */
  service?: string;
  /** nginx: the stable Ingress; the router manages `<ingress>-canary`. */
  ingress?: string;
  /** gateway-api: the HTTPRoute whose rule points at the stable Service. */
  httproute?: string;
  /** istio: the VirtualService whose http route points at the stable Service. */
  virtualservice?: string;
  /** configmap: versions written next to the weight, for the application to pick from. */
  stableVersion?: string;
  canaryVersion?: string;
}

export interface WeightResult {
  /** The canary share asked for, in percent. */
  requested: number;
  /** The canary share the cluster now gives (differs for the replicas router when replicas cannot match). */
  effective: number;
  /** Set when the effective share is far from the requested one. */
  warning?: string;
}

export interface TrafficRouter {
  readonly kind: TrafficRouterKind;
  /** How canary pods must be labelled for this router to route to them. */
  readonly podLabelMode: PodLabelMode;
  /** Creates what is missing for the router to work (canary Ingress, backendRef, ...), without moving traffic. */
  ensure(): Promise<void>;
  /** Sends `weight` percent (0..100) of traffic to the canary. Idempotent. */
  applyWeight(weight: number): Promise<WeightResult>;
  /** The canary share the cluster currently routes, in percent (0 when nothing routes to the canary). */
  readWeight(): Promise<number>;
  /** All traffic back to stable. */
  reset(): Promise<WeightResult>;
}

export interface RouterDependencies {
  client: KubeClient;
  audit: AuditContext;
}

export function checkWeight(weight: number): void {
  if (!Number.isFinite(weight) || weight < 0 || weight > 100) {
    throw new RangeError(`Canary weight must be between 0 and 100, got ${weight}`);
  }
}

export const WEIGHT_ANNOTATION = 'model-cicd.dev/canary-weight';
