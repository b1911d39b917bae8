import { InputError } from '../../action/index.ts';
import { ConfigMapRouter } from './configmap.ts';
import { GatewayApiRouter } from './gateway-api.ts';
import { IstioRouter } from './istio.ts';
import { NginxRouter } from './nginx.ts';
import { ReplicasRouter } from './replicas.ts';
import { TRAFFIC_ROUTER_KINDS, type RouterDependencies, type RouterTarget, type TrafficRouter, type TrafficRouterKind } from './router.ts';

export * from './router.ts';
export { ReplicasRouter, splitReplicas, REPLICA_SHARE_TOLERANCE, TOTAL_ANNOTATION } from './replicas.ts';
export { NginxRouter, canaryIngressSpec, NGINX_CANARY, NGINX_CANARY_WEIGHT } from './nginx.ts';
export { GatewayApiRouter, weightHttpRouteRules, readHttpRouteWeight } from './gateway-api.ts';
export { IstioRouter, weightIstioRoute, readIstioWeight } from './istio.ts';
export { ConfigMapRouter, routingConfigMapName, stickyBucket, stickyTrack, ROUTING_KEYS } from './configmap.ts';
export { HTTP_ROUTE, VIRTUAL_SERVICE, readCustomObject, updateCustomObject, type CustomObject, type CustomResource } from './custom-object.ts';

export function isTrafficRouterKind(value: string): value is TrafficRouterKind {
  return (TRAFFIC_ROUTER_KINDS as readonly string[]).includes(value);
}

/** The router for the `traffic-router` input; errors name the input that is missing. */
export function createTrafficRouter(kind: string, dependencies: RouterDependencies, target: RouterTarget): TrafficRouter {
  const need = (input: 'ingress' | 'httproute' | 'virtualservice'): string => {
    const value = target[input];
    if (!value) throw new InputError(input, `is required when traffic-router is '${kind}'. Name the ${input === 'ingress' ? 'Ingress' : input === 'httproute' ? 'HTTPRoute' : 'VirtualService'} that routes to the stable Service.`);
    return value;
  };
  switch (kind) {
    case 'replicas':
      return new ReplicasRouter(dependencies, target);
    case 'nginx':
      return new NginxRouter(dependencies, { ...target, ingress: need('ingress') });
    case 'gateway-api':
      return new GatewayApiRouter(dependencies, { ...target, httproute: need('httproute') });
    case 'istio':
      return new IstioRouter(dependencies, { ...target, virtualservice: need('virtualservice') });
    case 'configmap':
      return new ConfigMapRouter(dependencies, target);
    default:
      throw new InputError('traffic-router', `'${kind}' is not a traffic router. Use one of: ${TRAFFIC_ROUTER_KINDS.join(', ')}.`);
  }
}
