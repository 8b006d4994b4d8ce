// The legacy wallet-provider WebSocket endpoint on the coordinator's HTTP server:
//   ws://HOST:PORT/v1/keygen, /v1/signgen, /v1/addEphemeralKey
// One socket per operation: setup frame -> (checks) challenge -> authentication frame -> result
// string; the client then closes. Any error closes the socket with a close code and a reason
// (errors.ts) and is logged; the server keeps serving. Frames are text, at most LIMITS.maxFrameBytes;
// a client that sends no setup frame within `setupTimeoutMs`, or no authentication frame within
// `frameTimeoutMs`, is disconnected; at most `maxConnections` sockets are open at once, and at most
// `maxConnectionsPerClient` from one remote address. The operations themselves are the backend's
// (src/coordinator/legacy.ts).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Logger } from '../log/logger.ts';
import { CompatError, closeOf } from './errors.ts';
import { LIMITS } from './frames.ts';
import type { LegacyRequest } from './requests.ts';

export const LEGACY_OPERATIONS = ['keygen', 'signgen', 'addEphemeralKey'] as const;
export type LegacyOperation = (typeof LEGACY_OPERATIONS)[number];

/** What the endpoint needs from the coordinator. Errors close the socket with their registry close code (closeOf). */
export interface LegacyBackend {
  /** Refuse a setup the network cannot serve before a challenge is sent (t or n, unknown key). */
  precheck(operation: LegacyOperation, setup: string): Promise<void>;
  /** Run the authenticated operation; resolves with the result string sent to the client. */
  run(operation: LegacyOperation, request: LegacyRequest): Promise<string>;
}

export interface LegacyEndpointOptions {
  backend: LegacyBackend;
  log: Logger;
  /** Path prefix (default '/v1'). */
  prefix?: string;
  /** Longest wait for the authentication frame, which the client may have to sign (default 30 s). */
  frameTimeoutMs?: number;
  /** Longest wait for the setup frame after the socket opens (default 10 s, or frameTimeoutMs if shorter). */
  setupTimeoutMs?: number;
  /** Most sockets open at once (default 256); more are refused with HTTP 503. */
  maxConnections?: number;
  /** Most sockets open at once from one remote address (default 16); more are refused with HTTP 503. */
  maxConnectionsPerClient?: number;
  /** Called once per finished operation (metrics). */
  onDone?: (operation: LegacyOperation, outcome: string, seconds: number) => void;
}

/**
 * ws closes a socket itself, without a reason, on a frame that breaks the protocol (over
 * maxPayload: 1009, bad UTF-8: 1007, others: 1002), then reports the error; this gives those
 * closes a reason. Closes with a reason (every close of serve()) and echoes pass through.
 */
class LegacySocket extends WebSocket {
  override close(code?: number, reason?: string | Buffer): void {
    super.close(code, reason ?? (code === undefined ? undefined : violationReason(code)));
  }
}

function violationReason(code: number): string {
  const message = code === 1009 ? `frame exceeds ${LIMITS.maxFrameBytes} bytes` : code === 1007 ? 'frame is not valid UTF-8' : 'invalid WebSocket frame';
  return closeOf(new CompatError('MALFORMED_FRAME', message)).reason;
}

