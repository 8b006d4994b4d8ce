// The node's operations endpoint, apart from the public JSON-RPC: GET /livez (the process answers),
// GET /readyz (it can take part: connected to another operator) and GET /metrics (Prometheus text
// format, src/metrics). On ops.host:ops.port, 127.0.0.1 by default: metrics name peers and keys'
// signer sets, so they are for the operator's monitoring, not for the internet. Every node serves it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.ts';
import type { Registry } from '../metrics/registry.ts';
import { ConfigError } from '../node/config.ts';

export interface OpsOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Readiness and what it was decided on (shown in the body). */
  ready(): { ready: boolean } & Record<string, unknown>;
  log: Logger;
}

export async function startOps(o: OpsOptions): Promise<{ url: string; close(): Promise<void> }> {
  const started = Date.now();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'use GET' });
    if (path === '/livez' || path === '/healthz') return json(200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) });
    if (path === '/readyz') {
      const { ready, ...detail } = o.ready();
      return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...detail });
    }
    if (path === '/metrics') {
      o.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': o.registry.contentType });
          res.end(text);
        },
        (e: Error) => {
          o.log.error('metrics collection failed', { error: e.message });
          json(500, { error: 'metrics collection failed' });
        },
      );
      return;
    }
    json(404, { error: `no such path ${JSON.stringify(path.slice(0, 80))}: GET /livez, /readyz or /metrics` });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new ConfigError([`ops endpoint: cannot listen on ${o.host}:${o.port} (${e.code ?? e.message}): set ops.port, DAN_NODE_OPS=HOST:PORT or --ops HOST:PORT (off turns it off)`], 'ops')),
    );
    server.listen(o.port, o.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
