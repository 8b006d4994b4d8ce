// The coordinator's JSON-RPC contract: parameter validators (first bad field named), error codes
// and the request/response envelope.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DAN_METHODS,
  RpcError,
  RpcErrorCode,
  errorResponse,
  parseRequest,
  successResponse,
  toRpcError,
  validateParams,
  validateUnsignedParams,
  type DanMethod,
} from '../../src/rpc/index.ts';
import { DanError, codeOfRpc, errorSpec } from '../../src/errors/index.ts';

const OWNER = '0x8ba1f109551bD432803012645Ac136ddd64DBA72'; // EIP-55 checksummed
const auth = { signer: OWNER, signature: `0x${'11'.repeat(64)}1b`, expiry: 1_900_000_000 };

const valid: { [M in DanMethod]: Record<string, unknown> } = {
  dan_keyGen: {
    threshold: 2,
    parties: 3,
    owner: OWNER,
    authorizedSigners: [OWNER.toLowerCase()],
    expiresAt: 0,
    policy: { maxValue: '10', nested: { list: [1, 'a', null, true] } },
    requestId: 'req:1.a-b_c',
    auth,
  },
  dan_sign: { keyId: 'key_1', digest: `0x${'ab'.repeat(32)}`, requestId: '8d0b4a5e-7b5e-4c1b-9d6f-0a1b2c3d4e5f', auth },
  dan_getKey: { keyId: 'key_1', auth },
  dan_listKeys: { owner: OWNER, auth },
  dan_nodes: { auth },
  dan_presignStatus: { keyId: 'key_1', auth },
  dan_signUserOperation: {
    keyId: 'key_1',
    userOperation: {
      sender: OWNER,
      nonce: '0x0',
      callData: '0x',
      callGasLimit: '0x1',
      verificationGasLimit: '0x1',
      preVerificationGas: '0x1',
      maxFeePerGas: '0x1',
      maxPriorityFeePerGas: '0x1',
    },
    entryPoint: '0x0000000071727De22E5E9d8BAf0edAc6f37da032',
    chainId: 31337,
    requestId: 'r1',
    auth,
  },
  dan_useDistributedPermission: {
    keyId: 'key_1',
    account: OWNER,
    permissionId: `0x${'cd'.repeat(32)}`,
    calls: [{ to: OWNER, data: '0xd09de08a' }],
    lane: 5,
    maxFeePerGas: '0x77359400',
    maxPriorityFeePerGas: '0x3b9aca00',
    maxCost: '0x2386f26fc10000',
    waitForReceipt: true,
    requestId: 'r2',
    auth,
  },
  dan_refreshKey: { keyId: 'key_1', requestId: 'r3', auth },
};

function invalid(field: string, message?: RegExp, reason = 'invalid_field') {
  return (e: unknown) => {
    assert.ok(e instanceof RpcError, `not an RpcError: ${e}`);
    assert.equal(e.code, RpcErrorCode.INVALID_PARAMS);
    assert.deepEqual(e.data, { reason, field });
    if (message) assert.match(e.message, message);
    return true;
  };
}