/** Answer an upgrade request with a plain HTTP status and a one-line reason, and close. */
function refuseUpgrade(socket: Duplex, status: string, reason: string, retryAfterSeconds?: number): void {
  const retry = retryAfterSeconds === undefined ? '' : `retry-after: ${retryAfterSeconds}\r\n`;
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-type: text/plain\r\n${retry}content-length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

/** Attach the endpoint to `server`'s upgrade requests; `close()` ends every open socket. */
export function attachLegacyEndpoint(server: Server, o: LegacyEndpointOptions): { close(): void } {
  const prefix = o.prefix ?? '/v1';
  const maxConnections = o.maxConnections ?? 256;
  const maxPerClient = o.maxConnectionsPerClient ?? 16;
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, WebSocket: LegacySocket });
  /** Open sockets (and upgrades under way) per remote address. */
  const openPerClient = new Map<string, number>();
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    const operation = LEGACY_OPERATIONS.find((op) => path === `${prefix}/${op}`);
    if (!operation) return refuseUpgrade(socket, '404 Not Found', `no such endpoint: use ${LEGACY_OPERATIONS.map((op) => `${prefix}/${op}`).join(', ')}`);
    const client = req.socket.remoteAddress ?? 'unknown';
    const open = openPerClient.get(client) ?? 0;
    if (open >= maxPerClient) {
      o.log.info('legacy endpoint: too many open sockets from one client, refusing a connection', { client, open });
      return refuseUpgrade(socket, '503 Service Unavailable', `BUSY: too many open sockets from this client (at most ${maxPerClient})`, 1);
    }
    if (wss.clients.size >= maxConnections) {
      o.log.warn('legacy endpoint: too many open sockets, refusing a connection', { open: wss.clients.size });
      return refuseUpgrade(socket, '503 Service Unavailable', `BUSY: too many open sockets (at most ${maxConnections})`, 1);
    }
    openPerClient.set(client, open + 1);
    socket.once('close', () => {
      const left = (openPerClient.get(client) ?? 1) - 1;
      if (left > 0) openPerClient.set(client, left);
      else openPerClient.delete(client);
    });
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, operation, o));
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

/** One operation on one socket: a small state machine driven by the client's frames. */
function serve(ws: WebSocket, operation: LegacyOperation, o: LegacyEndpointOptions): void {
  const started = performance.now();
  const conn = randomBytes(6).toString('hex');
  const log = o.log.child({ legacy: operation, conn });
  let stage: 'setup' | 'checking' | 'auth' | 'working' | 'done' = 'setup';
  let setup = '';
  let challenge = '';
  let timer: NodeJS.Timeout | undefined;
  const frameTimeoutMs = o.frameTimeoutMs ?? 30_000;
  const setupTimeoutMs = o.setupTimeoutMs ?? Math.min(10_000, frameTimeoutMs);

  const finish = (outcome: string) => o.onDone?.(operation, outcome, (performance.now() - started) / 1000);
  const wait = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(new CompatError('TIMEOUT', `no frame within ${ms} ms`)), ms);
  };
  const fail = (e: unknown) => {
    if (stage === 'done') return;
    stage = 'done';
    clearTimeout(timer);
    const close = closeOf(e);
    if (close.code === 'INTERNAL') log.error('legacy request failed', { error: (e as Error).message, stack: (e as Error).stack });
    else log.info('legacy request refused', { code: close.code, reason: close.reason });
    finish(close.code.toLowerCase());
    if (ws.readyState === ws.OPEN) ws.close(close.closeCode, close.reason);
  };

  wait(setupTimeoutMs);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return fail(new CompatError('MALFORMED_FRAME', 'frames must be text'));
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
    if (stage === 'setup') {
      stage = 'checking';
      clearTimeout(timer);
      setup = text;
      o.backend.precheck(operation, setup).then(() => {
        if (stage !== 'checking') return;
        challenge = randomBytes(32).toString('hex');
        stage = 'auth';
        ws.send(challenge);
        wait(frameTimeoutMs);
      }, fail);
    } else if (stage === 'auth') {
      stage = 'working'; // DKG and signing have their own time-outs
      clearTimeout(timer);
      o.backend.run(operation, { setup, challenge, auth: text }).then((result) => {
        if (stage !== 'working') return;
        stage = 'done';
        log.info('legacy request done', { ms: Math.round(performance.now() - started) });
        finish('ok');
        ws.send(result);
        // The client closes after the result; close ourselves if it does not.
        timer = setTimeout(() => ws.close(1000, 'done'), 10_000);
        timer.unref();
      }, fail);
    } else if (stage !== 'done') {
      fail(new CompatError('MALFORMED_FRAME', `unexpected frame while ${stage === 'checking' ? 'checking the setup' : 'working'}`));
    }
  });
  ws.on('close', () => {
    clearTimeout(timer);
    if (stage !== 'done') {
      log.info('legacy client closed the socket early', { stage });
      finish('client_closed');
      stage = 'done';
    }
  });
  ws.on('error', (e) => {
    // ws reports protocol violations (oversize frames, bad UTF-8, ...) here and closes the socket.
    log.info('legacy socket error', { error: e.message });
    fail(new CompatError('MALFORMED_FRAME', e.message));
  });
}
