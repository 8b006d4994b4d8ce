// EIP-712 request authentication: signing with viem accounts, verification with libsecp256k1
// recovery, tampering, expiry, malleability and malformed signatures, and the message builders.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { concat, encodeAbiParameters, keccak256, recoverTypedDataAddress, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import {
  AUTH_KINDS,
  AuthError,
  danDomain,
  DAN_TYPES,
  METHOD_AUTH,
  assertSignerAllowed,
  authorize,
  authorizeRequest,
  canonicalJson,
  contentDigest,
  keyGenMessage,
  queryMessage,
  requestDigest,
  signMessage,
  signUserOperationMessage,
  useDistributedPermissionMessage,
  typesFor,
  verifyAuth,
  verifyRequest,
  type Auth,
  type AuthBody,
  type AuthKind,
} from '../../src/auth/index.ts';
import { RpcErrorCode } from '../../src/rpc/index.ts';

const NET = 'test-network';

const N = secp256k1.Point.CURVE().n;
const authCode = (code: string) => (e: unknown) => e instanceof AuthError && e.code === code;
const now = () => Math.floor(Date.now() / 1000);
const hex32 = (): Hex => toHex(randomBytes(32));
const addr = (): Address => privateKeyToAccount(generatePrivateKey()).address;
const b32 = (x: bigint) => x.toString(16).padStart(64, '0');

/** One sample body per kind. */
function bodies(owner: Address): { [K in AuthKind]: AuthBody<K> } {
  return {
    KeyGen: keyGenMessage({
      threshold: 2,
      parties: ['12D3KooWA', '12D3KooWB', '12D3KooWC'],
      owner,
      authorizedSigners: [addr(), addr()],
      expiresAt: now() + 86_400,
      policy: { maxValue: '1000', targets: [addr()] },
      requestId: crypto.randomUUID(),
    }),
    Sign: signMessage({ keyId: 'key_0123', digest: hex32(), requestId: crypto.randomUUID() }),
    SignUserOperation: signUserOperationMessage({ keyId: 'key_0123', userOperation: SAMPLE_USEROP(), entryPoint: ENTRY_POINT, chainId: 31337, requestId: crypto.randomUUID() }),
    UseDistributedPermission: useDistributedPermissionMessage({
      keyId: 'key_0123',
      account: addr(),
      permissionId: hex32(),
      calls: [{ to: addr(), data: '0xd09de08a' }, { to: addr(), value: '0x10' }],
      lane: 7,
      maxFeePerGas: '0x3b9aca00',
      maxPriorityFeePerGas: '0x3b9aca00',
      maxCost: '0x1bc16d674ec80000',
      requestId: crypto.randomUUID(),
    }),
    RefreshKey: METHOD_AUTH.dan_refreshKey({ keyId: 'key_0123', requestId: crypto.randomUUID() }).body as AuthBody<'RefreshKey'>,
    Query: queryMessage('dan_getKey', { keyId: 'key_0123' }),
  };
}

const ENTRY_POINT: Address = '0x0000000071727De22E5E9d8BAf0edAc6f37da032';
const SAMPLE_USEROP = () => ({
  sender: addr(),
  nonce: '0x1' as Hex,
  callData: '0xdeadbeef' as Hex,
  callGasLimit: '0x186a0' as Hex,
  verificationGasLimit: '0x30d40' as Hex,
  preVerificationGas: '0xc350' as Hex,
  maxFeePerGas: '0x77359400' as Hex,
  maxPriorityFeePerGas: '0x3b9aca00' as Hex,
});

/** A copy of `body` with field `name` changed, whatever its type. */
function tamper(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const v = body[name];
  let w: unknown;
  if (typeof v === 'bigint') w = v + 1n;
  else if (typeof v === 'number') w = v + 1;
  else if (typeof v === 'boolean') w = !v;
  else if (Array.isArray(v)) w = v.length ? v.slice(1) : [addr()];
  else if (typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)) w = addr();
  else if (typeof v === 'string' && /^0x[0-9a-fA-F]{64}$/.test(v)) w = hex32();
  else if (typeof v === 'string') w = v + 'x';
  else throw new Error(`cannot tamper ${name}`);
  return { ...body, [name]: w };
}

