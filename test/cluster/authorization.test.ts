// Every node signs exactly what its user authorized, at most once — through real node processes
// (2-of-3, nodes configured with a chain section; no chain is needed for what is tested here):
// 1. a malicious coordinator (the test process holding node 2's operator identity) asks nodes 0
//    and 1 to sign a second userOp for one dan_useDistributedPermission request: refused
//    (REQUEST_CONFLICT); inflated gas, a fee above the cap, a swapped lane, an added paymaster or
//    factory, other calls: refused; nothing is consumed by a refusal;
// 2. raw dan_sign on a key with a policy is refused (coordinator and nodes) unless the policy
//    allows raw signing, and then for the owner only;
// 3. a repeated request with a stranger's, an expired or a garbage auth gets no signature, from
//    the coordinator's memory and after a restart from its journal, and at a node on the very
//    presignature that signed it;
// 4. a request signed for another network is refused, and the same keyGen on two networks gives
//    two key ids.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, encodeFunctionData, keccak256, numberToHex, parseAbi, recoverAddress, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { encodeCalls, encodeNonce } from '../../src/chain/index.ts';
import { DEVNET_NETWORK } from '../../src/cli/devnet.ts';
import { createDanClient } from '../../src/client/index.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { loadIdentity } from '../../src/net/identity.ts';
import { PeerNetwork, type Operator } from '../../src/net/network.ts';
import { NodeMethod, type SignReply } from '../../src/node/api.ts';
import { sessionNonceKey, type SignRequest } from '../../src/requests/index.ts';
import type { DanParams, KeyGenResult, SignResult, UserOperationJson } from '../../src/rpc/index.ts';
import { startCluster, waitConnected, type Cluster } from '../helpers/cluster.ts';
import { assertRefused, assertRpcError, resultOf, rpc, signed } from '../helpers/security.ts';

const UNAUTHORIZED = -32001;
const POLICY_VIOLATION = -32006;

const CHAIN = {
  chainId: 31337,
  entryPoint: '0x0000000071727De22E5E9d8BAf0edAc6f37da032' as Address,
  smartSessions: '0x00000000002B0eCfbD0496EE71e01257dA0E37DE' as Address,
  smartSessionsVersion: 'pre-v1',
};
const ACCOUNT = privateKeyToAccount(generatePrivateKey()).address; // the smart account (never deployed here)
const TARGET = privateKeyToAccount(generatePrivateKey()).address;
const increment = encodeFunctionData({ abi: parseAbi(['function increment()']), functionName: 'increment' });
const GWEI = 1_000_000_000n;

const owner = privateKeyToAccount(generatePrivateKey());
const app = privateKeyToAccount(generatePrivateKey()); // authorized signer
const stranger = privateKeyToAccount(generatePrivateKey());
const now = () => Math.floor(Date.now() / 1000);
const rid = (tag: string) => `${tag}-${randomUUID()}`;
const digestOf = (tag: string) => keccak256(toHex(`authorization ${tag}`));

/** A userOp for `calls` on `lane`, within the caps of `permissionRequest` below unless changed. */
function userOp(o: { lane?: number; sequence?: bigint; calls?: { to: Address; data: Hex }[] } = {}): UserOperationJson {
  const calls = o.calls ?? [{ to: TARGET, data: increment }];
  return {
    sender: ACCOUNT,
    nonce: numberToHex(encodeNonce({ key: sessionNonceKey(o.lane ?? 3, CHAIN.smartSessions), sequence: o.sequence ?? 0n })),
    callData: encodeCalls(calls.map((c) => ({ ...c, value: 0n }))),
    callGasLimit: numberToHex(100_000n),
    verificationGasLimit: numberToHex(500_000n),
    preVerificationGas: numberToHex(60_000n),
    maxFeePerGas: numberToHex(2n * GWEI),
    maxPriorityFeePerGas: numberToHex(GWEI),
    signature: '0x',
  } as UserOperationJson;
}