describe('rpc: error codes', () => {
  it('has the documented codes', () => {
    assert.deepEqual(RpcErrorCode, {
      PARSE_ERROR: -32700,
      INVALID_REQUEST: -32600,
      METHOD_NOT_FOUND: -32601,
      INVALID_PARAMS: -32602,
      INTERNAL_ERROR: -32603,
      UNAUTHORIZED: -32001,
      UNKNOWN_KEY: -32002,
      QUORUM_UNAVAILABLE: -32003,
      TIMEOUT: -32004,
      REQUEST_CONFLICT: -32005,
      POLICY_VIOLATION: -32006,
      BUNDLER_ERROR: -32007,
      PROTOCOL_ABORTED: -32008,
      BUSY: -32009,
    });
  });

  it('toRpcError maps every error of the family through the registry, with its code and context', () => {
    const banned = toRpcError(new DanError('PEER_BANNED', 'peer x is banned', { peer: 'x', kind: 'banned' }), 'signing failed');
    assert.equal(banned.code, RpcErrorCode.QUORUM_UNAVAILABLE);
    assert.equal(banned.message, 'signing failed: peer x is banned');
    assert.deepEqual(banned.data, { peer: 'x', kind: 'banned', reason: 'peer_banned', code: 'PEER_BANNED' });
    const aborted = toRpcError(new DanError('PROTOCOL_ABORTED', 'presign aborted', { check: 'OT_CHECK_FAILED', suspect: 'p', ban: true }));
    assert.equal(aborted.code, RpcErrorCode.PROTOCOL_ABORTED);
    assert.equal(aborted.data?.suspect, 'p');
    assert.equal(aborted.data?.ban, true);
    // A context reason wins over the registry's (node UNAUTHORIZED carries the auth reason).
    assert.equal(toRpcError(new DanError('UNAUTHORIZED', 'x', { reason: 'expired' })).data?.reason, 'expired');
    assert.equal(toRpcError(new DanError('BAD_CALL', 'x')).code, RpcErrorCode.INVALID_PARAMS);
    // Anything else is INTERNAL without its message; an RpcError is kept as it is.
    assert.deepEqual(toRpcError(new Error('secret detail')).toJSON(), { code: -32603, message: 'internal error', data: { reason: 'internal' } });
    const rpc = new RpcError(RpcErrorCode.UNKNOWN_KEY, 'k', { reason: 'unknown_key' });
    assert.equal(toRpcError(rpc), rpc);
  });

  it('the registry: unknown codes are INTERNAL; retryable codes are the ones another signer set may fix', () => {
    assert.deepEqual(errorSpec('NO_SUCH_CODE'), errorSpec('INTERNAL'));
    for (const code of ['PROTOCOL_ABORTED', 'PEER_BANNED', 'TIMEOUT', 'PEER_UNAVAILABLE', 'REFRESH_REQUIRED']) assert.equal(errorSpec(code).retryable, true, code);
    for (const code of ['UNAUTHORIZED', 'KEY_EXPIRED', 'POLICY_VIOLATION', 'REQUEST_CONFLICT', 'BAD_CALL', 'UNKNOWN_KEY', 'MALFORMED_FRAME']) assert.equal(errorSpec(code).retryable, false, code);
    assert.equal(codeOfRpc(RpcErrorCode.QUORUM_UNAVAILABLE), 'QUORUM_UNAVAILABLE');
    assert.equal(codeOfRpc(-1), 'INTERNAL');
  });

  it('RpcError serialises to a JSON-RPC error object', () => {
    const e = new RpcError(RpcErrorCode.UNKNOWN_KEY, 'unknown key k', { reason: 'unknown_key', keyId: 'k' });
    assert.deepEqual(JSON.parse(JSON.stringify(e)), { code: -32002, message: 'unknown key k', data: { reason: 'unknown_key', keyId: 'k' } });
    assert.deepEqual(new RpcError(-32603, 'x').toJSON(), { code: -32603, message: 'x' });
    assert.ok(e instanceof Error);
    assert.equal(e.reason, 'unknown_key');
  });
});

