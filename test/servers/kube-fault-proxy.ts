// A fault-injecting HTTP proxy in front of a real API server: the same faults as the fake (kube-faults.ts), but
// every request that gets through is answered by the real kube-apiserver, so retry and conflict handling is
// proven against real semantics (e.g. the 409 a retried compare-and-swap gets after its first write succeeded).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { FaultInjector, injectedAnswer, type FaultRule, type RecordedRequest } from './kube-faults.ts';

export interface FaultProxy {
  url: string;
  /** The upstream's credentials, pointed at the proxy. */
  kubeConfig: KubeConfig;
  latencyMs: number;
  setFaults(rules: FaultRule[], seed?: number): void;
  clearFaults(): void;
  readonly requests: readonly RecordedRequest[];
  resetCounters(): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(upstream: KubeConfig): Promise<FaultProxy> {
  const cluster = upstream.getCurrentCluster();
  if (!cluster) throw new Error('the upstream kubeconfig has no current cluster');
  const target = new URL(cluster.server);
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const faults = new FaultInjector();
  const sockets = new Set<Socket>();

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const record = faults.record(request.method ?? 'GET', new URL(request.url ?? '/', 'http://proxy').pathname, request.headers['content-type']);
      const forward = () => {
        if (record.fault === 'reset') return void request.socket.destroy();
        if (record.fault === 'timeout') return;
        const injected = injectedAnswer(record.fault);
        if (injected) return void response.writeHead(injected.code, injected.headers).end(JSON.stringify(injected.body));
        const upstreamRequest = https.request({
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: target.host },
          agent,
        }, (upstreamResponse) => {
          const body: Buffer[] = [];
          upstreamResponse.on('data', (chunk: Buffer) => body.push(chunk));
          upstreamResponse.on('end', () => {
            // the real server has done the work; the client never hears of it
            if (record.fault === 'lost-response') return void request.socket.destroy();
            const headers = { ...upstreamResponse.headers };
            delete headers['transfer-encoding'];
            response.writeHead(upstreamResponse.statusCode ?? 502, headers).end(Buffer.concat(body));
          });
        });
        upstreamRequest.on('error', () => request.socket.destroy());
        upstreamRequest.end(Buffer.concat(chunks));
      };
      if (proxy.latencyMs > 0) setTimeout(forward, proxy.latencyMs);
      else forward();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'fault-proxy', server: url, skipTLSVerify: true }],
    users: upstream.users,
    contexts: upstream.contexts.map((context) => ({ ...context, cluster: 'fault-proxy' })),
    currentContext: upstream.getCurrentContext(),
  });

  const proxy: FaultProxy = {
    url,
    kubeConfig,
    latencyMs: 0,
    setFaults: (rules, seed) => faults.set(rules, seed),
    clearFaults: () => faults.clear(),
    get requests() {
      return faults.requests;
    },
    resetCounters() {
      faults.requests = [];
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
