// The coordinator's HTTP front: JSON-RPC 2.0 on POST / (a request or a batch per body, content-type
// application/json), GET /healthz (process is up) and GET /readyz (every operator connected).
// Metrics are not served here but on the node's ops port (daemon/ops.ts). Bodies larger than the limit, other content types, non-JSON bodies,
// duplicate keys, other paths and malformed requests get JSON-RPC errors and the server keeps
// serving. Clients are bounded: time to send headers and a whole request (not the handler's time),
// keep-alive idle time, connections in all and per remote address (beyond it: 503 BUSY, closed).
// Listens on the configured host (127.0.0.1 by default).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DanError } from '../errors/index.ts';
import type { Logger } from '../log/logger.ts';
import { RpcError, RpcErrorCode, errorResponse, parseBatch, parseRequest, parseStrictJson, successResponse, type JsonRpcId, type JsonRpcResponse } from '../rpc/index.ts';
import type { RpcMetrics } from './metrics.ts';

/** Defaults of the connection limits and time-outs in HttpOptions. */
export const HTTP_LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // Longer than a client's pause between calls: a client whose event loop stalls past the server's
  // close can otherwise reuse a connection the server just closed (and see the request fail).
  keepAliveTimeoutMs: 30_000,
  maxConnections: 1024,
  maxConnectionsPerClient: 64,
} as const;

/** What a client refused for holding too many connections is told to wait before retrying. */
const BUSY_RETRY_AFTER_MS = 1_000;
/** How long a refused connection may linger (so the client can read the 503) before it is destroyed. */
const REFUSED_LINGER_MS = 1_000;