describe('rpc: validateParams', () => {
  it('accepts valid params of every method and returns them unchanged', () => {
    for (const method of DAN_METHODS) {
      const p = valid[method];
      assert.equal(validateParams(method, p), p, method);
      assert.equal(validateParams(method, [p]), p, `${method} wrapped in an array`);
    }
  });

  it('accepts the optional keyGen fields absent and parties as peer ids', () => {
    const { threshold, owner, requestId } = valid.dan_keyGen;
    validateParams('dan_keyGen', { threshold, owner, requestId, auth });
    validateParams('dan_keyGen', { threshold: 3, parties: ['12D3KooWAbc', '12D3KooWDef', 'bafzbeigai3'], owner, requestId, auth });
    validateParams('dan_keyGen', { threshold: 16, parties: 16, owner, requestId, auth, expiresAt: 4_000_000_000 });
  });

  it('unknown method -> METHOD_NOT_FOUND', () => {
    assert.throws(
      () => validateParams('dan_nope', {}),
      (e: unknown) => e instanceof RpcError && e.code === RpcErrorCode.METHOD_NOT_FOUND && e.data?.reason === 'method_not_found',
    );
  });

  it('missing auth -> UNAUTHORIZED missing_auth, before any other check', () => {
    for (const params of [undefined, {}, { keyId: 'bad key!' }, [{}]]) {
      assert.throws(
        () => validateParams('dan_getKey', params),
        (e: unknown) => e instanceof RpcError && e.code === RpcErrorCode.UNAUTHORIZED && e.data?.reason === 'missing_auth' && e.data.field === 'auth',
      );
    }
  });

  it('names the first bad field, with a readable message', () => {
    // [method, params patch, field named ('' = accepted), message, reason (default invalid_field)]
    const cases: [DanMethod, Record<string, unknown>, string, RegExp?, string?][] = [
      ['dan_sign', { digest: '0x1234' }, 'digest', /^params\.digest must be a 32-byte 0x-hex string$/],
      ['dan_sign', { digest: `0x${'zz'.repeat(32)}` }, 'digest'],
      ['dan_sign', { digest: 'ab'.repeat(33) }, 'digest'],
      ['dan_sign', { keyId: '' }, 'keyId', /^params\.keyId must be 1 to 128 characters/],
      ['dan_sign', { keyId: 'k'.repeat(129) }, 'keyId'],
      ['dan_sign', { keyId: 'key 1' }, 'keyId'],
      ['dan_sign', { keyId: 7 }, 'keyId'],
      ['dan_sign', { requestId: 'a/b' }, 'requestId'],
      ['dan_sign', { keyId: undefined }, 'keyId', /^params\.keyId is required$/],
      ['dan_sign', { keyId: 'bad key', digest: '0x' }, 'keyId'],
      ['dan_sign', { extra: 1 }, 'extra', /^params\.extra is not a known parameter$/, 'unknown_field'],
      ['dan_keyGen', { threshold: 1 }, 'threshold', /^params\.threshold must be an integer in \[2, 16\]$/],
      ['dan_keyGen', { threshold: 17 }, 'threshold'],
      ['dan_keyGen', { threshold: 2.5 }, 'threshold'],
      ['dan_keyGen', { threshold: '2' }, 'threshold'],
      ['dan_keyGen', { parties: 1 }, 'parties'],
      ['dan_keyGen', { parties: 17 }, 'parties'],
      ['dan_keyGen', { threshold: 3, parties: 2 }, 'parties', /at least threshold \(3\)/],
      ['dan_keyGen', { threshold: 3, parties: ['a', 'b'] }, 'parties'],
      ['dan_keyGen', { parties: ['a', 'b', 'a'] }, 'parties[2]', /duplicate/],
      ['dan_keyGen', { parties: ['a', 'b c'] }, 'parties[1]'],
      ['dan_keyGen', { parties: 'abc' }, 'parties'],
      ['dan_keyGen', { owner: '0x1234' }, 'owner', /20-byte/],
      ['dan_keyGen', { owner: OWNER.replace('8ba1', '8BA1') }, 'owner', /checksum/],
      ['dan_keyGen', { authorizedSigners: [OWNER, 'nope'] }, 'authorizedSigners[1]'],
      ['dan_keyGen', { authorizedSigners: OWNER }, 'authorizedSigners'],
      ['dan_keyGen', { authorizedSigners: Array(33).fill(OWNER) }, 'authorizedSigners'],
      ['dan_keyGen', { expiresAt: -1 }, 'expiresAt'],
      ['dan_keyGen', { expiresAt: 1.5 }, 'expiresAt'],
      ['dan_keyGen', { policy: [1] }, 'policy', /JSON object/],
      ['dan_keyGen', { policy: null }, 'policy'],
      ['dan_keyGen', { policy: 'x' }, 'policy'],
      ['dan_keyGen', { policy: { a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } } }, '', undefined], // 8 levels: accepted
      ['dan_keyGen', { policy: { a: { b: { c: { d: { e: { f: { g: { h: [1] } } } } } } } } }, 'policy.a.b.c.d.e.f.g.h', /deeper than 8/],
      ['dan_keyGen', { policy: { big: 'x'.repeat(17_000) } }, 'policy', /at most 16384/],
      ['dan_keyGen', { policy: { n: NaN } }, 'policy.n'],
      ['dan_keyGen', { policy: { d: new Date() } }, 'policy.d'],
      ['dan_keyGen', { requestId: undefined }, 'requestId'],
      ['dan_listKeys', { owner: undefined }, 'owner'],
      ['dan_getKey', { auth: { ...auth, signature: '0x1234' } }, 'auth.signature', /^params\.auth\.signature must be a 65-byte 0x-hex string$/],
      ['dan_getKey', { auth: { ...auth, signer: 'x' } }, 'auth.signer'],
      ['dan_getKey', { auth: { ...auth, expiry: '1' } }, 'auth.expiry'],
      ['dan_getKey', { auth: { ...auth, extra: 1 } }, 'auth.extra', undefined, 'unknown_field'],
      ['dan_getKey', { auth: 'token' }, 'auth', /^params\.auth must be an object$/],
      ['dan_nodes', { owner: OWNER }, 'owner', undefined, 'unknown_field'],
    ];
    for (const [method, patch, field, message, reason] of cases) {
      if (field === '') {
        validateParams(method, { ...valid[method], ...patch });
        continue;
      }
      assert.throws(() => validateParams(method, { ...valid[method], ...patch }), invalid(field, message, reason), `${method} ${JSON.stringify(patch).slice(0, 60)}`);
    }
  });

  it('validateUnsignedParams: the same checks without auth (client side, before signing)', () => {
    for (const method of DAN_METHODS) {
      const { auth: _auth, ...unsigned } = valid[method];
      assert.equal(validateUnsignedParams(method, unsigned), unsigned, method);
      assert.throws(() => validateUnsignedParams(method, valid[method]), invalid('auth', undefined, 'unknown_field'), method);
    }
    assert.throws(() => validateUnsignedParams('dan_sign', { keyId: 'k', digest: '0x', requestId: 'r' }), invalid('digest'));
    assert.throws(() => validateUnsignedParams('dan_keyGen', { threshold: 4, parties: 3, owner: OWNER, requestId: 'r' }), invalid('parties'));
    validateUnsignedParams('dan_nodes', undefined);
  });

  it('params that are not an object -> INVALID_PARAMS on params', () => {
    for (const p of ['x', 1, null, [valid.dan_getKey, valid.dan_getKey]]) {
      assert.throws(() => validateParams('dan_getKey', p), invalid('params', /^params must be an object$/), JSON.stringify(p));
    }
  });
});

