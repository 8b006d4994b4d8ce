// The legacy WebSocket endpoint's limits, on the coordinator's real HTTP server (startHttp with a
// fake JSON-RPC handler, attachLegacyEndpoint with a scripted backend): sockets per client, the
// short wait for the setup frame (the authentication frame keeps the longer one), and a reason on
// the close of an oversize frame.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { LIMITS } from '../../src/compat/frames.ts';
import { attachLegacyEndpoint, type LegacyBackend } from '../../src/compat/server.ts';
import { startHttp } from '../../src/coordinator/http.ts';
import { RpcMetrics } from '../../src/coordinator/metrics.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { freePort } from '../helpers/cluster.ts';
import { exchange } from '../helpers/legacy-sdk.ts';

/** Without the limits these tests would wait for ever: each fails on its own instead. */
const bounded = { timeout: 10_000 };

describe('legacy WebSocket endpoint: limits', () => {
  let http: Awaited<ReturnType<typeof startHttp>>;
  let endpoint: { close(): void };
  let url: string;
  const outcomes: string[] = [];

  const backend: LegacyBackend = {
    async precheck() {},
    async run(operation) {
      return `result-of-${operation}`;
    },
  };

  before(async () => {
    http = await startHttp({
      host: '127.0.0.1',
      port: await freePort(),
      maxBodyBytes: 64 * 1024,
      handle: async () => null,
      ready: () => true,
      metrics: new RpcMetrics(),
      log: silentLogger,
    });
    url = `${http.url.replace('http:', 'ws:')}/v1`;
    endpoint = attachLegacyEndpoint(http.server, {
      backend,
      log: silentLogger,
      setupTimeoutMs: 300,
      maxConnections: 10,
      maxConnectionsPerClient: 3,
      onDone: (_op, outcome) => outcomes.push(outcome),
    });
  });
  after(async () => {
    endpoint.close();
    await http.close();
  });

  const opened = async () => {
    const ws = new WebSocket(`${url}/keygen`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return ws;
  };
  const closeOf = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));

  it('a client over its socket cap is refused with 503 at upgrade; a freed socket lets it in again', bounded, async () => {
    const held = await Promise.all([opened(), opened(), opened()]);
    await assert.rejects(opened(), /Unexpected server response: 503/);
    const first = held.shift()!;
    const closed = closeOf(first);
    first.close(1000, 'done');
    await closed;
    // The endpoint counts the socket as freed once its TCP connection is gone.
    let again: WebSocket | undefined;
    for (const deadline = Date.now() + 5_000; !again && Date.now() < deadline; ) {
      again = await opened().catch(() => new Promise<undefined>((r) => setTimeout(r, 50)));
    }
    assert.ok(again, 'a new socket after one was closed');
    for (const ws of [...held, again]) ws.terminate();
  });

  it('no setup frame within setupTimeoutMs: closed with TIMEOUT and a reason; the auth frame has longer', bounded, async () => {
    const silent = await opened();
    assert.deepEqual(await closeOf(silent), { code: 1008, reason: 'TIMEOUT: no frame within 300 ms' });
    // After the challenge the client may take longer than the setup time-out (it signs).
    const x = await exchange(url, 'signgen', '{"setup":1}', async () => {
      await new Promise((r) => setTimeout(r, 600));
      return 'the-auth';
    });
    assert.equal(x.result, 'result-of-signgen');
  });

  it('a frame over the size limit closes with 1009 and a reason', bounded, async () => {
    const ws = await opened();
    const closed = closeOf(ws);
    ws.send('x'.repeat(LIMITS.maxFrameBytes + 1));
    assert.deepEqual(await closed, { code: 1009, reason: `MALFORMED_FRAME: frame exceeds ${LIMITS.maxFrameBytes} bytes` });
    assert.equal(outcomes.at(-1), 'malformed_frame');
  });
});
