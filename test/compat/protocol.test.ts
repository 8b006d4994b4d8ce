// The legacy wallet-provider protocol checks (src/compat), fed with frames the published client
// library (@silencelaboratories/walletprovider-sdk 0.3, as used by @biconomy/sdk 0.0.10) builds
// itself: accepted as sent, refused after any tampering.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hashMessage, hashTypedData, recoverAddress, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { getUserOperationHash } from 'viem/account-abstraction';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  CompatError,
  checkAddEphemeralKey,
  checkKeygen,
  checkSigngen,
  closeOf,
  decodeSignMessage,
  eoaTypedData,
  keygenResult,
  parseKeygenSetup,
  signgenResult,
  type LegacyRequest,
} from '../../src/compat/index.ts';
import { RpcError, RpcErrorCode } from '../../src/rpc/index.ts';
import { ensureLegacySdk, newEphemeralKey, prepareAddEphemeralKey, prepareKeygen, prepareSigngen, signgenMessage, type EphemeralKey } from '../helpers/legacy-sdk.ts';

const challenge = () => randomBytes(32).toString('hex');
const now = () => Math.floor(Date.now() / 1000);

/** Rejects with a CompatError of `code`. */
async function refused(p: Promise<unknown> | (() => unknown), code: string, what: string): Promise<void> {
  await assert.rejects(
    async () => (typeof p === 'function' ? p() : p),
    (e: unknown) => {
      assert.ok(e instanceof CompatError, `${what}: expected a CompatError, got ${(e as Error)?.stack ?? e}`);
      assert.equal(e.code, code, `${what}: ${e.message}`);
      return true;
    },
    what,
  );
}

const userOp = {
  sender: '0x1111111111111111111111111111111111111111',
  nonce: '0x5',
  callData: '0xabcdef',
  callGasLimit: '0x10000',
  verificationGasLimit: '0x20000',
  preVerificationGas: '0x5000',
  maxFeePerGas: '0x3b9aca00',
  maxPriorityFeePerGas: '0x3b9aca00',
};