describe('authorization: one request, one digest, only what the user signed', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let url: string;
  let key: KeyGenResult;

  const permissionRequest = (keyId: string, requestId = rid('permission')) =>
    signed(owner, 'dan_useDistributedPermission', {
      keyId,
      account: ACCOUNT,
      permissionId: bytesToHex(randomBytes(32)),
      calls: [{ to: TARGET, data: increment }],
      lane: 3,
      maxFeePerGas: numberToHex(3n * GWEI),
      maxPriorityFeePerGas: numberToHex(GWEI),
      maxCost: numberToHex(3n * GWEI * 1_000_000n), // 1M gas at the fee cap
      requestId,
    });

  before(async () => {
    cluster = await startCluster({ nodes: 3, threshold: 2, nodeConfig: () => ({ chain: CHAIN }) });
    url = cluster.rpcUrl.replace(/\/?$/, '/');
    key = await cluster.client(owner).keyGen({ threshold: 2, owner: owner.address, authorizedSigners: [app.address] });
  });
  after(() => cluster?.cleanup());

  // ---- 1. a malicious coordinator ------------------------------------------------------------------

  describe('nodes 0 and 1, asked by a peer holding node 2 identity (a malicious coordinator)', () => {
    let peer: PeerNetwork | undefined;
    const node = (i: number) => cluster.nodes[i].peerId;
    const call = <T = unknown>(i: number, method: string, body: unknown) => peer!.call<T>(node(i), method, body, 8000);
    const refused = assertRefused;
    /** Presignatures of the signer set {0, 1} that both nodes hold. */
    const shared = async (): Promise<string[]> => {
      const list = async (i: number) => (await call<{ presignatures: { id: string; signers: number[] }[] }>(i, NodeMethod.presignatures, { keyId: key.keyId })).presignatures;
      const [a, b] = await Promise.all([list(0), list(1)]);
      const atOne = new Set(b.map((p) => p.id));
      return a.filter((p) => p.signers.join() === '0,1' && atOne.has(p.id)).map((p) => p.id);
    };
    const taken = new Set<string>();
    const take = async (): Promise<string> => {
      for (let i = 0; i < 200; i++) {
        const id = (await shared()).find((x) => !taken.has(x));
        if (id) {
          taken.add(id);
          return id;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('no presignature of {0, 1} in the pools');
    };
    const sign = (i: number, presignatureId: string, request: SignRequest) => call<SignReply>(i, NodeMethod.sign, { presignatureId, request });

    before(async () => {
      // Let the pool of the signer set {0, 1} fill while node 2 is still up.
      for (let i = 0; i < 300; i++) {
        const { pools } = await cluster.client(owner).presignStatus(key.keyId);
        if ((pools.find((p) => p.signers.join() === '0,1')?.available ?? 0) >= 8) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await cluster.kill(2);
      const home = cluster.nodes[2].home;
      const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as { listen: string[]; operators: Operator[] };
      const { privateKey } = loadIdentity(join(home, 'identity.key'));
      peer = await PeerNetwork.start({ privateKey, listen: config.listen, operators: config.operators, logger: silentLogger });
    });
    after(async () => {
      await peer?.stop();
      await cluster.restart(2);
      await waitConnected(cluster, 3);
    });

    it('refuses a second userOp for one request at every node (REQUEST_CONFLICT), and repeats the first', async () => {
      const request = await permissionRequest(key.keyId);
      const [p1, p2] = [await take(), await take()];
      const first = { kind: 'permission', request, userOperation: userOp() } as const;
      const partials = await Promise.all([sign(0, p1, first), sign(1, p1, first)]);
      for (const p of partials) assert.match(p.partial, /^[0-9a-f]+$/);
      // Another userOp under the same request: the next nonce, a different digest.
      const second = { kind: 'permission', request, userOperation: userOp({ sequence: 1n }) } as const;
      for (const i of [0, 1]) await refused(sign(i, p2, second), 'REQUEST_CONFLICT', `node ${i}: second userOp, fresh presignature`);
      for (const i of [0, 1]) await refused(sign(i, p1, second), 'REQUEST_CONFLICT', `node ${i}: second userOp, the used presignature`);
      // The same userOp again (a retry) gets the same partial; the refused presignature is still there.
      assert.deepEqual(await sign(1, p1, first), partials[1]);
      assert.ok((await shared()).includes(p2), 'the refusals consumed nothing');
    });

    it('refuses a userOp outside what the user signed: gas, fees, lane, paymaster, factory, calls', async () => {
      const p = await take();
      const cases: [string, (op: UserOperationJson) => UserOperationJson, string][] = [
        ['preVerificationGas inflated to 50M', (op) => ({ ...op, preVerificationGas: numberToHex(50_000_000n) }), 'CAP_EXCEEDED'],
        ['callGasLimit inflated', (op) => ({ ...op, callGasLimit: numberToHex(2_000_000n) }), 'CAP_EXCEEDED'],
        ['maxFeePerGas above the cap', (op) => ({ ...op, maxFeePerGas: numberToHex(4n * GWEI) }), 'CAP_EXCEEDED'],
        ['tip above the cap', (op) => ({ ...op, maxPriorityFeePerGas: numberToHex(2n * GWEI) }), 'CAP_EXCEEDED'],
        ['another nonce lane', () => userOp({ lane: 4 }), 'UNAUTHORIZED'],
        ['a paymaster', (op) => ({ ...op, paymaster: TARGET, paymasterVerificationGasLimit: '0x1', paymasterPostOpGasLimit: '0x1', paymasterData: '0x' }), 'UNAUTHORIZED'],
        ['a factory', (op) => ({ ...op, factory: TARGET, factoryData: '0x1234' }), 'UNAUTHORIZED'],
        ['other calls', () => userOp({ calls: [{ to: TARGET, data: increment }, { to: TARGET, data: increment }] }), 'UNAUTHORIZED'],
        ['another account', (op) => ({ ...op, sender: TARGET }), 'UNAUTHORIZED'],
      ];
      for (const [what, change, code] of cases) {
        const request = await permissionRequest(key.keyId);
        for (const i of [0, 1]) await refused(sign(i, p, { kind: 'permission', request, userOperation: change(userOp()) }), code, `node ${i}: ${what}`);
      }
      assert.ok((await shared()).includes(p), 'nothing was consumed');
      // Within the caps it signs.
      const ok = await permissionRequest(key.keyId);
      assert.match((await sign(1, p, { kind: 'permission', request: ok, userOperation: userOp() })).partial, /^[0-9a-f]+$/);
    });

    it('refuses to sign a raw digest of a key with a policy, also when asked directly', async () => {
      const policyKey = await cluster.client(owner).keyGen({ threshold: 2, parties: [node(0), node(1)], owner: owner.address, policy: { allow: [{ target: TARGET, selector: '0xd09de08a' }] } });
      const request = await signed(owner, 'dan_sign', { keyId: policyKey.keyId, digest: digestOf('raw on policy key'), requestId: rid('raw') });
      await refused(sign(1, bytesToHex(randomBytes(32)).slice(2), { kind: 'digest', request }), 'POLICY_VIOLATION', 'raw digest, policy key');
    });
  });

  // ---- 2. raw digests and policies ----------------------------------------------------------------

  it('refuses dan_sign on a key with a policy, unless it allows raw signing, and then for its owner only', async () => {
    const policy = { allow: [{ target: TARGET, selector: '0xd09de08a' }] };
    const strict = await cluster.client(owner).keyGen({ threshold: 2, owner: owner.address, authorizedSigners: [app.address], policy });
    for (const who of [owner, app]) {
      const r = await rpc(url, 'dan_sign', await signed(who, 'dan_sign', { keyId: strict.keyId, digest: digestOf('strict'), requestId: rid('strict') }));
      assertRpcError(r, { code: POLICY_VIOLATION }, `policy key, ${who === owner ? 'owner' : 'app'}`);
    }
    const raw = await cluster.client(owner).keyGen({ threshold: 2, owner: owner.address, authorizedSigners: [app.address], policy: { ...policy, rawSigning: 'owner' } });
    const mine = await signed(owner, 'dan_sign', { keyId: raw.keyId, digest: digestOf('raw owner'), requestId: rid('raw-owner') });
    const sig = resultOf<SignResult>(await rpc(url, 'dan_sign', mine));
    assert.equal(await recoverAddress({ hash: mine.digest, signature: sig.signature }), raw.address);
    const byApp = await signed(app, 'dan_sign', { keyId: raw.keyId, digest: digestOf('raw app'), requestId: rid('raw-app') });
    assertRpcError(await rpc(url, 'dan_sign', byApp), { code: POLICY_VIOLATION }, 'rawSigning owner, app');
    // A policy key still signs the userOps its policy allows (dan_signUserOperation).
    const op = { ...userOp(), sender: ACCOUNT };
    const allowed = await signed(app, 'dan_signUserOperation', { keyId: strict.keyId, userOperation: op, entryPoint: CHAIN.entryPoint, chainId: CHAIN.chainId, requestId: rid('op') });
    assert.ok(resultOf<{ signature: Hex }>(await rpc(url, 'dan_signUserOperation', allowed)).signature);
  });

  // ---- 3. replays with a bad authorization --------------------------------------------------------

  it('gives no answer to a repeated request whose auth is a stranger\'s, expired or garbage — from memory and after a restart', async () => {
    const params = await signed(owner, 'dan_sign', { keyId: key.keyId, digest: digestOf('replayed'), requestId: rid('replayed') });
    const genuine = resultOf<SignResult>(await rpc(url, 'dan_sign', params));
    const op = await signed(owner, 'dan_signUserOperation', { keyId: key.keyId, userOperation: userOp(), entryPoint: CHAIN.entryPoint, chainId: CHAIN.chainId, requestId: rid('replayed-op') });
    const genuineOp = resultOf<{ signature: Hex }>(await rpc(url, 'dan_signUserOperation', op));
    const { auth: _a, ...unsigned } = params;
    const { auth: _b, ...unsignedOp } = op;
    const bad = async <M extends 'dan_sign' | 'dan_signUserOperation'>(method: M, p: Omit<DanParams<M>, 'auth'>) => ({
      "a stranger's": await signed(stranger, method, p as never),
      expired: await signed(owner, method, p as never, { expiry: now() - 30 }),
      garbage: { ...p, auth: { signer: owner.address, signature: bytesToHex(randomBytes(65)), expiry: now() + 300 } },
      'another network': await signed(owner, method, p as never, { network: 'elsewhere' }),
    });
    const check = async (when: string) => {
      for (const [what, replay] of Object.entries(await bad('dan_sign', unsigned))) {
        const r = await rpc(url, 'dan_sign', replay);
        assertRpcError(r, { code: UNAUTHORIZED }, `${when}: dan_sign with ${what} auth`);
        assert.ok(!r.text.includes(genuine.signature.slice(2, 40)), `${when}: no signature leaked`);
      }
      for (const [what, replay] of Object.entries(await bad('dan_signUserOperation', unsignedOp))) {
        const r = await rpc(url, 'dan_signUserOperation', replay);
        assertRpcError(r, { code: UNAUTHORIZED }, `${when}: dan_signUserOperation with ${what} auth`);
        assert.ok(!r.text.includes(genuineOp.signature.slice(2, 40)), `${when}: no signature leaked`);
      }
      // The genuine request (still valid) gets the same answer: nothing was signed twice.
      assert.equal(resultOf<SignResult>(await rpc(url, 'dan_sign', params)).signature, genuine.signature, `${when}: genuine retry`);
    };
    await check('from memory');
    await cluster.kill(0);
    await cluster.restart(0);
    await waitReady(url);
    await check('after a restart');
  });

  // ---- 4. network identity ------------------------------------------------------------------------

  it('refuses a request signed for another network; one keyGen on two networks gives two keys', async () => {
    const other = await startCluster({ nodes: 2, threshold: 2, nodeProcess: () => ({ env: { DAN_NODE_NETWORK: 'network-b' } }) });
    try {
      const urlB = other.rpcUrl.replace(/\/?$/, '/');
      assert.deepEqual(resultOf(await rpc(urlB, 'dan_network', {})), { network: 'network-b' });
      assert.deepEqual(resultOf(await rpc(url, 'dan_network', {})), { network: DEVNET_NETWORK });
      const unsigned = { threshold: 2, parties: 2, owner: owner.address, requestId: rid('two-networks') };
      // Signed for this devnet, sent to network B: refused, no key made.
      const forA = await signed(owner, 'dan_keyGen', unsigned);
      assertRpcError(await rpc(urlB, 'dan_keyGen', forA), { code: UNAUTHORIZED, reason: 'bad_signature' }, 'devnet request on network B');
      const forB = await signed(owner, 'dan_keyGen', unsigned, { network: 'network-b' });
      assertRpcError(await rpc(url, 'dan_keyGen', forB), { code: UNAUTHORIZED, reason: 'bad_signature' }, 'network B request on the devnet');
      // Each signed for its own network: two keys, two ids.
      const onA = resultOf<KeyGenResult>(await rpc(url, 'dan_keyGen', forA));
      const onB = resultOf<KeyGenResult>(await rpc(urlB, 'dan_keyGen', forB));
      assert.notEqual(onA.keyId, onB.keyId);
      // A sign request for the devnet key, replayed to network B: refused.
      const sign = await signed(owner, 'dan_sign', { keyId: onB.keyId, digest: digestOf('cross'), requestId: rid('cross') });
      assertRpcError(await rpc(urlB, 'dan_sign', sign), { code: UNAUTHORIZED }, 'devnet-signed dan_sign on network B');
      const client = createDanClient({ url: urlB, account: owner });
      assert.equal(await client.network(), 'network-b');
      const ok = await client.sign({ keyId: onB.keyId, digest: digestOf('cross') });
      assert.equal(await recoverAddress({ hash: digestOf('cross'), signature: ok.signature }), onB.address);
    } finally {
      await other.cleanup();
    }
  });
});


async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(new URL('readyz', url))).status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the coordinator did not come back');
}