function withSig(auth: Auth, f: (b: Uint8Array) => void): Auth {
  const b = Buffer.from(auth.signature.slice(2), 'hex');
  f(b);
  return { ...auth, signature: `0x${b.toString('hex')}` };
}

describe('auth: EIP-712 definitions', () => {
  it('every kind ends with expiry uint64', () => {
    for (const kind of AUTH_KINDS) assert.deepEqual(DAN_TYPES[kind].at(-1), { name: 'expiry', type: 'uint64' }, kind);
  });

  it('requestDigest equals an independent EIP-712 encoding of the documented type strings', () => {
    const body = signMessage({ keyId: 'key_1', digest: `0x${'11'.repeat(32)}`, requestId: 'req-1' });
    const k = (s: string) => keccak256(toHex(s));
    const domainSeparator = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }],
        [k('EIP712Domain(string name,string version,bytes32 salt)'), k('dan-node'), k('2'), k(`dan-node/network/${NET}`)],
      ),
    );
    const structHash = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint64' }],
        [k('Sign(string keyId,bytes32 digest,string requestId,uint64 expiry)'), k('key_1'), `0x${'11'.repeat(32)}`, k('req-1'), 1_700_000_000n],
      ),
    );
    assert.equal(requestDigest(NET, 'Sign', body, 1_700_000_000), keccak256(concat(['0x1901', domainSeparator, structHash])));
  });
});

