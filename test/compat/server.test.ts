// The legacy WebSocket endpoint on its own (src/compat/server.ts): a plain HTTP server and a
// scripted backend, to check the protocol steps, time-outs, limits and error closes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { CompatError } from '../../src/compat/index.ts';
import { attachLegacyEndpoint, type LegacyBackend, type LegacyOperation } from '../../src/compat/server.ts';
import type { LegacyRequest } from '../../src/compat/requests.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { exchange } from '../helpers/legacy-sdk.ts';

describe('legacy WebSocket endpoint', () => {
  let server: Server;
  let url: string;
  let endpoint: { close(): void };
  const seen: { operation: LegacyOperation; request: LegacyRequest }[] = [];
  const outcomes: string[] = [];
  let release: (() => void) | undefined;

  const backend: LegacyBackend = {
    async precheck(_operation, setup) {
      if (setup === 'refuse') throw new CompatError('UNSUPPORTED', 'not served here');
      if (setup === 'crash') throw new Error('boom');
      if (setup === 'slow') await new Promise<void>((r) => (release = r));
    },
    async run(operation, request) {
      seen.push({ operation, request });
      if (request.auth === 'bad') throw new CompatError('UNAUTHORIZED', 'bad auth');
      return `result-of-${operation}`;
    },
  };

  before(async () => {
    server = createServer((_req, res) => res.end('http still works'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    endpoint = attachLegacyEndpoint(server, { backend, log: silentLogger, frameTimeoutMs: 300, maxConnections: 3, onDone: (_op, outcome) => outcomes.push(outcome) });
  });
  after(() => {
    endpoint.close();
    server.close();
  });

  it('setup -> challenge -> auth -> result; the backend gets the frames verbatim', async () => {
    const x = await exchange(url, 'signgen', '{"setup":1}', async () => 'the-auth');
    assert.match(x.challenge!, /^[0-9a-f]{64}$/);
    assert.equal(x.result, 'result-of-signgen');
    assert.deepEqual(seen.at(-1), { operation: 'signgen', request: { setup: '{"setup":1}', challenge: x.challenge, auth: 'the-auth' } });
    const y = await exchange(url, 'signgen', '{"setup":1}', async () => 'the-auth');
    assert.notEqual(y.challenge, x.challenge, 'a fresh challenge per socket');
    assert.equal(outcomes.at(-1), 'ok');
  });

  it('refusals close with the code and reason of the error; internal errors do not leak', async () => {
    const refused = await exchange(url, 'keygen', 'refuse');
    assert.deepEqual([refused.code, refused.reason, refused.challenge], [1003, 'UNSUPPORTED: not served here', undefined]);
    const bad = await exchange(url, 'keygen', 'ok', async () => 'bad');
    assert.deepEqual([bad.code, bad.reason, bad.result], [1008, 'UNAUTHORIZED: bad auth', undefined]);
    const crash = await exchange(url, 'keygen', 'crash');
    assert.deepEqual([crash.code, crash.reason], [1011, 'INTERNAL: internal error']);
    assert.deepEqual(outcomes.slice(-3), ['unsupported', 'unauthorized', 'internal']);
  });

  it('a client that stays silent is disconnected (TIMEOUT), before and after the challenge', async () => {
    const ws = new WebSocket(`${url}/keygen`);
    const closed = await new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    assert.deepEqual(closed, { code: 1008, reason: 'TIMEOUT: no frame within 300 ms' });
    const x = await exchange(url, 'keygen', 'ok', async () => undefined); // never authenticates
    assert.match(x.challenge!, /^[0-9a-f]{64}$/);
    assert.deepEqual([x.code, x.reason], [1008, 'TIMEOUT: no frame within 300 ms']);
  });

  it('a frame while the setup is being checked is refused; binary frames are refused', async () => {
    const ws = new WebSocket(`${url}/keygen`);
    await new Promise((r) => ws.on('open', r));
    ws.send('slow');
    await new Promise((r) => setTimeout(r, 50));
    ws.send('too early');
    const closed = await new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    release?.();
    assert.deepEqual(closed, { code: 1007, reason: 'MALFORMED_FRAME: unexpected frame while checking the setup' });
    const binary = await exchange(url, 'keygen', Buffer.from('ok'));
    assert.deepEqual([binary.code, binary.reason], [1007, 'MALFORMED_FRAME: frames must be text']);
  });

  it('unknown paths get 404, too many sockets 503; plain HTTP keeps working', async () => {
    await assert.rejects(exchange(url, 'other', 'x'), /Unexpected server response: 404/);
    const open = await Promise.all(Array.from({ length: 3 }, async () => {
      const ws = new WebSocket(`${url}/keygen`);
      await new Promise((r) => ws.on('open', r));
      return ws;
    }));
    await assert.rejects(exchange(url, 'keygen', 'x'), /Unexpected server response: 503/);
    for (const ws of open) ws.terminate();
    const res = await fetch(`http://${new URL(url).host}/`);
    assert.equal(await res.text(), 'http still works');
  });
});
