// createDanClient against a tiny JSON-RPC server on 127.0.0.1 that checks every request the way the
// coordinator will (parseRequest + validateParams + verifyRequest) and answers canned results; then
// the mapping of RPC, HTTP, network and malformed-response failures to typed errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toHex, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { AuthError, verifyRequest } from '../../src/auth/index.ts';
import { createDanClient, DanClientError, RpcError, RpcErrorCode } from '../../src/client/index.ts';
import { errorResponse, parseRequest, successResponse, validateParams, type DanMethod, type DanResult, type KeyGenResult, type KeyInfo } from '../../src/rpc/index.ts';

const account = privateKeyToAccount(generatePrivateKey());
const NETWORK = 'client-test';
let networkAsked = 0;
const KEY: KeyGenResult = {
  keyId: 'key_00ff',
  publicKey: `0x02${'aa'.repeat(32)}`,
  address: '0x8ba1f109551bD432803012645Ac136ddd64DBA72',
  threshold: 2,
  parties: 3,
  nodes: ['12D3KooWA', '12D3KooWB', '12D3KooWC'],
};
const INFO: KeyInfo = { ...KEY, owner: account.address, authorizedSigners: [], expiresAt: 0, createdAt: 1_700_000_000 };
const CANNED: { [M in DanMethod]: DanResult<M> } = {
  dan_keyGen: KEY,
  dan_sign: { signature: `0x${'11'.repeat(32)}${'22'.repeat(32)}1b`, r: `0x${'11'.repeat(32)}`, s: `0x${'22'.repeat(32)}`, v: 27 },
  dan_getKey: INFO,
  dan_listKeys: { keys: [INFO] },
  dan_nodes: {
    nodes: [
      { peerId: '12D3KooWA', party: 0, status: 'self', connected: true, coordinator: true },
      { peerId: '12D3KooWB', status: 'banned', connected: true, coordinator: false, lastSeen: 1, standing: [{ kind: 'banned', by: '12D3KooWA', check: 'OT_CHECK_FAILED', reason: 'x', since: 1 }] },
    ],
  },
  dan_presignStatus: { keyId: KEY.keyId, pools: [{ signers: [0, 1], available: 12, target: 16 }] },
  dan_signUserOperation: { userOpHash: `0x${'33'.repeat(32)}`, signature: `0x${'11'.repeat(32)}${'22'.repeat(32)}1c` },
  dan_useDistributedPermission: { userOpHash: `0x${'44'.repeat(32)}` },
  dan_refreshKey: { keyId: KEY.keyId, publicKey: KEY.publicKey, address: KEY.address, generation: `0x${'55'.repeat(32)}`, nodes: KEY.nodes },
};