describe('auth: sign and verify', () => {
  it('the recovered signer equals viem recoverTypedDataAddress, for random accounts and every kind', async () => {
    for (let i = 0; i < 8; i++) {
      const account = privateKeyToAccount(generatePrivateKey());
      const all = bodies(account.address);
      for (const kind of AUTH_KINDS) {
        const body = all[kind];
        const auth = await authorize(account, kind, body, { network: NET });
        const { signer, digest } = verifyAuth(kind, body, auth, { network: NET });
        const viem = await recoverTypedDataAddress({
          domain: danDomain(NET),
          types: typesFor(kind),
          primaryType: kind,
          message: { ...body, expiry: BigInt(auth.expiry) },
          signature: auth.signature,
        } as Parameters<typeof recoverTypedDataAddress>[0]);
        assert.equal(signer, viem);
        assert.equal(signer, account.address);
        assert.equal(digest, requestDigest(NET, kind, body, auth.expiry));
      }
    }
  });

  it('authorize: expiry defaults to now + 300 s and is configurable', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const body = bodies(account.address).Sign;
    const t = now();
    const a = await authorize(account, 'Sign', body, { network: NET });
    assert.ok(a.expiry >= t + 300 && a.expiry <= t + 302);
    assert.equal(a.signer, account.address);
    assert.match(a.signature, /^0x[0-9a-f]{130}$/);
    assert.equal((await authorize(account, 'Sign', body, { network: NET, expirySec: 60, now: 1000 })).expiry, 1060);
    assert.equal((await authorize(account, 'Sign', body, { network: NET, expiry: 12345 })).expiry, 12345);
    await assert.rejects(authorize(account, 'Sign', body, { network: NET, expirySec: 0 }), RangeError);
  });

  it('tampering any field of the message, the signer, the expiry or the signature -> AUTH_BAD_SIGNATURE', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const all = bodies(account.address);
    for (const kind of AUTH_KINDS) {
      const body = all[kind] as Record<string, unknown>;
      const auth = await authorize(account, kind, all[kind], { network: NET });
      for (const name of Object.keys(body)) {
        assert.throws(() => verifyAuth(kind, tamper(body, name) as AuthBody<typeof kind>, auth, { network: NET }), authCode('AUTH_BAD_SIGNATURE'), `${kind}.${name}`);
      }
      const v = all[kind];
      assert.throws(() => verifyAuth(kind, v, { ...auth, signer: addr() }, { network: NET }), authCode('AUTH_BAD_SIGNATURE'), 'signer');
      assert.throws(() => verifyAuth(kind, v, { ...auth, expiry: auth.expiry + 1 }, { network: NET }), authCode('AUTH_BAD_SIGNATURE'), 'expiry');
      assert.throws(() => verifyAuth(kind, v, withSig(auth, (b) => (b[64] = b[64] === 27 ? 28 : 27)), { network: NET }), authCode('AUTH_BAD_SIGNATURE'), 'v');
      // Low bits of s keep it canonical; low bits of r may leave the curve: both are bad signatures.
      assert.throws(() => verifyAuth(kind, v, withSig(auth, (b) => (b[63] ^= 1)), { network: NET }), authCode('AUTH_BAD_SIGNATURE'), 's');
      for (let bit = 0; bit < 4; bit++) {
        assert.throws(() => verifyAuth(kind, v, withSig(auth, (b) => (b[31] ^= 1 << bit)), { network: NET }), authCode('AUTH_BAD_SIGNATURE'), `r bit ${bit}`);
      }
      // The other kind's types over the same signature.
      const other = AUTH_KINDS.find((k) => k !== kind)!;
      assert.throws(() => verifyAuth(other, all[other], auth, { network: NET }), authCode('AUTH_BAD_SIGNATURE'), `as ${other}`);
      // The same request verified by another network.
      assert.throws(() => verifyAuth(kind, v, auth, { network: `${NET}-b` }), authCode('AUTH_BAD_SIGNATURE'), `${kind} on another network`);
    }
  });

  it('accepts v as 0/1 as well as 27/28', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const body = bodies(account.address).Sign;
    const auth = await authorize(account, 'Sign', body, { network: NET });
    assert.equal(verifyAuth('Sign', body, withSig(auth, (b) => (b[64] -= 27)), { network: NET }).signer, account.address);
  });

  it('expired (now >= expiry) -> AUTH_EXPIRED', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const body = bodies(account.address).Sign;
    const t = 1_800_000_000;
    const auth = await authorize(account, 'Sign', body, { network: NET, now: t, expirySec: 300 });
    assert.equal(verifyAuth('Sign', body, auth, { network: NET, now: t + 299 }).signer, account.address);
    assert.throws(() => verifyAuth('Sign', body, auth, { network: NET, now: t + 300 }), authCode('AUTH_EXPIRED'));
    assert.throws(() => verifyAuth('Sign', body, auth, { network: NET, now: t + 10_000 }), authCode('AUTH_EXPIRED'));
  });

  it('too far in the future is refused as AUTH_MALFORMED (default 3600 s, configurable)', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const body = bodies(account.address).Sign;
    const far = await authorize(account, 'Sign', body, { network: NET, expirySec: 3601 });
    assert.throws(() => verifyAuth('Sign', body, far, { network: NET }), authCode('AUTH_MALFORMED'));
    assert.equal(verifyAuth('Sign', body, far, { network: NET, maxLifetimeSec: 7200 }).signer, account.address);
    const ok = await authorize(account, 'Sign', body, { network: NET, expirySec: 3600 });
    assert.equal(verifyAuth('Sign', body, ok, { network: NET }).signer, account.address);
    const short = await authorize(account, 'Sign', body, { network: NET, expirySec: 120 });
    assert.throws(() => verifyAuth('Sign', body, short, { network: NET, maxLifetimeSec: 60 }), authCode('AUTH_MALFORMED'));
  });

  it('a malleated (high-s) signature is refused, although it recovers the signer', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const body = bodies(account.address).Sign;
    const auth = await authorize(account, 'Sign', body, { network: NET });
    const high = withSig(auth, (b) => {
      const s = BigInt(`0x${Buffer.from(b.subarray(32, 64)).toString('hex')}`);
      b.set(Buffer.from(b32(N - s), 'hex'), 32);
      b[64] = b[64] === 27 ? 28 : 27;
    });
    const viem = await recoverTypedDataAddress({
      domain: danDomain(NET),
      types: typesFor('Sign'),
      primaryType: 'Sign',
      message: { ...body, expiry: BigInt(auth.expiry) },
      signature: high.signature,
    } as Parameters<typeof recoverTypedDataAddress>[0]);
    assert.equal(viem, account.address, 'the malleated signature is otherwise valid');
    assert.throws(() => verifyAuth('Sign', body, high, { network: NET }), authCode('AUTH_MALFORMED'));
  });

  it('garbage signatures and auth objects -> AUTH_MALFORMED, and verification keeps working after', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const body = bodies(account.address).Sign;
    const auth = await authorize(account, 'Sign', body, { network: NET });
    const sig = auth.signature.slice(2);
    const r = sig.slice(0, 64);
    const s = sig.slice(64, 128);
    const v = sig.slice(128);
    const garbage: [string, unknown][] = [
      ['r = 0', { ...auth, signature: `0x${'00'.repeat(32)}${s}${v}` }],
      ['r = n', { ...auth, signature: `0x${b32(N)}${s}${v}` }],
      ['r = 2^256 - 1', { ...auth, signature: `0x${'ff'.repeat(32)}${s}${v}` }],
      ['s = 0', { ...auth, signature: `0x${r}${'00'.repeat(32)}${v}` }],
      ['s = n', { ...auth, signature: `0x${r}${b32(N)}${v}` }],
      ['s = n + 1', { ...auth, signature: `0x${r}${b32(N + 1n)}${v}` }],
      ['s = 2^256 - 1', { ...auth, signature: `0x${r}${'ff'.repeat(32)}${v}` }],
      ['v = 29', { ...auth, signature: `0x${r}${s}1d` }],
      ['v = 2', { ...auth, signature: `0x${r}${s}02` }],
      ['64 bytes', { ...auth, signature: `0x${r}${s}` }],
      ['66 bytes', { ...auth, signature: `0x${sig}00` }],
      ['empty', { ...auth, signature: '0x' }],
      ['no 0x', { ...auth, signature: sig }],
      ['not hex', { ...auth, signature: `0x${'zz'.repeat(65)}` }],
      ['signature not a string', { ...auth, signature: 42 }],
      ['signer not an address', { ...auth, signer: '0x1234' }],
      ['expiry not an integer', { ...auth, expiry: auth.expiry + 0.5 }],
      ['expiry a string', { ...auth, expiry: String(auth.expiry) }],
      ['auth null', null],
      ['auth a string', 'auth'],
    ];
    for (const [what, a] of garbage) {
      assert.throws(() => verifyAuth('Sign', body, a as Auth, { network: NET }), authCode('AUTH_MALFORMED'), what);
      assert.equal(verifyAuth('Sign', body, auth, { network: NET }).signer, account.address, `still working after ${what}`);
    }
  });

  it('an r in range that is not the x of a curve point is a bad signature, not a crash', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const body = bodies(account.address).Sign;
    const auth = await authorize(account, 'Sign', body, { network: NET });
    let x = 5n;
    for (;; x++) {
      try {
        secp256k1.Point.fromHex(`02${b32(x)}`);
      } catch {
        break;
      }
    }
    const bad = { ...auth, signature: `0x${b32(x)}${auth.signature.slice(66)}` as Hex };
    assert.throws(() => verifyAuth('Sign', body, bad, { network: NET }), authCode('AUTH_BAD_SIGNATURE'));
    assert.equal(verifyAuth('Sign', body, auth, { network: NET }).signer, account.address);
  });

  it('a message that cannot be hashed (bad field value) -> AUTH_MALFORMED', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const body = bodies(account.address).Sign;
    const auth = await authorize(account, 'Sign', body, { network: NET });
    assert.throws(() => verifyAuth('Sign', { ...body, digest: '0x1234' }, auth, { network: NET }), authCode('AUTH_MALFORMED'));
  });

  it('assertSignerAllowed compares case-insensitively; AuthError maps to RPC UNAUTHORIZED', () => {
    const a = addr();
    assertSignerAllowed(a, [addr(), a.toLowerCase() as Address]);
    assertSignerAllowed(a.toLowerCase() as Address, [a]);
    assert.throws(() => assertSignerAllowed(a, [addr()]), authCode('AUTH_NOT_ALLOWED'));
    assert.throws(() => assertSignerAllowed(a, []), authCode('AUTH_NOT_ALLOWED'));
    try {
      assertSignerAllowed(a, []);
    } catch (e) {
      const rpc = (e as AuthError).toRpcError();
      assert.equal(rpc.code, RpcErrorCode.UNAUTHORIZED);
      assert.deepEqual(rpc.data, { reason: 'signer_not_allowed', field: 'auth.signer' });
    }
    const reasons = { AUTH_EXPIRED: 'expired', AUTH_BAD_SIGNATURE: 'bad_signature', AUTH_MALFORMED: 'malformed_auth', AUTH_NOT_ALLOWED: 'signer_not_allowed' } as const;
    for (const [code, reason] of Object.entries(reasons)) assert.equal(new AuthError(code as keyof typeof reasons, 'x').toRpcError().data?.reason, reason);
  });
});