describe('rpc: envelope', () => {
  it('parseRequest accepts a JSON-RPC 2.0 request', () => {
    assert.deepEqual(parseRequest({ jsonrpc: '2.0', id: 7, method: 'dan_nodes', params: { auth } }), { jsonrpc: '2.0', id: 7, method: 'dan_nodes', params: { auth } });
    assert.equal(parseRequest({ jsonrpc: '2.0', id: 'a', method: 'm' }).params, undefined);
  });

  it('parseRequest refuses malformed requests with INVALID_REQUEST, echoing a readable id', () => {
    const bad: [unknown, unknown][] = [
      [[], null],
      ['x', null],
      [{ jsonrpc: '2.0', method: 'm' }, null],
      [{ jsonrpc: '2.0', id: 1.5, method: 'm' }, null],
      [{ jsonrpc: '2.0', id: {}, method: 'm' }, null],
      [{ jsonrpc: '1.0', id: 1, method: 'm' }, 1],
      [{ jsonrpc: '2.0', id: 2, method: 5 }, 2],
      [{ jsonrpc: '2.0', id: 3, method: 'm', params: 'p' }, 3],
    ];
    for (const [body, id] of bad) {
      assert.throws(
        () => parseRequest(body),
        (e: unknown) => e instanceof RpcError && e.code === RpcErrorCode.INVALID_REQUEST && e.data?.id === id,
        JSON.stringify(body),
      );
    }
  });

  it('builds success and error responses; unknown errors do not leak their message', () => {
    assert.deepEqual(successResponse(1, { ok: true }), { jsonrpc: '2.0', id: 1, result: { ok: true } });
    assert.deepEqual(errorResponse(2, new RpcError(-32002, 'unknown key', { reason: 'unknown_key' })), {
      jsonrpc: '2.0',
      id: 2,
      error: { code: -32002, message: 'unknown key', data: { reason: 'unknown_key' } },
    });
    assert.deepEqual(errorResponse(null, new Error('secret path /home/x')), {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32603, message: 'internal error', data: { reason: 'internal' } },
    });
  });
});
