// The coordinator's HTTP front against unkind clients (src/coordinator/http.ts, the real server with
// a small fake handler): connections per client, header and request time-outs that spare slow
// handlers, content types, strict JSON (duplicate keys, also on its own: src/rpc/json.ts), other
// paths, and the messages of malformed requests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startHttp } from '../../src/coordinator/http.ts';
import { RpcMetrics } from '../../src/coordinator/metrics.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { MAX_BATCH, RpcError, RpcErrorCode, parseStrictJson } from '../../src/rpc/index.ts';
import { freePort } from '../helpers/cluster.ts';

type Server = Awaited<ReturnType<typeof startHttp>>;

async function start(options: Partial<Parameters<typeof startHttp>[0]> = {}): Promise<Server> {
  return startHttp({
    host: '127.0.0.1',
    port: await freePort(),
    maxBodyBytes: 64 * 1024,
    handle: async (method, params) => {
      if (method === 'slow') await new Promise((r) => setTimeout(r, 1_500));
      return { method, params };
    },
    ready: () => true,
    metrics: new RpcMetrics(),
    log: silentLogger,
    ...options,
  });
}

const portOf = (s: Server) => Number(new URL(s.url).port);
/** Without the limits these tests would wait for ever: each fails on its own instead. */
const bounded = { timeout: 10_000 };

/** A raw TCP connection to the server, with everything it received so far. */
function open(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('data', (d) => (data += d.toString()));
    socket.on('error', () => {}); // a reset shows as a close
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

/** Resolves with what arrived once `condition` holds, rejects after `ms`. */
async function until(what: string, condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** POST `body` to / with `contentType` (null: no content-type header at all). */
async function post(s: Server, body: string, contentType: string | null = 'application/json'): Promise<{ status: number; json: any }> {
  const res = await fetch(s.url, { method: 'POST', headers: contentType === null ? {} : { 'content-type': contentType }, body: contentType === null ? new Blob([body]) : body });
  return { status: res.status, json: await res.json() };
}

describe('coordinator HTTP: connections per client', () => {
  let server: Server;
  before(async () => (server = await start({ maxConnectionsPerClient: 4 })));
  after(() => server.close());

  it('a client over its cap gets 503 BUSY and is closed; a freed slot lets it in again', bounded, async () => {
    const port = portOf(server);
    const held = [];
    for (let i = 0; i < 4; i++) {
      const c = await open(port);
      c.socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n'); // answered, then kept alive
      await until('a health answer', () => c.received().includes('"ok"'));
      held.push(c);
    }
    const extra = await open(port);
    extra.socket.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
    await until('the refused connection closed', () => extra.socket.destroyed);
    const [head, body] = extra.received().split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 503 /);
    assert.match(head, /^retry-after: 1$/im);
    const reply = JSON.parse(body);
    assert.equal(reply.error.code, -32009);
    assert.deepEqual(reply.error.data, { reason: 'busy', code: 'BUSY', retryAfterMs: 1000 });
    assert.match(reply.error.message, /too many open connections from this client \(at most 4\)/);

    for (const c of held.splice(0, 2)) {
      c.socket.destroy();
      await c.closed;
    }
    // The server counts the two closes as they reach it; a new connection then gets served.
    const health = () => fetch(new URL('/healthz', server.url)).then((r) => r.status, () => 0);
    let status = await health();
    for (const deadline = Date.now() + 5_000; status !== 200 && Date.now() < deadline; status = await health()) await new Promise((r) => setTimeout(r, 50));
    assert.equal(status, 200);
    for (const c of held) c.socket.destroy();
  });
});

describe('coordinator HTTP: time-outs', () => {
  let server: Server;
  before(async () => (server = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 })));
  after(() => server.close());

  it('a connection that never finishes its headers is closed after headersTimeout', bounded, async () => {
    const c = await open(portOf(server));
    c.socket.write('POST / HTTP/1.1\r\nhost: x\r\n'); // and nothing more
    const idle = await open(portOf(server)); // sends nothing at all
    await until('both connections closed', () => c.socket.destroyed && idle.socket.destroyed);
    assert.match(c.received(), /^HTTP\/1\.1 408 /);
  });

  it('a body sent too slowly is cut off after requestTimeout', bounded, async () => {
    const c = await open(portOf(server));
    c.socket.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":');
    await until('the connection closed', () => c.socket.destroyed);
    assert.match(c.received(), /^HTTP\/1\.1 408 /);
  });

  it('a slow handler (1.5 s) is not cut off by the request time-out (0.6 s)', async () => {
    const { status, json } = await post(server, '{"jsonrpc":"2.0","id":1,"method":"slow","params":{}}');
    assert.equal(status, 200);
    assert.deepEqual(json, { jsonrpc: '2.0', id: 1, result: { method: 'slow', params: {} } });
  });
});

