// Bundler client against a tiny fake bundler (node:http on 127.0.0.1): request shapes, result parsing,
// receipts and polling, and every error code (rejection with the AA code, unreachable, bad response,
// receipt timeout). The real alto is exercised by the devnet tests.
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hex } from 'viem';
import { BundlerError, ENTRYPOINT_V07_ADDRESS, createBundlerClient, parseAaCode, toRpcUserOperation, type UserOperationV07 } from '../../src/chain/index.ts';

type Handler = (body: { id: number; method: string; params: unknown[] }, res: ServerResponse) => void;

const HASH = `0x${'ab'.repeat(32)}` as Hex;
const op: UserOperationV07 = {
  sender: '0x8ba1f109551bD432803012645Ac136ddd64DBA72',
  nonce: 5n,
  callData: '0xe9ae5c53',
  callGasLimit: 100000n,
  verificationGasLimit: 200000n,
  preVerificationGas: 50000n,
  maxFeePerGas: 2000000000n,
  maxPriorityFeePerGas: 1000000000n,
  signature: `0x${'11'.repeat(65)}`,
};

const rpcReceipt = {
  userOpHash: HASH,
  entryPoint: ENTRYPOINT_V07_ADDRESS,
  sender: op.sender,
  nonce: '0x5',
  paymaster: '0x0000000000000000000000000000000000000000',
  actualGasCost: '0x2386f26fc10000',
  actualGasUsed: '0x222e0',
  success: true,
  reason: '0x',
  logs: [],
  receipt: {
    transactionHash: `0x${'cd'.repeat(32)}`,
    transactionIndex: '0x0',
    blockHash: `0x${'ef'.repeat(32)}`,
    blockNumber: '0x7',
    from: '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
    to: ENTRYPOINT_V07_ADDRESS,
    cumulativeGasUsed: '0x30000',
    gasUsed: '0x30000',
    contractAddress: null,
    logs: [],
    logsBloom: `0x${'00'.repeat(256)}`,
    status: '0x1',
    effectiveGasPrice: '0x77359400',
    type: '0x2',
  },
};

let server: Server;
let url: string;
let handler: Handler;
let seen: { method: string; params: unknown[] }[] = [];

function reply(res: ServerResponse, id: number, payload: { result?: unknown; error?: unknown }) {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ jsonrpc: '2.0', id, ...payload }));
}

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data);
      assert.equal(body.jsonrpc, '2.0');
      assert.equal(req.method, 'POST');
      assert.match(String(req.headers['content-type']), /application\/json/);
      seen.push({ method: body.method, params: body.params });
      handler(body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  handler = (body, res) => reply(res, body.id, { error: { code: -32601, message: `method ${body.method} not handled by the test` } });
});

function expectBundlerError(code: BundlerError['code'], check?: (e: BundlerError) => void) {
  return (e: unknown) => {
    assert.ok(e instanceof BundlerError, `not a BundlerError: ${e}`);
    assert.equal(e.code, code, e.message);
    check?.(e);
    return true;
  };
}

