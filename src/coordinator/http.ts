// The coordinator's HTTP front: JSON-RPC 2.0 on POST / (one request per body), GET /healthz
// (process is up), GET /readyz (enough nodes reachable to sign) and GET /metrics (Prometheus).
// Bodies larger than the limit, non-JSON bodies and malformed requests get proper JSON-RPC errors
// and the server keeps serving. Listens on the configured host (127.0.0.1 by default).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.ts';
import { RpcError, RpcErrorCode, errorResponse, parseRequest, successResponse, type JsonRpcId } from '../rpc/index.ts';
import type { Metrics } from './metrics.ts';

export interface HttpOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  handle(method: string, params: unknown): Promise<unknown>;
  ready(): boolean;
  metrics: Metrics;
  log: Logger;
  /** Extra routes (e.g. WebSocket upgrades added by later modules) can attach to the server. */
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startHttp(o: HttpOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void route(o, req, res).catch((e: Error) => {
      o.log.error('http handler failed', { error: e.message });
      if (!res.headersSent) send(res, 500, errorResponse(null, e));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.address}:${addr.port}`;
  o.log.info('rpc listening', { url });
  return {
    server,
    url,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function route(o: HttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') return send(res, 200, { status: 'ok' });
  if (req.method === 'GET' && path === '/readyz') return o.ready() ? send(res, 200, { status: 'ready' }) : send(res, 503, { status: 'not ready' });
  if (req.method === 'GET' && path === '/metrics') return send(res, 200, o.metrics.render(), 'text/plain; version=0.0.4');
  if (path !== '/') return send(res, 404, { error: 'not found' });
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return send(res, 405, errorResponse(null, new RpcError(RpcErrorCode.INVALID_REQUEST, 'use POST for JSON-RPC', { reason: 'invalid_request' })));
  }
  let raw: Buffer;
  try {
    raw = await readBody(req, o.maxBodyBytes);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      o.metrics.requests.inc({ method: 'unknown', outcome: 'too_large' });
      return send(res, 413, errorResponse(null, new RpcError(RpcErrorCode.INVALID_REQUEST, `request body exceeds ${o.maxBodyBytes} bytes`, { reason: 'body_too_large' })));
    }
    throw e;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    o.metrics.requests.inc({ method: 'unknown', outcome: 'parse_error' });
    return send(res, 200, errorResponse(null, new RpcError(RpcErrorCode.PARSE_ERROR, 'request body is not valid JSON', { reason: 'parse_error' })));
  }
  let id: JsonRpcId = null;
  const started = performance.now();
  let method = 'unknown';
  try {
    const request = parseRequest(body);
    id = request.id;
    method = request.method;
    const result = await o.handle(request.method, request.params);
    o.metrics.requests.inc({ method, outcome: 'ok' });
    o.metrics.duration.observe((performance.now() - started) / 1000, { method });
    return send(res, 200, successResponse(id, result));
  } catch (e) {
    if (e instanceof RpcError && e.data && 'id' in e.data && id === null) id = (e.data.id as JsonRpcId) ?? null;
    const rpc = e instanceof RpcError ? e : undefined;
    if (!rpc) o.log.error('request failed', { method, error: (e as Error).message, stack: (e as Error).stack });
    else o.log.info('request refused', { method, code: rpc.code, reason: rpc.data?.reason, message: rpc.message });
    o.metrics.requests.inc({ method: knownMethod(method), outcome: rpc?.data?.reason ?? 'internal' });
    return send(res, 200, errorResponse(id, e));
  }
}

function knownMethod(m: string): string {
  return /^dan_[A-Za-z]{1,32}$/.test(m) ? m : 'unknown';
}