describe('coordinator HTTP: what a request must look like', () => {
  let server: Server;
  before(async () => (server = await start()));
  after(() => server.close());

  const request = '{"jsonrpc":"2.0","id":1,"method":"dan_nodes","params":{}}';

  it('only application/json bodies are executed: text/plain, form types and no type get 415', async () => {
    assert.equal((await post(server, request, 'application/json; charset=utf-8')).status, 200);
    assert.equal((await post(server, request, 'Application/JSON')).status, 200);
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'application/jsonp', null]) {
      const { status, json } = await post(server, request, type);
      assert.equal(status, 415, String(type));
      assert.equal(json.error.code, RpcErrorCode.INVALID_REQUEST);
      assert.equal(json.error.data.reason, 'unsupported_media_type');
      assert.match(json.error.message, /content-type must be application\/json/);
    }
  });

  it('duplicate keys are refused at any depth, also when spelled with escapes', async () => {
    const cases: [string, string, string][] = [
      ['{"jsonrpc":"2.0","id":1,"id":2,"method":"m"}', 'id', 'id'],
      ['{"jsonrpc":"2.0","id":1,"method":"m","params":{"auth":{"signer":"a","signer":"b"}}}', 'signer', 'params.auth.signer'],
      ['{"jsonrpc":"2.0","id":1,"method":"m","params":{"calls":[{"to":1},{"to":1,"\\u0074o":2}]}}', 'to', 'params.calls[1].to'],
    ];
    for (const [body, key, path] of cases) {
      const { status, json } = await post(server, body);
      assert.equal(status, 200);
      assert.equal(json.error.code, RpcErrorCode.PARSE_ERROR, body);
      assert.deepEqual(json.error.data, { reason: 'duplicate_key', key, path }, body);
      assert.match(json.error.message, new RegExp(`duplicate key "${key}" at ${path.replace(/[.[\]]/g, '\\$&')}`));
    }
    assert.equal((await post(server, '{"jsonrpc":"2.0","id":1,"method":"m","params":{"a":{"x":1},"b":{"x":1}}}')).json.result.method, 'm', 'equal keys in different objects are fine');
  });

  it('other paths get 404 with a JSON-RPC error pointing to POST /', async () => {
    for (const [method, path] of [['GET', '/rpc'], ['POST', '/v2/x?y=1']]) {
      const res = await fetch(new URL(path, server.url), { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? request : undefined });
      assert.equal(res.status, 404);
      const json = await res.json();
      assert.equal(json.error.code, RpcErrorCode.INVALID_REQUEST);
      assert.equal(json.error.data.reason, 'not_found');
      assert.match(json.error.message, new RegExp(`"${path.split('?')[0]}".*POST JSON-RPC to /`));
    }
    assert.equal((await fetch(new URL('/healthz', server.url))).status, 200);
  });

  it('malformed requests are told what is missing', async () => {
    const messages: [string, RegExp][] = [
      ['{"foo":1}', /^missing "jsonrpc", "method", "id": a request is \{"jsonrpc":"2\.0"/],
      ['{"id":1,"method":"m"}', /^"jsonrpc" is missing: it must be "2\.0"$/],
      ['{"jsonrpc":"1.0","id":1,"method":"m"}', /^jsonrpc must be "2\.0"$/],
      ['{"jsonrpc":"2.0"}', /^missing "method", "id"/],
      ['{"jsonrpc":"2.0","id":1}', /^method is required$/],
      ['{"jsonrpc":"2.0","method":"m"}', /^id is required \(notifications are not supported\)/],
    ];
    for (const [body, message] of messages) {
      const { json } = await post(server, body);
      assert.equal(json.error.code, RpcErrorCode.INVALID_REQUEST, body);
      assert.equal(json.error.data.reason, 'invalid_request', body);
      assert.match(json.error.message, message, body);
    }
  });

  it('a batch gets one response per request, in order, each with its own result or error', async () => {
    const batch = `[${request}, {"jsonrpc":"2.0","id":"b","method":"dan_x","params":{"n":2}}, {"jsonrpc":"2.0","method":"m"}, 7]`;
    const { status, json } = await post(server, batch);
    assert.equal(status, 200);
    assert.ok(Array.isArray(json));
    assert.equal(json.length, 4);
    assert.equal(json[0].id, 1);
    assert.equal(json[0].result.method, 'dan_nodes');
    assert.equal(json[1].id, 'b');
    assert.deepEqual(json[1].result.params, { n: 2 });
    assert.equal(json[2].id, null);
    assert.match(json[2].error.message, /id is required/);
    assert.equal(json[3].error.code, RpcErrorCode.INVALID_REQUEST);

    const empty = await post(server, '[]');
    assert.match(empty.json.error.message, /^empty batch/);
    const big = await post(server, `[${Array(MAX_BATCH + 1).fill(request).join(',')}]`);
    assert.equal(big.json.error.data.reason, 'batch_too_large');
    assert.match(big.json.error.message, new RegExp(`at most ${MAX_BATCH} requests \\(got ${MAX_BATCH + 1}\\)`));
  });
});

