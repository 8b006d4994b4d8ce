// The signing-request core in one process: what each dialect authorizes (the digest every node
// derives), and its refusals — a raw digest on a policy key, a userOp outside the signed caps, an
// ephemeral key registered twice.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFunctionData, hashMessage, numberToHex, parseAbi, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { authorizeRequest, userOperationHash, VerifiedRequests } from '../../src/auth/index.ts';
import { encodeCalls, encodeNonce } from '../../src/chain/index.ts';
import { authorizeSign, maxGasCost, prepareSign, registerEphemeralKey, RequestError, sessionNonceKey, type KeyTerms, type RequestContext } from '../../src/requests/index.ts';
import type { DanMethod, DanParams, UnsignedParams, UserOperationJson } from '../../src/rpc/index.ts';

const NET = 'unit';
const chain = { chainId: 31337, entryPoint: '0x0000000071727De22E5E9d8BAf0edAc6f37da032' as Address, smartSessions: '0x00000000002B0eCfbD0496EE71e01257dA0E37DE' as Address };
const ctx: RequestContext = { verified: new VerifiedRequests(NET), chain };
const owner = privateKeyToAccount(generatePrivateKey());
const app = privateKeyToAccount(generatePrivateKey());
const target = privateKeyToAccount(generatePrivateKey()).address;
const account = privateKeyToAccount(generatePrivateKey()).address;
const increment = encodeFunctionData({ abi: parseAbi(['function increment()']), functionName: 'increment' });
const key = (policy?: unknown): KeyTerms => ({ keyId: 'key_unit', owner: owner.address, authorizedSigners: [app.address], expiresAt: 0, threshold: 2, ...(policy ? { policy } : {}) });
const signedBy = async <M extends DanMethod>(who: typeof owner, method: M, p: UnsignedParams<M>, network = NET) =>
  ({ ...p, auth: await authorizeRequest(who, method, p, { network }) }) as DanParams<M>;
const code = (c: string) => (e: unknown) => e instanceof RequestError && e.code === c;

const op = (o: Partial<UserOperationJson> = {}): UserOperationJson =>
  ({
    sender: account,
    nonce: numberToHex(encodeNonce({ key: sessionNonceKey(9, chain.smartSessions), sequence: 4n })),
    callData: encodeCalls([{ to: target, value: 0n, data: increment }]),
    callGasLimit: '0x186a0',
    verificationGasLimit: '0x7a120',
    preVerificationGas: '0xea60',
    maxFeePerGas: '0x77359400',
    maxPriorityFeePerGas: '0x3b9aca00',
    ...o,
  }) as UserOperationJson;

const permission = (o: Partial<UnsignedParams<'dan_useDistributedPermission'>> = {}) =>
  signedBy(owner, 'dan_useDistributedPermission', {
    keyId: 'key_unit',
    account,
    permissionId: `0x${'ab'.repeat(32)}`,
    calls: [{ to: target, data: increment }],
    lane: 9,
    maxFeePerGas: '0x77359400',
    maxPriorityFeePerGas: '0x3b9aca00',
    maxCost: numberToHex(maxGasCost(op())),
    requestId: 'perm-1',
    ...o,
  });

