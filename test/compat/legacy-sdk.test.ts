// The published SDK's DAN actions (@biconomy/sdk 0.0.10 danActions: keyGen, sigGen, over
// @silencelaboratories/walletprovider-sdk 0.3), unmodified, with walletProviderUrl pointing at a
// devnet coordinator (real node processes, anvil with EntryPoint v0.7 / Nexus / Smart Sessions,
// alto), with a master key: the SDK's keys are derived (instant keygen, the master's shared pool).
// The SDK runs in child processes with its own pinned viem (test/fixtures/legacy-sdk).
// Also: every bad request closes the socket with a reason while the coordinator keeps serving, and
// the nodes refuse forged legacy instructions sent to them directly by a peer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, encodeFunctionData, hashTypedData, hexToBytes, http, parseAbi, parseEther, recoverAddress, recoverMessageAddress, type Address, type Hex, type PublicClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { userOperationHash } from '../../src/auth/index.ts';
import { eoaTypedData, parseKeygenSetup } from '../../src/compat/index.ts';
import { createBundlerClient, encodeCalls, encodeUseSignature, nexusNonceKey, stubSignature } from '../../src/chain/index.ts';
import { danSession, grantSessions, nexusAccount } from '../../src/index.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { RemoteError } from '../../src/net/errors.ts';
import { loadIdentity } from '../../src/net/identity.ts';
import { PeerNetwork, type Operator } from '../../src/net/network.ts';
import { NodeMethod, type SignBindReply } from '../../src/node/api.ts';
import { deriveKeyId } from '../../src/requests/index.ts';
import { DEVNET_NETWORK } from '../../src/cli/devnet.ts';
import type { UserOperationJson } from '../../src/rpc/index.ts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { get } from '../helpers/security.ts';
import {
  ensureLegacySdk,
  exchange,
  newEphemeralKey,
  prepareAddEphemeralKey,
  prepareKeygen,
  prepareSigngen,
  runDriver,
  send,
  signgenMessage,
  type EphemeralKey,
  type KeyGenData,
} from '../helpers/legacy-sdk.ts';

const counterAbi = parseAbi(['function increment()', 'function count(address) view returns (uint256)']);
const increment = encodeFunctionData({ abi: counterAbi, functionName: 'increment' });
const getNonceAbi = parseAbi(['function getNonce(address sender, uint192 key) view returns (uint256)']);