describe('auth: message builders', () => {
  const owner = addr();

  it('keyGenMessage: parties as a count, as peer ids, or absent', () => {
    const base = { threshold: 2, owner, requestId: 'r1' };
    assert.deepEqual(keyGenMessage({ ...base, parties: 3 }), {
      owner,
      threshold: 2,
      parties: 3,
      nodes: [],
      authorizedSigners: [],
      expiresAt: 0n,
      policy: '',
      isolated: false,
      requestId: 'r1',
    });
    assert.equal(keyGenMessage({ ...base, isolated: true }).isolated, true);
    const withIds = keyGenMessage({ ...base, parties: ['a', 'b', 'c', 'd'] });
    assert.equal(withIds.parties, 4);
    assert.deepEqual(withIds.nodes, ['a', 'b', 'c', 'd']);
    assert.equal(keyGenMessage(base).parties, 0);
  });

  it('keyGenMessage: policy is canonical JSON, so key order does not change the digest', () => {
    const base = { threshold: 2, owner, requestId: 'r1' };
    const a = keyGenMessage({ ...base, policy: { b: [1, { y: 2, x: 1 }], a: 'z' } });
    const b = keyGenMessage({ ...base, policy: { a: 'z', b: [1, { x: 1, y: 2 }] } });
    assert.equal(a.policy, '{"a":"z","b":[1,{"x":1,"y":2}]}');
    assert.equal(requestDigest(NET, 'KeyGen', a, 1), requestDigest(NET, 'KeyGen', b, 1));
    assert.notEqual(requestDigest(NET, 'KeyGen', a, 1), requestDigest(NET, 'KeyGen', keyGenMessage(base), 1));
  });

  it('queryMessage: params without auth, canonical', () => {
    const m = queryMessage('dan_listKeys', { owner, auth: { signer: owner, signature: '0x', expiry: 1 } });
    assert.deepEqual(m, { method: 'dan_listKeys', params: canonicalJson({ owner }) });
    assert.deepEqual(queryMessage('dan_nodes', {}), { method: 'dan_nodes', params: '{}' });
  });

  it('contentDigest ignores the expiry; requestDigest does not', () => {
    const body = signMessage({ keyId: 'k', digest: hex32(), requestId: 'r' });
    assert.equal(contentDigest(NET, 'Sign', body), requestDigest(NET, 'Sign', body, 0));
    assert.notEqual(requestDigest(NET, 'Sign', body, 1), requestDigest(NET, 'Sign', body, 2));
  });

  it('authorizeRequest / verifyRequest round-trip every method', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const calls = {
      dan_keyGen: { threshold: 2, parties: 3, owner: account.address, requestId: 'r1', policy: { a: 1 } },
      dan_sign: { keyId: 'k1', digest: hex32(), requestId: 'r2' },
      dan_getKey: { keyId: 'k1' },
      dan_listKeys: { owner: account.address },
      dan_nodes: {},
      dan_presignStatus: { keyId: 'k1' },
      dan_refreshKey: { keyId: 'k1', requestId: 'r3' },
    } as const;
    for (const [method, params] of Object.entries(calls) as [keyof typeof calls, object][]) {
      const auth = await authorizeRequest(account, method, params as never, { network: NET });
      assert.equal(verifyRequest(method, { ...params, auth } as never, { network: NET }).signer, account.address, method);
      // The same auth does not authenticate another method.
      const other = method === 'dan_getKey' ? 'dan_presignStatus' : 'dan_getKey';
      assert.throws(() => verifyRequest(other, { keyId: 'k1', auth }, { network: NET }), authCode('AUTH_BAD_SIGNATURE'), `${method} as ${other}`);
    }
  });
});