describe('bundler client: methods', () => {
  it('estimateUserOperationGas sends the RPC userOp and parses the estimate', async () => {
    handler = (body, res) =>
      reply(res, body.id, {
        result: { preVerificationGas: '0xc350', verificationGasLimit: '0x30d40', callGasLimit: '0x186a0', paymasterVerificationGasLimit: null },
      });
    const client = createBundlerClient({ url });
    const { callGasLimit: _c, verificationGasLimit: _v, preVerificationGas: _p, ...noGas } = op;
    const est = await client.estimateUserOperationGas(noGas);
    assert.deepEqual(est, { preVerificationGas: 50000n, verificationGasLimit: 200000n, callGasLimit: 100000n });
    assert.equal(seen[0].method, 'eth_estimateUserOperationGas');
    assert.deepEqual(seen[0].params, [{ ...toRpcUserOperation(op), callGasLimit: '0x0', verificationGasLimit: '0x0', preVerificationGas: '0x0' }, ENTRYPOINT_V07_ADDRESS]);

    handler = (body, res) =>
      reply(res, body.id, {
        result: { preVerificationGas: '0x1', verificationGasLimit: '0x2', callGasLimit: '0x3', paymasterVerificationGasLimit: '0x4', paymasterPostOpGasLimit: '0x5' },
      });
    const override = { [op.sender]: { balance: '0x1' } };
    const est2 = await createBundlerClient({ url, entryPoint: '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108' }).estimateUserOperationGas(op, override);
    assert.deepEqual(est2, { preVerificationGas: 1n, verificationGasLimit: 2n, callGasLimit: 3n, paymasterVerificationGasLimit: 4n, paymasterPostOpGasLimit: 5n });
    assert.deepEqual(seen[1].params, [toRpcUserOperation(op), '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108', override]);
  });

  it('sendUserOperation returns the hash', async () => {
    handler = (body, res) => reply(res, body.id, { result: HASH.toUpperCase().replace('0X', '0x') });
    assert.equal(await createBundlerClient({ url }).sendUserOperation(op), HASH);
    assert.deepEqual(seen[0], { method: 'eth_sendUserOperation', params: [toRpcUserOperation(op), ENTRYPOINT_V07_ADDRESS] });
  });

  it('getUserOperationReceipt: null while pending, formatted receipt once included', async () => {
    handler = (body, res) => reply(res, body.id, { result: null });
    const client = createBundlerClient({ url });
    assert.equal(await client.getUserOperationReceipt(HASH), null);
    assert.deepEqual(seen[0], { method: 'eth_getUserOperationReceipt', params: [HASH] });
    handler = (body, res) => reply(res, body.id, { result: rpcReceipt });
    const r = await client.getUserOperationReceipt(HASH);
    assert.ok(r);
    assert.equal(r.success, true);
    assert.equal(r.nonce, 5n);
    assert.equal(r.actualGasUsed, 0x222e0n);
    assert.equal(r.actualGasCost, 0x2386f26fc10000n);
    assert.equal(r.receipt.transactionHash, rpcReceipt.receipt.transactionHash);
    assert.equal(r.receipt.blockNumber, 7n);
    assert.equal(r.receipt.status, 'success');
  });

  it('getUserOperationGasPrice uses the fast tier', async () => {
    handler = (body, res) =>
      reply(res, body.id, {
        result: {
          slow: { maxFeePerGas: '0x1', maxPriorityFeePerGas: '0x1' },
          standard: { maxFeePerGas: '0x2', maxPriorityFeePerGas: '0x2' },
          fast: { maxFeePerGas: '0x77359400', maxPriorityFeePerGas: '0x3b9aca00' },
        },
      });
    assert.deepEqual(await createBundlerClient({ url }).getUserOperationGasPrice(), { maxFeePerGas: 2000000000n, maxPriorityFeePerGas: 1000000000n });
    assert.deepEqual(seen[0], { method: 'pimlico_getUserOperationGasPrice', params: [] });
  });

  it('supportedEntryPoints', async () => {
    handler = (body, res) => reply(res, body.id, { result: [ENTRYPOINT_V07_ADDRESS] });
    assert.deepEqual(await createBundlerClient({ url }).supportedEntryPoints(), [ENTRYPOINT_V07_ADDRESS]);
    assert.equal(seen[0].method, 'eth_supportedEntryPoints');
  });
});

describe('bundler client: errors', () => {
  it('a rejection carries the bundler message, JSON-RPC code and the AA code', async () => {
    handler = (body, res) =>
      reply(res, body.id, { error: { code: -32507, message: 'UserOperation reverted during simulation with reason: AA24 signature error', data: { foo: 1 } } });
    await assert.rejects(
      createBundlerClient({ url }).sendUserOperation(op),
      expectBundlerError('BUNDLER_REJECTED', (e) => {
        assert.equal(e.aaCode, 'AA24');
        assert.equal(e.rpcCode, -32507);
        assert.equal(e.method, 'eth_sendUserOperation');
        assert.deepEqual(e.details.data, { foo: 1 });
        assert.match(e.message, /AA24 signature error/);
      }),
    );
  });

  it('the AA code may be in the error data; absent when there is none', async () => {
    handler = (body, res) => reply(res, body.id, { error: { code: -32500, message: 'validation reverted', data: { reason: 'AA23 reverted', revertData: '0x08c379a0' } } });
    await assert.rejects(createBundlerClient({ url }).estimateUserOperationGas(op), expectBundlerError('BUNDLER_REJECTED', (e) => assert.equal(e.aaCode, 'AA23')));
    handler = (body, res) => reply(res, body.id, { error: { code: -32602, message: 'invalid params: nonce' } });
    await assert.rejects(createBundlerClient({ url }).sendUserOperation(op), expectBundlerError('BUNDLER_REJECTED', (e) => assert.equal(e.aaCode, undefined)));
  });

  it('unreachable: nothing listening', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await assert.rejects(
      createBundlerClient({ url: `http://127.0.0.1:${port}` }).supportedEntryPoints(),
      expectBundlerError('BUNDLER_UNREACHABLE', (e) => assert.match(e.message, /ECONNREFUSED/)),
    );
  });

  it('unreachable: HTTP error status without a JSON-RPC body', async () => {
    handler = (_body, res) => {
      res.statusCode = 502;
      res.end('<html>bad gateway</html>');
    };
    await assert.rejects(createBundlerClient({ url }).supportedEntryPoints(), expectBundlerError('BUNDLER_UNREACHABLE', (e) => assert.equal(e.details.status, 502)));
  });

  it('unreachable: no answer within the request timeout', async () => {
    handler = () => {}; // never answers
    await assert.rejects(createBundlerClient({ url, requestTimeoutMs: 150 }).supportedEntryPoints(), expectBundlerError('BUNDLER_UNREACHABLE', (e) => assert.match(e.message, /no answer within 150 ms/)));
  });

  it('bad responses', async () => {
    const client = createBundlerClient({ url });
    handler = (_body, res) => res.end('not json');
    await assert.rejects(client.supportedEntryPoints(), expectBundlerError('BUNDLER_BAD_RESPONSE'));
    handler = (body, res) => reply(res, body.id, {});
    await assert.rejects(client.supportedEntryPoints(), expectBundlerError('BUNDLER_BAD_RESPONSE', (e) => assert.match(e.message, /neither result nor error/)));
    handler = (body, res) => reply(res, body.id, { result: ['0x12'] });
    await assert.rejects(client.supportedEntryPoints(), expectBundlerError('BUNDLER_BAD_RESPONSE'));
    handler = (body, res) => reply(res, body.id, { result: '0x1234' });
    await assert.rejects(client.sendUserOperation(op), expectBundlerError('BUNDLER_BAD_RESPONSE', (e) => assert.match(e.message, /32-byte hash/)));
    handler = (body, res) => reply(res, body.id, { result: { preVerificationGas: '0x1', verificationGasLimit: 'lots', callGasLimit: '0x1' } });
    await assert.rejects(client.estimateUserOperationGas(op), expectBundlerError('BUNDLER_BAD_RESPONSE', (e) => assert.match(e.message, /verificationGasLimit/)));
    handler = (body, res) => reply(res, body.id, { result: { standard: {} } });
    await assert.rejects(client.getUserOperationGasPrice(), expectBundlerError('BUNDLER_BAD_RESPONSE', (e) => assert.match(e.message, /fast/)));
    handler = (body, res) => reply(res, body.id, { result: { success: 'yes' } });
    await assert.rejects(client.getUserOperationReceipt(HASH), expectBundlerError('BUNDLER_BAD_RESPONSE'));
  });
});