describe('the published SDK (@biconomy/sdk 0.0.10 danActions) against a devnet coordinator', { timeout: 900_000 }, () => {
  const ownerKey = generatePrivateKey();
  const owner = privateKeyToAccount(ownerKey);
  const stranger = privateKeyToAccount(generatePrivateKey());
  let cluster: Cluster;
  let url: string; // the SDK's walletProviderUrl
  let client: PublicClient;
  let chainArgs: { chainId: number; rpcUrl: string; bundlerUrl: string };
  let kg: KeyGenData; // the main key, from the SDK's keyGen
  const ephOf = (k: { ephId: string; ephSK: Hex }): EphemeralKey => ({ ephId: k.ephId, ephSK: hexToBytes(k.ephSK) });

  /** A deployed Nexus account of `owner`, funded, with a Smart Session (Counter.increment) for `keyAddress`. */
  let salt = 0n;
  async function sessionAccount(keyAddress: Address): Promise<{ account: Address; permissionId: Hex }> {
    const chain = cluster.chain!;
    const chainDef = { id: chain.chainId, name: 'devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [chain.rpcUrl] } } };
    const account = await nexusAccount(client, { contracts: chain.contracts, owner: owner.address, salt: `0x${(++salt).toString(16).padStart(64, '0')}` });
    const funder = createWalletClient({ account: privateKeyToAccount(chain.funded[0].privateKey), chain: chainDef, transport: http(chain.rpcUrl) });
    await client.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }) });
    const { session, permissionId } = danSession({ contracts: chain.contracts, keyAddress, actions: [{ target: chain.contracts.counter, selector: increment }] });
    await grantSessions(client, { contracts: chain.contracts, chainId: chain.chainId, bundlerUrl: chain.bundlerUrl, owner, account, sessions: [session] });
    return { account: account.address, permissionId };
  }

  /** The SDK's sigGen for one Counter.increment from `account` through its Smart Session. */
  async function sigGen(keyGenData: Pick<KeyGenData, 'keyId' | 'ephId' | 'ephSK'>, s: { account: Address; permissionId: Hex }): Promise<UserOperationJson & { signature: Hex }> {
    const contracts = cluster.chain!.contracts;
    const nonce = await client.readContract({ address: contracts.entryPoint, abi: getNonceAbi, functionName: 'getNonce', args: [s.account, nexusNonceKey(contracts.smartSessions)] });
    return runDriver('siggen', {
      url,
      keyGenData,
      ...chainArgs,
      account: s.account,
      nonce: `0x${nonce.toString(16)}`,
      callData: encodeCalls([{ to: contracts.counter, data: increment }]),
      stubSignature: stubSignature(s.permissionId, 'pre-v1'),
    });
  }

  /** Wrap the SDK's signature in the pre-v1 Smart Sessions USE encoding and submit through alto. */
  async function submit(signed: UserOperationJson & { signature: Hex }, permissionId: Hex) {
    const bundler = createBundlerClient({ url: cluster.chain!.bundlerUrl });
    const q = (v: Hex) => BigInt(v);
    const hash = await bundler.sendUserOperation({
      sender: signed.sender,
      nonce: q(signed.nonce),
      callData: signed.callData,
      callGasLimit: q(signed.callGasLimit),
      verificationGasLimit: q(signed.verificationGasLimit),
      preVerificationGas: q(signed.preVerificationGas),
      maxFeePerGas: q(signed.maxFeePerGas),
      maxPriorityFeePerGas: q(signed.maxPriorityFeePerGas),
      signature: encodeUseSignature({ permissionId, signature: signed.signature, version: 'pre-v1' }),
    });
    return bundler.waitForUserOperationReceipt(hash, { timeoutMs: 60_000 });
  }

  const count = (account: Address) => client.readContract({ address: cluster.chain!.contracts.counter, abi: counterAbi, functionName: 'count', args: [account] });

  before(async () => {
    ensureLegacySdk();
    cluster = await startCluster({ nodes: 3, threshold: 2, chain: true, masterKey: true });
    const chain = cluster.chain!;
    url = `${cluster.rpcUrl.replace(/^http/, 'ws')}/v1`;
    client = createPublicClient({ transport: http(chain.rpcUrl) }) as PublicClient;
    chainArgs = { chainId: chain.chainId, rpcUrl: chain.rpcUrl, bundlerUrl: chain.bundlerUrl };
    kg = await runDriver<KeyGenData>('keygen', { url, ownerKey, ...chainArgs });
  });
  after(() => cluster?.cleanup());

  it('keyGen returns a key whose address is the distributed key the network holds', async () => {
    const info = await cluster.client(owner).getKey(kg.keyId);
    assert.equal(kg.sessionPublicKey, info.address, 'the SDK derives the address of the distributed key');
    assert.equal(`0x${kg.publicKey}`, info.publicKey);
    assert.equal(info.owner, owner.address, 'the EOA that authenticated owns the key');
    assert.deepEqual([info.threshold, info.parties], [2, 3]);
    assert.match(kg.ephSK, /^0x[0-9a-f]{64}$/);
    // The owner can use the key through the native API too: dan_sign recovers to the same address.
    const digest = `0x${randomBytes(32).toString('hex')}` as Hex;
    const sig = await cluster.client(owner).sign({ keyId: kg.keyId, digest });
    assert.equal(await recoverAddress({ hash: digest, signature: sig.signature }), kg.sessionPublicKey);
  });

  it('sigGen signs the userOp (EIP-191 over its v0.7 hash); a Nexus account with a session for the key accepts it through alto', async () => {
    const s = await sessionAccount(kg.sessionPublicKey);
    const signed = await sigGen(kg, s);
    assert.equal(signed.sender, s.account);
    const userOpHash = userOperationHash(signed, cluster.chain!.contracts.entryPoint, cluster.chain!.chainId);
    assert.equal(await recoverMessageAddress({ message: { raw: userOpHash }, signature: signed.signature }), kg.sessionPublicKey);
    const receipt = await submit(signed, s.permissionId);
    assert.equal(receipt.success, true);
    assert.equal(await count(s.account), 1n);
    // A second call through the same session (next nonce) lands too.
    const again = await submit(await sigGen(kg, s), s.permissionId);
    assert.equal(again.success, true);
    assert.equal(await count(s.account), 2n);
  });

  it('addEphemeralKey: the owner registers another ephemeral key, which then signs; a stranger cannot add one', async () => {
    const added = await runDriver<{ status: string; ephId: string; ephSK: Hex }>('addephkey', { url, ownerKey, keyId: kg.keyId, n: 3 });
    assert.equal(added.status, 'success');
    const s = await sessionAccount(kg.sessionPublicKey);
    const signed = await sigGen({ keyId: kg.keyId, ephId: added.ephId, ephSK: added.ephSK }, s);
    assert.equal((await submit(signed, s.permissionId)).success, true);
    // The first ephemeral key still works.
    assert.equal((await submit(await sigGen(kg, s), s.permissionId)).success, true);

    const byStranger = await prepareAddEphemeralKey({ owner: stranger, eph: await newEphemeralKey(), keyId: kg.keyId, n: 3 });
    const refused = await send(url, 'addEphemeralKey', byStranger);
    assert.equal(refused.code, 1008);
    assert.match(refused.reason, /^UNAUTHORIZED: only the key owner/);
    assert.equal(refused.result, undefined);
  });

  describe('bad requests close the socket with a reason; the coordinator keeps serving', () => {
    const signgen = async (eph: EphemeralKey, keyId = kg.keyId) =>
      prepareSigngen({ eph, keyId, t: 2, message: signgenMessage({ sender: stranger.address, nonce: '0x0', callData: '0x', callGasLimit: '0x1', verificationGasLimit: '0x1', preVerificationGas: '0x1', maxFeePerGas: '0x1', maxPriorityFeePerGas: '0x1' }, cluster.chain!.chainId) });
    const closed = (x: { code: number; reason: string; result?: string }, code: number, reason: RegExp, what: string) => {
      assert.equal(x.result, undefined, `${what}: no result`);
      assert.equal(x.code, code, `${what}: close code (reason ${x.reason})`);
      assert.match(x.reason, reason, what);
    };

    it('a wrong EOA signature (keygen)', async () => {
      const eph = await newEphemeralKey();
      const claimsOwner = await prepareKeygen({ owner: stranger, eph, t: 2, n: 3, claimedSigner: owner.address });
      closed(await send(url, 'keygen', claimsOwner), 1008, /^UNAUTHORIZED: the EOA signature was not made by credentials.id/, 'stranger claims owner');
      const honest = await prepareKeygen({ owner, eph, t: 2, n: 3 });
      closed(await send(url, 'keygen', honest, { setup: (s) => s.replace('"t":2', '"t":3') }), 1008, /^UNAUTHORIZED/, 't changed after signing');
    });

    it('a wrong ephemeral signature, or one by a key not registered with this key id (signgen)', async () => {
      const impostor = await newEphemeralKey(kg.ephId); // same ephId, another key
      const x = await send(url, 'signgen', await signgen(impostor));
      assert.match(x.challenge ?? '', /^[0-9a-f]{64}$/, 'the setup was fine: a challenge came');
      closed(x, 1008, /^UNAUTHORIZED: the ephemeral signature does not verify/, 'impostor key');
      closed(await send(url, 'signgen', await signgen(await newEphemeralKey())), 1008, /^UNAUTHORIZED: ephemeral key .* is not registered/, 'unregistered ephId');
      closed(await send(url, 'signgen', await signgen(ephOf(kg)), { setup: (s) => s.replace(/"message":"[^"]+"/, `"message":"${Buffer.from('{"message":"{}","requestType":"accountAbstractionTx"}').toString('base64')}"`) }), 1008, /^UNAUTHORIZED/, 'message swapped');
    });

    it('an expired ephemeral key (the SDK itself and a raw client)', async () => {
      const short = await runDriver<KeyGenData>('keygen', { url, ownerKey, ...chainArgs, duration: 2 });
      await new Promise((r) => setTimeout(r, 3000));
      const s = { account: stranger.address, permissionId: `0x${'00'.repeat(32)}` as Hex };
      await assert.rejects(
        runDriver('siggen', { url, keyGenData: short, ...chainArgs, account: s.account, nonce: '0x0', callData: '0x', stubSignature: '0x', properties: ['fees', 'gas', 'nonce'], gas: { callGasLimit: '0x1', verificationGasLimit: '0x1', preVerificationGas: '0x1', maxFeePerGas: '0x1', maxPriorityFeePerGas: '0x1' } }),
        /Incorrect protocol state/,
        'the SDK sees the closed socket',
      );
      closed(await send(url, 'signgen', await signgen(ephOf(short), short.keyId)), 1008, /^EXPIRED: ephemeral key .* expired at/, 'raw client');
    });

    it('an unknown key id (no challenge is sent)', async () => {
      await assert.rejects(runDriver('siggen', { url, keyGenData: { ...kg, keyId: 'key_00000000000000000000000000000000' }, ...chainArgs, account: stranger.address, nonce: '0x0', callData: '0x', stubSignature: '0x', properties: ['fees', 'gas', 'nonce'], gas: { callGasLimit: '0x1', verificationGasLimit: '0x1', preVerificationGas: '0x1', maxFeePerGas: '0x1', maxPriorityFeePerGas: '0x1' } }), /Incorrect protocol state/);
      const x = await send(url, 'signgen', await signgen(ephOf(kg), 'key_00000000000000000000000000000000'));
      assert.equal(x.challenge, undefined);
      closed(x, 1008, /^UNKNOWN_KEY: unknown key key_0+/, 'raw client');
    });

    it('malformed frames, a t or n the network cannot serve, an unknown path', async () => {
      closed(await exchange(url, 'keygen', 'hello'), 1007, /^MALFORMED_FRAME: keygen setup is not valid JSON/, 'not JSON');
      closed(await exchange(url, 'signgen', Buffer.from([1, 2, 3])), 1007, /^MALFORMED_FRAME: frames must be text/, 'binary frame');
      closed(await exchange(url, 'signgen', '{"t":2,"key_id":"k","message":"%%%"}'), 1007, /^MALFORMED_FRAME: message must be non-empty base64/, 'bad base64');
      const eph = await newEphemeralKey();
      const good = await prepareKeygen({ owner, eph, t: 2, n: 3 });
      closed(await exchange(url, 'keygen', good.setup, async () => '{"credentials":'), 1007, /^MALFORMED_FRAME: authentication is not valid JSON/, 'bad auth frame');
      closed(await send(url, 'keygen', await prepareKeygen({ owner, eph, t: 2, n: 7 })), 1003, /^UNSUPPORTED: n = 7, but this network has 3 nodes/, 'n too large');
      closed(await send(url, 'keygen', good, { setup: (s) => s.replace('"t":2', '"t":1') }), 1003, /^UNSUPPORTED: t = 1 must be at least 2/, 't too small');
      await assert.rejects(exchange(url, 'nothing', '{}'), /Unexpected server response: 404/);
    });

    after(async () => {
      // Still serving: health, and a full keyGen + sign through the SDK.
      assert.equal((await get(`${cluster.rpcUrl}/healthz`)).status, 200);
      const fresh = await runDriver<KeyGenData>('keygen', { url, ownerKey, ...chainArgs });
      const s = await sessionAccount(fresh.sessionPublicKey);
      assert.equal((await submit(await sigGen(fresh, s), s.permissionId)).success, true);
    });
  });

  describe('nodes re-check legacy requests: node 1, called directly by a peer holding node 2 identity', () => {
    let peer: PeerNetwork | undefined;
    let node1 = '';
    const call = <T = unknown>(method: string, body: unknown) => peer!.call<T>(node1, method, body, 8000);
    const refused = async (p: Promise<unknown>, code: string, what: string) => {
      await assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof RemoteError, `${what}: a remote error, got ${(e as Error)?.stack ?? e}`);
        assert.equal(e.code, code, `${what}: ${e.message}`);
        return true;
      }, what);
    };
    const challenge = () => randomBytes(32).toString('hex');
    const frames = async (prepared: { setup: string; authenticate(c: string): Promise<string> }) => {
      const c = challenge();
      return { setup: prepared.setup, challenge: c, auth: await prepared.authenticate(c) };
    };
    /** A presignature of the master key (the SDK's keys derive from it) in node 1's pool (waits for the background refill if needed). */
    const pooled = async (): Promise<string> => {
      for (let i = 0; i < 100; i++) {
        const { presignatures } = await call<{ presignatures: { id: string; signers: number[] }[] }>(NodeMethod.presignatures, { keyId: cluster.master!.keyId });
        if (presignatures.length) return presignatures[0].id;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('node 1 holds no presignature');
    };

    before(async () => {
      await cluster.kill(2);
      const home = cluster.nodes[2].home;
      const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as { listen: string[]; operators: Operator[] };
      const { privateKey } = loadIdentity(join(home, 'identity.key'));
      node1 = cluster.nodes[1].peerId;
      peer = await PeerNetwork.start({ privateKey, listen: config.listen, operators: config.operators, logger: silentLogger });
    });
    after(async () => {
      await peer?.stop();
      await cluster.restart(2);
    });

    it('refuses a keygen whose EOA signature is forged, and creates no key', async () => {
      const forged = await frames(await prepareKeygen({ owner: stranger, eph: await newEphemeralKey(), t: 2, n: 3, claimedSigner: owner.address }));
      const nodes = cluster.nodes.map((n) => n.peerId);
      await refused(call(NodeMethod.keyGen, { sessionId: `0x${randomBytes(32).toString('hex')}`, nodes, legacy: forged }), 'UNAUTHORIZED', 'forged EOA signature');
      const wouldBe = deriveKeyId(DEVNET_NETWORK, hashTypedData(eoaTypedData('keygen', parseKeygenSetup(forged.setup), forged.challenge) as Parameters<typeof hashTypedData>[0]));
      assert.equal(await call(NodeMethod.keyInfo, { keyId: wouldBe }), null, 'no key was created');
      const keys = await call<{ keyId: string; requestId: string }[]>(NodeMethod.listKeys, { owner: owner.address });
      assert.ok(keys.some((k) => k.keyId === kg.keyId));
    });

    it('refuses signgen frames with a swapped userOp or an unregistered key, consuming nothing; signs the genuine frames', async () => {
      const info = await call<{ derivation?: { master: string } }>(NodeMethod.keyInfo, { keyId: kg.keyId });
      assert.equal(info.derivation?.master, cluster.master!.keyId, "the SDK's key is derived from the master key");
      const presignatureId = await pooled();
      const userOp = { sender: stranger.address, nonce: '0x0', callData: '0x', callGasLimit: '0x1', verificationGasLimit: '0x1', preVerificationGas: '0x1', maxFeePerGas: '0x1', maxPriorityFeePerGas: '0x1' };
      const message = signgenMessage(userOp, cluster.chain!.chainId);
      const genuine = await frames(await prepareSigngen({ eph: ephOf(kg), keyId: kg.keyId, t: 2, message }));
      const other = Buffer.from(signgenMessage({ ...userOp, callData: '0xdeadbeef' }, cluster.chain!.chainId)).toString('base64');
      const swapped = { ...genuine, setup: genuine.setup.replace(/"message":"[^"]+"/, `"message":"${other}"`) };
      assert.notEqual(swapped.setup, genuine.setup);
      await refused(call(NodeMethod.signBind, { presignatureId, request: { kind: 'legacy', legacy: swapped } }), 'UNAUTHORIZED', 'userOp swapped under a captured signature');
      const unregistered = await frames(await prepareSigngen({ eph: await newEphemeralKey(), keyId: kg.keyId, t: 2, message }));
      await refused(call(NodeMethod.signBind, { presignatureId, request: { kind: 'legacy', legacy: unregistered } }), 'UNAUTHORIZED', 'unregistered ephemeral key');
      await refused(call(NodeMethod.signBind, { presignatureId, request: { kind: 'legacy', legacy: { ...genuine, challenge: 'nope' } } }), 'MALFORMED_FRAME', 'malformed challenge');
      await refused(call(NodeMethod.sign, { presignatureId, request: { kind: 'legacy', legacy: genuine } }), 'BAD_CALL', 'a plain partial for a derived key');
      const { presignatures } = await call<{ presignatures: { id: string }[] }>(NodeMethod.presignatures, { keyId: cluster.master!.keyId });
      assert.ok(presignatures.some((p) => p.id === presignatureId), 'the refusals consumed nothing');
      // The genuine frames bind the presignature (so the refusals above were about the tampering).
      const reply = await call<SignBindReply>(NodeMethod.signBind, { presignatureId, request: { kind: 'legacy', legacy: genuine } });
      assert.match(reply.seed, /^[0-9a-f]{64}$/);
    });

    it('refuses an addEphemeralKey signed by someone other than the owner', async () => {
      const byStranger = await frames(await prepareAddEphemeralKey({ owner: stranger, eph: await newEphemeralKey(), keyId: kg.keyId, n: 3 }));
      await refused(call(NodeMethod.addEphemeralKey, { legacy: byStranger }), 'UNAUTHORIZED', 'stranger');
    });

    it('refuses replayed addEphemeralKey frames at every node (an ephemeral key id is registered once)', async () => {
      const node0 = cluster.nodes[0].peerId;
      const callAt = <T = unknown>(peerId: string, method: string, body: unknown) => peer!.call<T>(peerId, method, body, 8000);
      const genuine = await frames(await prepareAddEphemeralKey({ owner, eph: await newEphemeralKey(), keyId: kg.keyId, n: 3 }));
      for (const at of [node0, node1]) assert.ok((await callAt<{ ephId: string }>(at, NodeMethod.addEphemeralKey, { legacy: genuine })).ephId, 'the owner registers it');
      for (const at of [node0, node1]) {
        await assert.rejects(callAt(at, NodeMethod.addEphemeralKey, { legacy: genuine }), (e: unknown) => e instanceof RemoteError && e.code === 'EPHEMERAL_KEY_CONFLICT', `replay at ${at}`);
      }
    });
  });
});
