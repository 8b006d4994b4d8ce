// The legacy wallet-provider WebSocket endpoint on the coordinator's HTTP server:
//   ws://HOST:PORT/v1/keygen, /v1/signgen, /v1/addEphemeralKey
// One socket per operation: setup frame -> (checks) challenge -> authentication frame -> result
// string; the client then closes. Any error closes the socket with a close code and a reason
// (errors.ts) and is logged; the server keeps serving. Frames are text, at most LIMITS.maxFrameBytes;
// a client that sends nothing for `frameTimeoutMs` is disconnected, and at most `maxConnections`
// sockets are open at once. The operations themselves are the backend's (src/coordinator/legacy.ts).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
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
  /** Longest wait for the client's next frame (default 30 s). */
  frameTimeoutMs?: number;
  /** Most sockets open at once (default 256); more are refused with HTTP 503. */
  maxConnections?: number;
  /** Called once per finished operation (metrics). */
  onDone?: (operation: LegacyOperation, outcome: string, seconds: number) => void;
}

/** Attach the endpoint to `server`'s upgrade requests; `close()` ends every open socket. */
export function attachLegacyEndpoint(server: Server, o: LegacyEndpointOptions): { close(): void } {
  const prefix = o.prefix ?? '/v1';
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    const operation = LEGACY_OPERATIONS.find((op) => path === `${prefix}/${op}`);
    if (!operation) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    if (wss.clients.size >= (o.maxConnections ?? 256)) {
      o.log.warn('legacy endpoint: too many open sockets, refusing a connection', { open: wss.clients.size });
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
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

  const finish = (outcome: string) => o.onDone?.(operation, outcome, (performance.now() - started) / 1000);
  const wait = () => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(new CompatError('TIMEOUT', `no frame within ${o.frameTimeoutMs ?? 30_000} ms`)), o.frameTimeoutMs ?? 30_000);
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

  wait();
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
        wait();
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