describe('bundler client: waitForUserOperationReceipt', () => {
  it('polls until the receipt appears', async () => {
    let calls = 0;
    handler = (body, res) => reply(res, body.id, { result: ++calls < 3 ? null : rpcReceipt });
    const r = await createBundlerClient({ url }).waitForUserOperationReceipt(HASH, { pollIntervalMs: 10 });
    assert.equal(r.success, true);
    assert.equal(calls, 3);
  });

  it('rides out a transient failure', async () => {
    let calls = 0;
    handler = (body, res) => {
      if (++calls === 1) {
        res.statusCode = 503;
        res.end('busy');
        return;
      }
      reply(res, body.id, { result: rpcReceipt });
    };
    const r = await createBundlerClient({ url }).waitForUserOperationReceipt(HASH, { pollIntervalMs: 10 });
    assert.equal(r.receipt.blockNumber, 7n);
    assert.equal(calls, 2);
  });

  it('times out with RECEIPT_TIMEOUT', async () => {
    handler = (body, res) => reply(res, body.id, { result: null });
    const started = Date.now();
    await assert.rejects(
      createBundlerClient({ url }).waitForUserOperationReceipt(HASH, { timeoutMs: 200, pollIntervalMs: 20 }),
      expectBundlerError('RECEIPT_TIMEOUT', (e) => assert.match(e.message, /after 200 ms/)),
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 190 && elapsed < 2000, `elapsed ${elapsed}`);
    assert.ok(seen.length >= 3);
  });

  it('a timeout after failures names the last error', async () => {
    handler = (_body, res) => {
      res.statusCode = 500;
      res.end('oops');
    };
    await assert.rejects(
      createBundlerClient({ url }).waitForUserOperationReceipt(HASH, { timeoutMs: 100, pollIntervalMs: 20 }),
      expectBundlerError('RECEIPT_TIMEOUT', (e) => {
        assert.match(e.message, /last error: .*HTTP 500/);
        assert.ok(e.cause instanceof BundlerError && e.cause.code === 'BUNDLER_UNREACHABLE');
      }),
    );
  });

  it('a rejection while polling is final', async () => {
    handler = (body, res) => reply(res, body.id, { error: { code: -32602, message: 'Missing/invalid userOpHash' } });
    await assert.rejects(createBundlerClient({ url }).waitForUserOperationReceipt(HASH, { timeoutMs: 5000, pollIntervalMs: 10 }), expectBundlerError('BUNDLER_REJECTED'));
    assert.equal(seen.length, 1);
  });

  it('honours an abort signal', async () => {
    handler = (body, res) => reply(res, body.id, { result: null });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('stop')), 50);
    await assert.rejects(createBundlerClient({ url }).waitForUserOperationReceipt(HASH, { timeoutMs: 5000, pollIntervalMs: 10, signal: ac.signal }), /stop/);
  });
});

describe('parseAaCode', () => {
  it('finds the first AAxx code', () => {
    assert.equal(parseAaCode('UserOperation reverted during simulation with reason: AA24 signature error'), 'AA24');
    assert.equal(parseAaCode('FailedOp(0, "AA21 didn\'t pay prefund")'), 'AA21');
    assert.equal(parseAaCode('no code', { reason: 'AA33 reverted' }), 'AA33');
    assert.equal(parseAaCode('AAA24 is not a code, nor is AA2'), undefined);
    assert.equal(parseAaCode(undefined, null), undefined);
  });
});