describe('legacy wallet-provider protocol checks', () => {
  const owner = privateKeyToAccount(generatePrivateKey());
  const stranger = privateKeyToAccount(generatePrivateKey());
  let eph: EphemeralKey;

  before(async () => {
    ensureLegacySdk();
    eph = await newEphemeralKey();
  });

  async function keygen(o: Partial<Parameters<typeof prepareKeygen>[0]> = {}): Promise<LegacyRequest> {
    const c = challenge();
    const prepared = await prepareKeygen({ owner, eph, t: 2, n: 3, ...o });
    return { setup: prepared.setup, challenge: c, auth: await prepared.authenticate(c) };
  }

  it('keygen: accepts the client library frames; the digest is the EIP-712 hash the EOA signed', async () => {
    const r = await keygen();
    const checked = await checkKeygen(r);
    assert.equal(checked.owner, owner.address);
    assert.deepEqual([checked.t, checked.n], [2, 3]);
    assert.equal(checked.ephemeralKey.ephId, eph.ephId);
    assert.equal(checked.ephemeralKey.ephPK, `0x${Buffer.from(ed25519.getPublicKey(eph.ephSK)).toString('hex')}`);
    assert.ok(Math.abs(checked.ephemeralKey.expiry - (now() + 3600)) <= 5);
    const setup = parseKeygenSetup(r.setup);
    const digest = hashTypedData(eoaTypedData('keygen', setup, r.challenge) as Parameters<typeof hashTypedData>[0]);
    assert.equal(checked.digest, digest);
    const auth = JSON.parse(r.auth);
    assert.equal(await recoverAddress({ hash: digest, signature: auth.signature }), owner.address);
  });

  it('keygen: refuses a wrong EOA signature, tampered t/n/claim/challenge, an expired claim and malformed frames', async () => {
    const r = await keygen();
    const auth = JSON.parse(r.auth);
    await refused(checkKeygen(await keygen({ claimedSigner: stranger.address })), 'UNAUTHORIZED', 'signed by owner, claims stranger');
    const byStranger = await keygen({ owner: stranger });
    await refused(checkKeygen({ ...byStranger, auth: JSON.stringify({ ...JSON.parse(byStranger.auth), credentials: { ...JSON.parse(byStranger.auth).credentials, id: owner.address } }) }), 'UNAUTHORIZED', 'signed by stranger, claims owner');
    await refused(checkKeygen({ ...r, setup: r.setup.replace('"t":2', '"t":3') }), 'UNAUTHORIZED', 't changed');
    await refused(checkKeygen({ ...r, setup: r.setup.replace('"n":3', '"n":5') }), 'UNAUTHORIZED', 'n changed');
    await refused(checkKeygen({ ...r, challenge: challenge() }), 'UNAUTHORIZED', 'other challenge');
    const other = await newEphemeralKey(eph.ephId);
    const swapped = await keygen({ eph: other });
    await refused(checkKeygen({ ...r, setup: swapped.setup }), 'UNAUTHORIZED', 'claim swapped in the setup');
    await refused(checkKeygen({ ...r, auth: JSON.stringify({ ...auth, signature: `${auth.signature.slice(0, 10)}${auth.signature[10] === '0' ? '1' : '0'}${auth.signature.slice(11)}` }) }), 'UNAUTHORIZED', 'signature bit flipped');
    await refused(checkKeygen({ ...r, auth: JSON.stringify({ ...auth, credentials: { ...auth.credentials, method: 'ephemeral' } }) }), 'UNAUTHORIZED', 'method ephemeral');
    await refused(checkKeygen(r, now() + 7200), 'EXPIRED', 'claim expired');
    await refused(checkKeygen({ ...r, setup: 'not json' }), 'MALFORMED_FRAME', 'setup not JSON');
    await refused(checkKeygen({ ...r, auth: '[1]' }), 'MALFORMED_FRAME', 'auth not an object');
    await refused(checkKeygen({ ...r, challenge: 'zz' }), 'MALFORMED_FRAME', 'bad challenge');
    await refused(checkKeygen({ ...r, setup: r.setup.replace('"metadata":[', '"metadata":[{"tag":1,"value":"{}"},') }), 'UNSUPPORTED', 'permissions');
    await refused(checkKeygen({ ...r, setup: r.setup.replace('"t":2', '"t":2,"extra":1') }), 'MALFORMED_FRAME', 'unknown field');
    await refused(checkKeygen({ ...r, setup: r.setup.replace('"t":2', '"t":-1') }), 'MALFORMED_FRAME', 'negative t');
  });

  it('signgen: accepts the client library frames; signs the EIP-191 digest of the v0.7 userOp hash', async () => {
    const c = challenge();
    const prepared = await prepareSigngen({ eph, keyId: 'key_1', message: signgenMessage(userOp, 31337), t: 2 });
    const r = { setup: prepared.setup, challenge: c, auth: await prepared.authenticate(c) };
    const registered = { ephId: eph.ephId, ephPK: `0x${Buffer.from(ed25519.getPublicKey(eph.ephSK)).toString('hex')}` as Hex, expiry: now() + 60 };
    const checked = checkSigngen(r, { keyId: 'key_1', threshold: 2, ephemeralKeys: [registered] });
    const expected = getUserOperationHash({
      chainId: 31337,
      entryPointAddress: '0x0000000071727De22E5E9d8BAf0edAc6f37da032',
      entryPointVersion: '0.7',
      userOperation: { ...userOp, nonce: 5n, callGasLimit: 0x10000n, verificationGasLimit: 0x20000n, preVerificationGas: 0x5000n, maxFeePerGas: 0x3b9aca00n, maxPriorityFeePerGas: 0x3b9aca00n, signature: '0x' } as never,
    });
    assert.equal(checked.userOpHash, expected);
    assert.equal(checked.digest, hashMessage({ raw: expected }));
    assert.equal(checked.ephId, eph.ephId);

    // The registered key decides, not the claim sent at sign time (which always looks fresh).
    await refused(() => checkSigngen(r, { keyId: 'key_1', threshold: 2, ephemeralKeys: [{ ...registered, expiry: now() - 1 }] }), 'EXPIRED', 'registered key expired');
    const other = await newEphemeralKey(eph.ephId);
    const otherPK = `0x${Buffer.from(ed25519.getPublicKey(other.ephSK)).toString('hex')}` as Hex;
    await refused(() => checkSigngen(r, { keyId: 'key_1', threshold: 2, ephemeralKeys: [{ ...registered, ephPK: otherPK }] }), 'UNAUTHORIZED', 'another key registered under this ephId');
    await refused(() => checkSigngen(r, { keyId: 'key_1', threshold: 2, ephemeralKeys: [{ ...registered, ephId: 'someone-else' }] }), 'UNAUTHORIZED', 'ephId not registered');
    await refused(() => checkSigngen(r, { keyId: 'key_2', threshold: 2, ephemeralKeys: [registered] }), 'MALFORMED_FRAME', 'another key');
    await refused(() => checkSigngen(r, { keyId: 'key_1', threshold: 3, ephemeralKeys: [registered] }), 'UNSUPPORTED', 'threshold differs');
    await refused(() => checkSigngen({ ...r, challenge: challenge() }, { keyId: 'key_1', threshold: 2, ephemeralKeys: [registered] }), 'UNAUTHORIZED', 'other challenge');
    // A different userOp under the captured signature.
    const swapped = Buffer.from(signgenMessage({ ...userOp, callData: '0xdeadbeef' }, 31337)).toString('base64');
    const setup = JSON.parse(r.setup);
    await refused(() => checkSigngen({ ...r, setup: JSON.stringify({ ...setup, message: swapped }) }, { keyId: 'key_1', threshold: 2, ephemeralKeys: [registered] }), 'UNAUTHORIZED', 'userOp swapped');
    const auth = JSON.parse(r.auth);
    await refused(() => checkSigngen({ ...r, auth: JSON.stringify({ ...auth, signature: auth.signature.slice(0, -2) }) }, { keyId: 'key_1', threshold: 2, ephemeralKeys: [registered] }), 'MALFORMED_FRAME', 'short signature');
  });

  it('signgen messages: only v0.7 account-abstraction userOps; factory and paymaster absent count as empty', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const decoded = decodeSignMessage(b64(signgenMessage({ ...userOp, factoryData: '0x' }, 10)));
    assert.equal(decoded.chainId, 10);
    assert.equal(decoded.userOperation.factory, undefined);
    assert.throws(() => decodeSignMessage(b64(JSON.stringify({ message: '{}', requestType: 'rawBytes' }))), (e: CompatError) => e.code === 'UNSUPPORTED');
    assert.throws(() => decodeSignMessage(b64(signgenMessage(userOp, 1).replace('v0.7.0', 'v0.6.0'))), (e: CompatError) => e.code === 'UNSUPPORTED');
    assert.throws(() => decodeSignMessage(b64(signgenMessage({ ...userOp, nonce: 'five' }, 1))), (e: CompatError) => e.code === 'MALFORMED_FRAME' && /nonce/.test(e.message));
    assert.throws(() => decodeSignMessage(b64('not json')), (e: CompatError) => e.code === 'MALFORMED_FRAME');
    // The client's hexlify writes a zero JS number as "0x" and leaves nulls: same numbers, same hash.
    const odd = decodeSignMessage(b64(signgenMessage({ ...userOp, nonce: '0x', preVerificationGas: '0x05000', factoryData: null }, 1)));
    assert.equal(odd.userOperation.nonce, '0x0');
    assert.equal(odd.userOperation.preVerificationGas, '0x5000');
  });

  it('addEphemeralKey: accepts the client library frames; a tampered key id or claim is refused', async () => {
    const next = await newEphemeralKey();
    const c = challenge();
    const prepared = await prepareAddEphemeralKey({ owner, eph: next, keyId: 'key_1', n: 3 });
    const r = { setup: prepared.setup, challenge: c, auth: await prepared.authenticate(c) };
    const checked = await checkAddEphemeralKey(r);
    assert.equal(checked.signer, owner.address);
    assert.equal(checked.keyId, 'key_1');
    assert.equal(checked.ephemeralKey.ephId, next.ephId);
    await refused(checkAddEphemeralKey({ ...r, setup: r.setup.replaceAll('key_1', 'key_2') }), 'UNAUTHORIZED', 'key id changed');
    await refused(checkAddEphemeralKey({ ...r, setup: r.setup.replace('"value":"key_1"', '"value":"key_2"') }), 'MALFORMED_FRAME', 'metadata key id differs');
  });

  it('results are formatted the way the client parses them', () => {
    assert.equal(keygenResult('key_ab', `0x02${'11'.repeat(32)}`), `key_id=key_ab:public_key=02${'11'.repeat(32)}`);
    assert.throws(() => keygenResult('key_ab', `0x04${'11'.repeat(64)}`), /compressed/);
    assert.throws(() => keygenResult('a:b', `0x02${'11'.repeat(32)}`), /must not contain/);
    const sig = `0x${'ab'.repeat(64)}1c` as Hex;
    assert.equal(signgenResult(sig), `sign=${'ab'.repeat(64)}:recid=1`);
    assert.throws(() => signgenResult(`0x${'ab'.repeat(64)}05`), /27 or 28/);
  });

  it('a close reason fits a control frame', () => {
    const close = closeOf(new CompatError('UNAUTHORIZED', 'x'.repeat(300)));
    assert.ok(Buffer.byteLength(close.reason) <= 123);
    assert.match(close.reason, /^UNAUTHORIZED: x+\.\.\.$/);
    assert.equal(close.closeCode, 1008);
  });

  it('every error closes with the code the registry gives it', () => {
    assert.equal(closeOf(new CompatError('MALFORMED_FRAME', 'm')).closeCode, 1007);
    assert.equal(closeOf(new CompatError('UNSUPPORTED', 'u')).closeCode, 1003);
    assert.equal(closeOf(new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, 'q', { reason: 'quorum_unavailable' })).closeCode, 1013);
    assert.equal(closeOf(new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, 'b', { reason: 'peer_banned', code: 'PEER_BANNED' })).code, 'PEER_BANNED');
    assert.equal(closeOf(new RpcError(RpcErrorCode.INVALID_PARAMS, 'p', { reason: 'invalid_field' })).closeCode, 1003);
    assert.deepEqual(closeOf(new Error('secret detail')), { code: 'INTERNAL', closeCode: 1011, reason: 'INTERNAL: internal error' });
  });
});