export interface HttpOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  handle(method: string, params: unknown): Promise<unknown>;
  ready(): boolean;
  metrics: RpcMetrics;
  log: Logger;
  /** Time a client has to send a request's headers, from connecting or from the request's first byte (default 10 s). */
  headersTimeoutMs?: number;
  /** Time a client has to send a whole request, headers and body (default 30 s); the handler's own time is not bounded here. */
  requestTimeoutMs?: number;
  /** Idle time after which a kept-alive connection is closed (default 30 s). */
  keepAliveTimeoutMs?: number;
  /** Most connections open at once; more are dropped when accepted (default 1024). */
  maxConnections?: number;
  /** Most connections open at once from one remote address (default 64); more get 503 BUSY and are closed. */
  maxConnectionsPerClient?: number;
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

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The raw 503 written to a connection refused before any request was read. */
function busyResponse(perClient: number): string {
  const error = new DanError('BUSY', `too many open connections from this client (at most ${perClient})`, { retryAfterMs: BUSY_RETRY_AFTER_MS });
  const body = JSON.stringify(errorResponse(null, error));
  return [
    'HTTP/1.1 503 Service Unavailable',
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    `retry-after: ${Math.ceil(BUSY_RETRY_AFTER_MS / 1000)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Count open connections per remote address; one over `perClient` gets the 503 at once and is
 * closed. Returns the refused sockets: requests the HTTP parser still reads from them are dropped.
 */
function limitConnectionsPerClient(server: Server, perClient: number, o: HttpOptions): WeakSet<Socket> {
  const open = new Map<string, number>();
  const refused = new WeakSet<Socket>();
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? 'unknown';
    const count = open.get(client) ?? 0;
    if (count >= perClient) {
      refused.add(socket);
      o.metrics.requests.inc({ method: 'unknown', outcome: 'busy' });
      o.log.debug('refusing a connection: too many from this client', { client, open: count });
      socket.on('error', () => {}); // a reset or a late write on a refused socket changes nothing
      socket.end(busyResponse(perClient));
      setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
      return;
    }
    open.set(client, count + 1);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
    });
  });
  return refused;
}

export async function startHttp(o: HttpOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const headersTimeout = o.headersTimeoutMs ?? HTTP_LIMITS.headersTimeoutMs;
  const server = createServer(
    {
      headersTimeout,
      // Bounds receiving the request only: Node stops the clock once the request is complete.
      requestTimeout: o.requestTimeoutMs ?? HTTP_LIMITS.requestTimeoutMs,
      keepAliveTimeout: o.keepAliveTimeoutMs ?? HTTP_LIMITS.keepAliveTimeoutMs,
      // How often both time-outs are checked (Node's default, 30 s, would let them overrun).
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    },
    (req, res) => {
      if (refused.has(req.socket)) return void req.socket.destroy();
      void route(o, req, res).catch((e: Error) => {
        o.log.error('http handler failed', { error: e.message });
        if (!res.headersSent) send(res, 500, errorResponse(null, e));
      });
    },
  );
  server.maxConnections = o.maxConnections ?? HTTP_LIMITS.maxConnections;
  const refused = limitConnectionsPerClient(server, o.maxConnectionsPerClient ?? HTTP_LIMITS.maxConnectionsPerClient, o);
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
  if (path !== '/') {
    const message = `no such path ${JSON.stringify(path.slice(0, 80))}: POST JSON-RPC to /`;
    return send(res, 404, errorResponse(null, new RpcError(RpcErrorCode.INVALID_REQUEST, message, { reason: 'not_found' })));
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return send(res, 405, errorResponse(null, new RpcError(RpcErrorCode.INVALID_REQUEST, 'use POST for JSON-RPC', { reason: 'invalid_request' })));
  }
  // Browsers send text/plain (and no type at all) cross-origin without a preflight: refusing every
  // other type keeps web pages from driving the API.
  const contentType = req.headers['content-type'];
  if (contentType?.split(';')[0].trim().toLowerCase() !== 'application/json') {
    o.metrics.requests.inc({ method: 'unknown', outcome: 'unsupported_media_type' });
    const got = contentType === undefined ? 'none' : JSON.stringify(contentType.slice(0, 80));
    const message = `content-type must be application/json (got ${got})`;
    return send(res, 415, errorResponse(null, new RpcError(RpcErrorCode.INVALID_REQUEST, message, { reason: 'unsupported_media_type' })));
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
    body = parseStrictJson(raw.toString('utf8'));
  } catch (e) {
    o.metrics.requests.inc({ method: 'unknown', outcome: (e as RpcError).reason ?? 'parse_error' });
    return send(res, 200, errorResponse(null, e));
  }
  let batch: unknown[] | undefined;
  try {
    batch = parseBatch(body);
  } catch (e) {
    o.metrics.requests.inc({ method: 'unknown', outcome: (e as RpcError).data?.reason ?? 'invalid_request' });
    return send(res, 200, errorResponse(null, e));
  }
  // A batch's requests run concurrently, each through admission like a single request.
  if (batch) return send(res, 200, await Promise.all(batch.map((one) => answer(o, one))));
  return send(res, 200, await answer(o, body));
}

/** The response to one request object: its result, or its error (logged and counted). */
async function answer(o: HttpOptions, body: unknown): Promise<JsonRpcResponse> {
  let id: JsonRpcId = null;
  const started = performance.now();
  let method = 'unknown';
  try {
    const request = parseRequest(body);
    id = request.id;
    method = request.method;
    const result = await o.handle(request.method, request.params);
    o.metrics.requests.inc({ method, outcome: 'ok' });
    o.metrics.duration.observe({ method }, (performance.now() - started) / 1000);
    return successResponse(id, result);
  } catch (e) {
    if (e instanceof RpcError && e.data && 'id' in e.data && id === null) id = (e.data.id as JsonRpcId) ?? null;
    const rpc = e instanceof RpcError ? e : undefined;
    if (!rpc) o.log.error('request failed', { method, error: (e as Error).message, stack: (e as Error).stack });
    else o.log.info('request refused', { method, code: rpc.code, reason: rpc.data?.reason, message: rpc.message });
    o.metrics.requests.inc({ method: knownMethod(method), outcome: rpc?.data?.reason ?? 'internal' });
    return errorResponse(id, e);
  }
}

function knownMethod(m: string): string {
  return /^dan_[A-Za-z]{1,32}$/.test(m) ? m : 'unknown';
}