interface Seen {
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
  method: string;
  params: Record<string, unknown>;
  signer: Address;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Tries of each distinct params object on the BUSY routes. */
const busyTries = new Map<string, number>();

/** Routes by path: '/' is a well-behaved coordinator, the others misbehave in one way each. */
function startServer(seen: Seen[]): Promise<Server> {
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    let id: string | number | null = null;
    try {
      const request = parseRequest(JSON.parse(text));
      id = request.id;
      if (request.method === 'dan_network') {
        networkAsked++;
        return send(200, successResponse(id, { network: NETWORK }));
      }
      switch (path) {
        case '/http500':
          return send(500, 'Internal Server Error', 'text/plain');
        case '/rpc500':
          return send(500, errorResponse(id, new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, 'only 1 of 2 nodes answered', { reason: 'quorum_unavailable', answered: 1 })));
        case '/nonjson':
          return send(200, '<html>proxy</html>', 'text/html');
        case '/wrongid':
          return send(200, successResponse(9999, {}));
        case '/noresult':
          return send(200, { jsonrpc: '2.0', id });
        case '/hang':
          return; // never answers
        case '/unknownkey':
          throw new RpcError(RpcErrorCode.UNKNOWN_KEY, `unknown key`, { reason: 'unknown_key' });
        case '/drop': // the connection closes without an answer, every time
          return req.socket.destroy();
        case '/drop-once': { // ... the first time only (a kept-alive connection the server had closed)
          const key = `drop ${JSON.stringify(request.params)}`;
          const tries = (busyTries.get(key) ?? 0) + 1;
          busyTries.set(key, tries);
          if (tries === 1) return req.socket.destroy();
          break;
        }
        case '/busy-twice': // BUSY for the first two tries of each requestId, then the answer
        case '/busy': {
          const key = JSON.stringify(request.params);
          const tries = (busyTries.get(key) ?? 0) + 1;
          busyTries.set(key, tries);
          if (path === '/busy' || tries <= 2) throw new RpcError(RpcErrorCode.BUSY, 'busy: retry', { reason: 'busy', retryAfterMs: 30 });
          break;
        }
      }
      const method = request.method as DanMethod;
      const params = validateParams(method, request.params);
      const { signer } = verifyRequest(method, params as never, { network: NETWORK });
      seen.push({ path, contentType: req.headers['content-type'], body: JSON.parse(text), method, params: params as never, signer });
      send(200, successResponse(id, CANNED[method]));
    } catch (e) {
      send(200, errorResponse(id, e instanceof AuthError ? e.toRpcError() : e));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const rpcCode = (code: number, reason?: string) => (e: unknown) => e instanceof RpcError && e.code === code && (reason === undefined || e.data?.reason === reason);
const clientCode = (code: string) => (e: unknown) => e instanceof DanClientError && e.code === code;

describe('client', () => {
  const seen: Seen[] = [];
  let server: Server;
  let base: string;

  before(async () => {
    server = await startServer(seen);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('every method sends valid JSON-RPC 2.0 whose auth the server verifies to the account', async () => {
    const client = createDanClient({ url: `${base}/`, account });
    const digest = toHex(crypto.getRandomValues(new Uint8Array(32)));
    seen.length = 0;
    networkAsked = 0;
    assert.deepEqual(await client.keyGen({ threshold: 2, parties: 3, policy: { maxValue: '5', a: [1] }, expiresAt: 2_000_000_000 }), CANNED.dan_keyGen);
    assert.deepEqual(await client.sign({ keyId: KEY.keyId, digest }), CANNED.dan_sign);
    assert.deepEqual(await client.getKey(KEY.keyId), CANNED.dan_getKey);
    assert.deepEqual(await client.listKeys(), CANNED.dan_listKeys);
    assert.deepEqual(await client.nodes(), CANNED.dan_nodes);
    assert.deepEqual(await client.presignStatus(KEY.keyId), CANNED.dan_presignStatus);
    assert.deepEqual(await client.refreshKey(KEY.keyId, 'refresh-1'), CANNED.dan_refreshKey);

    assert.deepEqual(
      seen.map((s) => s.method),
      ['dan_keyGen', 'dan_sign', 'dan_getKey', 'dan_listKeys', 'dan_nodes', 'dan_presignStatus', 'dan_refreshKey'],
    );
    assert.equal(networkAsked, 1, 'the network id is asked once (dan_network), then remembered');
    assert.equal(await client.network(), NETWORK);
    // With the network configured, it is never asked; signed for another network, the server's check fails.
    networkAsked = 0;
    const pinned = createDanClient({ url: `${base}/`, account, network: NETWORK });
    assert.deepEqual(await pinned.nodes(), CANNED.dan_nodes);
    assert.equal(networkAsked, 0);
    await assert.rejects(createDanClient({ url: `${base}/`, account, network: 'elsewhere' }).nodes(), rpcCode(RpcErrorCode.UNAUTHORIZED, 'bad_signature'));
    const ids = new Set<unknown>();
    for (const s of seen) {
      assert.equal(s.signer, account.address, s.method);
      assert.equal(s.contentType, 'application/json');
      assert.equal(s.body.jsonrpc, '2.0');
      assert.equal(typeof s.body.id, 'number');
      ids.add(s.body.id);
      assert.deepEqual(Object.keys(s.body).sort(), ['id', 'jsonrpc', 'method', 'params']);
      assert.equal((s.params.auth as { signer: string }).signer, account.address);
    }
    assert.equal(ids.size, seen.length, 'ids are distinct');
    const [keyGen, sign] = seen;
    assert.equal(keyGen.params.owner, account.address, 'owner defaults to the account');
    assert.match(keyGen.params.requestId as string, /^[0-9a-f-]{36}$/);
    assert.deepEqual(keyGen.params.policy, { maxValue: '5', a: [1] });
    assert.equal(sign.params.digest, digest);
    assert.notEqual(sign.params.requestId, keyGen.params.requestId);
    assert.equal(seen[3].params.owner, account.address, 'listKeys owner defaults to the account');
  });

  it('uses a given requestId and owner, and a given fetch', async () => {
    let calls = 0;
    const fetch: typeof globalThis.fetch = (input, init) => {
      calls++;
      return globalThis.fetch(input, init);
    };
    const client = createDanClient({ url: base, account, fetch });
    seen.length = 0;
    await client.sign({ keyId: KEY.keyId, digest: `0x${'00'.repeat(32)}`, requestId: 'my-request-1' });
    await client.listKeys('0x8ba1f109551bD432803012645Ac136ddd64DBA72');
    assert.equal(seen[0].params.requestId, 'my-request-1');
    assert.equal(seen[1].params.owner, '0x8ba1f109551bD432803012645Ac136ddd64DBA72');
    assert.equal(calls, 3, 'dan_network once, then the two calls');
  });

  it('a JSON-RPC error becomes RpcError with the server code, message and data', async () => {
    const client = createDanClient({ url: `${base}/unknownkey`, account });
    await assert.rejects(client.getKey('nope'), (e: unknown) => {
      assert.ok(e instanceof RpcError);
      assert.equal(e.code, RpcErrorCode.UNKNOWN_KEY);
      assert.equal(e.message, 'unknown key');
      assert.deepEqual(e.data, { reason: 'unknown_key' });
      return true;
    });
    // Also with an HTTP error status.
    await assert.rejects(
      createDanClient({ url: `${base}/rpc500`, account }).nodes(),
      (e: unknown) => rpcCode(RpcErrorCode.QUORUM_UNAVAILABLE, 'quorum_unavailable')(e) && (e as RpcError).data?.answered === 1,
    );
    // An authentication failure detected by the server (lifetime beyond its 3600 s limit).
    await assert.rejects(createDanClient({ url: base, account, expirySec: 7200 }).nodes(), rpcCode(RpcErrorCode.UNAUTHORIZED, 'malformed_auth'));
  });

  it('a BUSY refusal is tried again with the same signed request after retryAfterMs, within the time budget', async () => {
    busyTries.clear();
    const result = await createDanClient({ url: `${base}/busy-twice`, account }).getKey(KEY.keyId);
    assert.deepEqual(result, CANNED.dan_getKey);
    assert.deepEqual([...busyTries.values()], [3], 'one request, sent three times with the same params (and auth)');
    busyTries.clear();
    const t0 = Date.now();
    await assert.rejects(createDanClient({ url: `${base}/busy`, account, timeoutMs: 1_000 }).getKey(KEY.keyId), rpcCode(RpcErrorCode.BUSY, 'busy'));
    assert.ok(Date.now() - t0 < 2_000, 'gave up within its time budget');
    assert.ok([...busyTries.values()][0] >= 2, 'tried more than once');
  });

  it('invalid params fail locally with the INVALID_PARAMS error the server would send, before signing or sending', async () => {
    let calls = 0;
    const fetch: typeof globalThis.fetch = () => {
      calls++;
      throw new Error('must not be called');
    };
    const client = createDanClient({ url: base, account, fetch });
    const field = (name: string) => (e: unknown) => rpcCode(RpcErrorCode.INVALID_PARAMS, 'invalid_field')(e) && (e as RpcError).data?.field === name;
    await assert.rejects(client.sign({ keyId: 'bad key', digest: `0x${'00'.repeat(32)}` }), field('keyId'));
    await assert.rejects(client.sign({ keyId: 'k', digest: '0x00' }), field('digest'));
    await assert.rejects(client.keyGen({ threshold: 3, parties: 2 }), field('parties'));
    await assert.rejects(client.keyGen({ threshold: 2, policy: { x: 1n } as never }), field('policy.x'));
    await assert.rejects(client.getKey(''), field('keyId'));
    assert.equal(calls, 0);
  });

  it('credentials in the URL go into an Authorization header, never into errors', async () => {
    seen.length = 0;
    let authorization: string | null = null;
    const fetch: typeof globalThis.fetch = (input, init) => {
      authorization = new Headers(init?.headers).get('authorization');
      assert.ok(!String(input).includes('secret'));
      return globalThis.fetch(input, init);
    };
    const client = createDanClient({ url: `http://user:secret@127.0.0.1:${(server.address() as AddressInfo).port}/`, account, fetch });
    await client.nodes();
    assert.equal(authorization, `Basic ${Buffer.from('user:secret').toString('base64')}`);
    assert.equal(client.url, `${base}/`);
  });

  it('HTTP 500 without a JSON-RPC body -> DanClientError HTTP_ERROR with status and URL', async () => {
    const client = createDanClient({ url: `http://user:secret@127.0.0.1:${(server.address() as AddressInfo).port}/http500?apikey=k`, account });
    await assert.rejects(client.nodes(), (e: unknown) => {
      assert.ok(clientCode('HTTP_ERROR')(e));
      const err = e as DanClientError;
      assert.equal(err.status, 500);
      assert.equal(err.url, `${base}/http500`);
      assert.doesNotMatch(err.message, /secret|apikey/);
      assert.equal(err.body, 'Internal Server Error');
      return true;
    });
  });

  it('a non-JSON body, a wrong id or a response without result -> BAD_RESPONSE', async () => {
    await assert.rejects(createDanClient({ url: `${base}/nonjson`, account }).nodes(), (e: unknown) => clientCode('BAD_RESPONSE')(e) && (e as DanClientError).status === 200);
    await assert.rejects(createDanClient({ url: `${base}/wrongid`, account }).nodes(), clientCode('BAD_RESPONSE'));
    await assert.rejects(createDanClient({ url: `${base}/noresult`, account }).nodes(), clientCode('BAD_RESPONSE'));
  });

  it('connection refused on a closed port -> NETWORK_ERROR', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const client = createDanClient({ url: `http://127.0.0.1:${port}/`, account });
    await assert.rejects(client.nodes(), (e: unknown) => {
      assert.ok(clientCode('NETWORK_ERROR')(e));
      assert.equal((e as DanClientError).url, `http://127.0.0.1:${port}/`);
      assert.match((e as Error).message, /ECONNREFUSED/);
      assert.equal((e as DanClientError).status, undefined);
      return true;
    });
  });

  it('a connection closed without an answer is tried once more on a new one, not twice', async () => {
    const once = createDanClient({ url: `${base}/drop-once`, account });
    assert.deepEqual(await once.nodes(), CANNED.dan_nodes);
    await assert.rejects(createDanClient({ url: `${base}/drop`, account }).nodes(), (e: unknown) => clientCode('NETWORK_ERROR')(e) && /UND_ERR_SOCKET/.test((e as Error).message));
  });

  it('a server that never answers -> NETWORK_ERROR after timeoutMs', async () => {
    const client = createDanClient({ url: `${base}/hang`, account, timeoutMs: 150 });
    const t0 = Date.now();
    await assert.rejects(client.nodes(), (e: unknown) => clientCode('NETWORK_ERROR')(e) && /timed out after 150 ms/.test((e as Error).message));
    assert.ok(Date.now() - t0 < 2000);
  });

  it('createDanClient refuses a bad configuration', () => {
    assert.throws(() => createDanClient({ url: 'not a url', account }), TypeError);
    assert.throws(() => createDanClient({ url: 'ftp://127.0.0.1/', account }), TypeError);
    assert.throws(() => createDanClient({ url: base, account: {} as never }), TypeError);
    assert.throws(() => createDanClient({ url: base, account, expirySec: 0 }), TypeError);
  });
});