describe('rpc: strict JSON (parseStrictJson)', () => {
  const duplicate = (key: string, path: string) => (e: unknown) => {
    assert.ok(e instanceof RpcError);
    assert.equal(e.code, RpcErrorCode.PARSE_ERROR);
    assert.deepEqual(e.data, { reason: 'duplicate_key', key, path });
    return true;
  };

  it('parses what JSON.parse parses when every object has distinct keys', () => {
    for (const text of ['{}', '[]', '"a,b{}"', '1e3', 'null', '{"a":[1,{"a":2}],"b":{"a":"}\\"{,"},"c":[[],[{}]]}', ' { "k" : "v" } ']) {
      assert.deepEqual(parseStrictJson(text), JSON.parse(text), text);
    }
  });

  it('refuses duplicate keys, comparing keys after unescaping, naming the path', () => {
    assert.throws(() => parseStrictJson('{"a":1,"a":2}'), duplicate('a', 'a'));
    assert.throws(() => parseStrictJson('{"a":1,"\\u0061":2}'), duplicate('a', 'a'));
    assert.throws(() => parseStrictJson('{"x\\"y":1,"x\\u0022y":2}'), duplicate('x"y', 'x"y'));
    assert.throws(() => parseStrictJson('[0,{"p":{"q":[1,2,{"r":1,"s":2,"r":3}]}}]'), duplicate('r', '[1].p.q[2].r'));
    assert.throws(() => parseStrictJson('{"a":"\\\\","b":{},"a":null}'), duplicate('a', 'a'));
  });

  it('keys that only look alike are distinct; strings that look like keys are not keys', () => {
    assert.deepEqual(parseStrictJson('{"a":1,"A":2,"a ":3,"\\\\u0061":4}'), { a: 1, A: 2, 'a ': 3, '\\u0061': 4 });
    assert.deepEqual(parseStrictJson('{"a":"a","b":["a","a"]}'), { a: 'a', b: ['a', 'a'] });
  });

  it('invalid JSON is a parse error; deep nesting does not overflow the stack', () => {
    assert.throws(() => parseStrictJson('{"a":1,'), (e: unknown) => e instanceof RpcError && e.code === RpcErrorCode.PARSE_ERROR && e.data?.reason === 'parse_error');
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assert.doesNotThrow(() => parseStrictJson(deep));
  });
});