describe('requests: what a request authorizes', () => {
  it('a raw digest is signed as given; a userOp by the EIP-191 digest of its v0.7 hash', async () => {
    const digest = `0x${'11'.repeat(32)}` as Hex;
    const a = authorizeSign({ kind: 'digest', request: await signedBy(app, 'dan_sign', { keyId: 'key_unit', digest, requestId: 'r1' }) }, key(), ctx);
    assert.equal(a.digest, digest);
    assert.equal(a.signer, app.address);
    const p = await permission();
    const b = authorizeSign({ kind: 'permission', request: p, userOperation: op() }, key(), ctx);
    assert.equal(b.digest, hashMessage({ raw: userOperationHash(op(), chain.entryPoint, chain.chainId) }));
    assert.equal(b.requestId, 'perm-1');
  });

  it('the request hash ignores the auth lifetime (a retry) but the digest follows the userOp', async () => {
    const p1 = await permission();
    const p2 = await permission(); // signed again: another expiry/signature, same content
    const a = prepareSign({ kind: 'permission', request: p1, userOperation: op() }, key(), ctx);
    const b = prepareSign({ kind: 'permission', request: p2, userOperation: op() }, key(), ctx);
    const c = prepareSign({ kind: 'permission', request: p2, userOperation: op({ nonce: numberToHex(encodeNonce({ key: sessionNonceKey(9, chain.smartSessions), sequence: 5n })) }) }, key(), ctx);
    assert.equal(a.requestHash, b.requestHash);
    assert.equal(a.digest, b.digest);
    assert.equal(c.requestHash, a.requestHash);
    assert.notEqual(c.digest, a.digest);
  });

  it('refuses what the user did not sign: another network, a stranger, an expired key', async () => {
    const p = { keyId: 'key_unit', digest: `0x${'22'.repeat(32)}` as Hex, requestId: 'r2' };
    assert.throws(() => authorizeSign({ kind: 'digest', request: { ...p, auth: { signer: owner.address, signature: `0x${'00'.repeat(65)}`, expiry: 1 } } }, key(), ctx), code('UNAUTHORIZED'));
    const otherNetwork = await signedBy(owner, 'dan_sign', p, 'other');
    const byStranger = await signedBy(privateKeyToAccount(generatePrivateKey()), 'dan_sign', p);
    const byOwner = await signedBy(owner, 'dan_sign', p);
    assert.throws(() => authorizeSign({ kind: 'digest', request: otherNetwork }, key(), ctx), code('UNAUTHORIZED'));
    assert.throws(() => authorizeSign({ kind: 'digest', request: byStranger }, key(), ctx), code('UNAUTHORIZED'));
    assert.throws(() => authorizeSign({ kind: 'digest', request: byOwner }, { ...key(), expiresAt: 1 }, ctx), code('KEY_EXPIRED'));
  });

  it('a key with a policy signs no raw digest, unless rawSigning is "owner" (then the owner only)', async () => {
    const p = { keyId: 'key_unit', digest: `0x${'33'.repeat(32)}` as Hex, requestId: 'r3' };
    const policy = { allow: [{ target, selector: '0xd09de08a' }] };
    const byOwner = await signedBy(owner, 'dan_sign', p);
    const byApp = await signedBy(app, 'dan_sign', p);
    assert.throws(() => authorizeSign({ kind: 'digest', request: byOwner }, key(policy), ctx), code('POLICY_VIOLATION'));
    assert.throws(() => authorizeSign({ kind: 'digest', request: byApp }, key(policy), ctx), code('POLICY_VIOLATION'));
    assert.equal(authorizeSign({ kind: 'digest', request: byOwner }, key({ ...policy, rawSigning: 'owner' }), ctx).signer, owner.address);
    assert.throws(() => authorizeSign({ kind: 'digest', request: byApp }, key({ ...policy, rawSigning: 'owner' }), ctx), code('POLICY_VIOLATION'));
  });

  it('refuses a built userOp outside the signed caps, lane, calls, or with a paymaster or factory', async () => {
    const p = await permission();
    const refused = (userOperation: UserOperationJson, c: string) => assert.throws(() => prepareSign({ kind: 'permission', request: p, userOperation }, key(), ctx), code(c), JSON.stringify(userOperation).slice(0, 80));
    refused(op({ preVerificationGas: numberToHex(50_000_000n) }), 'CAP_EXCEEDED');
    refused(op({ maxFeePerGas: '0x77359401' }), 'CAP_EXCEEDED');
    refused(op({ maxPriorityFeePerGas: '0x3b9aca01' }), 'CAP_EXCEEDED');
    refused(op({ nonce: numberToHex(encodeNonce({ key: sessionNonceKey(8, chain.smartSessions), sequence: 4n })) }), 'UNAUTHORIZED');
    refused(op({ paymaster: target, paymasterVerificationGasLimit: '0x1', paymasterPostOpGasLimit: '0x1', paymasterData: '0x' }), 'UNAUTHORIZED');
    refused(op({ factory: target, factoryData: '0x12' }), 'UNAUTHORIZED');
    refused(op({ callData: encodeCalls([{ to: target, value: 1n, data: increment }]) }), 'UNAUTHORIZED');
    refused(op({ sender: target }), 'UNAUTHORIZED');
    // Exactly at the caps: fine.
    assert.ok(prepareSign({ kind: 'permission', request: p, userOperation: op() }, key(), ctx).digest);
  });
});

describe('requests: ephemeral key registration', () => {
  const claim = (ephPK: Hex, expiry: number) => ({ ephId: 'eph-1', ephPK, expiry });
  const pk = (b: string) => `0x${b.repeat(32)}` as Hex;

  it('registers a new id; extends a known one with the same key and a later expiry', () => {
    const one = registerEphemeralKey([], claim(pk('01'), 100));
    assert.deepEqual(one, [claim(pk('01'), 100)]);
    assert.deepEqual(registerEphemeralKey(one, claim(pk('01'), 200)), [claim(pk('01'), 200)]);
  });

  it('refuses a replay (same or older expiry) and another key under a known id, also after it expired', () => {
    const one = registerEphemeralKey([], claim(pk('01'), 100));
    assert.throws(() => registerEphemeralKey(one, claim(pk('01'), 100)), code('EPHEMERAL_KEY_CONFLICT'));
    assert.throws(() => registerEphemeralKey(one, claim(pk('01'), 50)), code('EPHEMERAL_KEY_CONFLICT'));
    assert.throws(() => registerEphemeralKey(one, claim(pk('02'), 500)), code('EPHEMERAL_KEY_CONFLICT'));
  });
});
