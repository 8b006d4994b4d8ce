// Derived keys through real node processes (2-of-3): an operator creates a master key with
// `dan-node master create`; keyGen then derives keys from it (Y = X + eps*G, eps bound to the
// owner and key id) next to isolated keys (isolated: true, a DKG of their own); derived keys sign
// from the master's one pool on re-randomized presignatures (the final R is none of the pooled
// ones). Then node 0 is called directly by a peer holding node 2's identity (a malicious
// coordinator, and a cheating co-signer): it binds a presignature to one use only, refuses plain
// node.sign on a derived key and another owner's request, refuses openings that another binding
// signed (split view), and names node 2 when node 2 opens a seed that is not the one it committed to.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, hexToBytes, keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { DEVNET_NETWORK } from '../../src/cli/devnet.ts';
import type { DanClient } from '../../src/client/index.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { RemoteError } from '../../src/net/errors.ts';
import { loadIdentity, nodeSigner } from '../../src/net/identity.ts';
import { PeerNetwork, type Operator } from '../../src/net/network.ts';
import { NodeMethod, signBindStatement, type SignBindReply } from '../../src/node/api.ts';
import type { KeyGenResult } from '../../src/rpc/index.ts';
import { deriveTweak, derivedPublicKey } from '../../src/tss/index.ts';
import { restartAll, signAll, cli } from '../byzantine/helpers.ts';
import { startCluster, waitConnected, type Cluster } from '../helpers/cluster.ts';
import { assertRefused, signed } from '../helpers/security.ts';

const owner = privateKeyToAccount(generatePrivateKey());
const owner2 = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const digestOf = (tag: string) => keccak256(toHex(`derived ${tag} ${randomUUID()}`));

describe('derived keys, 2-of-3', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let client: DanClient;
  let master: { keyId: string; publicKey: Hex; threshold: number; nodes: string[] };
  let derived: KeyGenResult;
  let isolated: KeyGenResult;
  let other: KeyGenResult; // owner2's derived key

  before(async () => {
    cluster = await startCluster({ nodes: 3, threshold: 2 });
    client = cluster.client(owner);
  });
  after(() => cluster?.cleanup());

  it('dan-node master create makes a master key; master list shows it', () => {
    const home = cluster.nodes[0].home;
    assert.match(cli(['master', '--help']).stdout, /Usage: dan-node master create/);
    const created = cli(['master', 'create', '--home', home, '--threshold', '2']);
    assert.equal(created.status, 0, created.stderr);
    master = JSON.parse(created.stdout);
    assert.match(master.keyId, /^master_[0-9a-f]{32}$/);
    assert.equal(master.threshold, 2);
    assert.deepEqual(master.nodes, cluster.nodes.map((n) => n.peerId));
    const listed = cli(['master', 'list', '--home', home, '--json']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout).map((m: { keyId: string }) => m.keyId), [master.keyId]);
    const bad = cli(['master', 'create', '--home', home, '--threshold', '4']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /threshold must be an integer in 2\.\.3/);
  });

  it('keyGen derives Y = X + eps*G by default (eps bound to owner and key id); isolated: true runs a DKG', async () => {
    derived = await client.keyGen({ threshold: 2 });
    assert.equal(derived.derivedFrom, master.keyId);
    const tweak = deriveTweak({ network: DEVNET_NETWORK, masterPublicKey: hexToBytes(master.publicKey), owner: hexToBytes(owner.address), path: derived.keyId });
    assert.equal(derived.publicKey, bytesToHex(derivedPublicKey(hexToBytes(master.publicKey), tweak)));
    isolated = await client.keyGen({ threshold: 2, isolated: true });
    assert.equal(isolated.derivedFrom, undefined);
    const wouldBe = deriveTweak({ network: DEVNET_NETWORK, masterPublicKey: hexToBytes(master.publicKey), owner: hexToBytes(owner.address), path: isolated.keyId });
    assert.notEqual(isolated.publicKey, bytesToHex(derivedPublicKey(hexToBytes(master.publicKey), wouldBe)));
    other = await cluster.client(owner2).keyGen({ threshold: 2 });
    assert.equal(other.derivedFrom, master.keyId);
    const second = await client.keyGen({ threshold: 2 });
    assert.equal(new Set([derived.publicKey, other.publicKey, second.publicKey, isolated.publicKey, master.publicKey]).size, 5, 'every key differs');
    // Every party holds the record (dan_getKey reads the coordinator's own node first).
    assert.equal((await client.getKey(derived.keyId)).derivedFrom, master.keyId);
    assert.deepEqual((await client.listKeys()).keys.map((k) => k.keyId).sort(), [derived.keyId, isolated.keyId, second.keyId].sort());
  });

  it('derived and isolated keys sign side by side; a derived signature never uses a pooled R', async () => {
    // The pooled nonce points of the master, read from every store with the nodes stopped.
    await Promise.all(cluster.nodes.map((_, i) => cluster.kill(i, 'SIGTERM')));
    const pooled = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const store = await cluster.openStore(i);
      for (const p of await store.listPresignatures(master.keyId)) pooled.add(secp256k1.Point.fromHex(p.noncePoint!).toAffine().x.toString(16));
      await store.close();
    }
    assert.ok(pooled.size > 0, 'the master has pooled presignatures');
    await restartAll(cluster, client, false);
    for (let i = 0; i < 8; i++) {
      const digest = digestOf(`side ${i}`);
      const sig = await client.sign({ keyId: derived.keyId, digest });
      assert.equal(await recoverAddress({ hash: digest, signature: sig.signature }), derived.address);
      assert.ok(!pooled.has(BigInt(sig.r).toString(16)), `signature ${i}: r is no pooled R`);
    }
    await signAll(client, isolated.keyId, isolated.address, 3, 'isolated');
    await signAll(cluster.client(owner2), other.keyId, other.address, 3, 'owner2');
    // Only the master has a pool: derived keys have none of their own.
    assert.deepEqual((await client.presignStatus(derived.keyId)).keyId, derived.keyId);
  });

  describe('node 0, called directly by a peer holding node 2 identity', () => {
    let peer: PeerNetwork | undefined;
    let node0 = '';
    let node2 = '';
    let sign2: ReturnType<typeof nodeSigner>;
    const call = <T = unknown>(method: string, body: unknown) => peer!.call<T>(node0, method, body, 8000);
    /** Master presignatures in node 0's pool for signers [0, 2]. */
    const pooled = async (): Promise<string[]> => {
      const { presignatures } = await call<{ presignatures: { id: string; signers: number[] }[] }>(NodeMethod.presignatures, { keyId: master.keyId });
      return presignatures.filter((p) => p.signers.join() === '0,2').map((p) => p.id);
    };
    const used = new Set<string>();
    const take = async (): Promise<string> => {
      const id = (await pooled()).find((x) => !used.has(x));
      assert.ok(id, 'node 0 holds a presignature for signers 0 and 2');
      used.add(id);
      return id;
    };
    const signRequest = async (account = owner, keyId = derived.keyId, digest = digestOf('direct')) => ({ kind: 'digest' as const, request: await signed(account, 'dan_sign', { keyId, digest, requestId: randomUUID() }) });

    before(async () => {
      await cluster.kill(2);
      const home = cluster.nodes[2].home;
      const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as { listen: string[]; operators: Operator[] };
      const { privateKey, peerId } = loadIdentity(join(home, 'identity.key'));
      node0 = cluster.nodes[0].peerId;
      node2 = peerId;
      sign2 = nodeSigner(privateKey);
      peer = await PeerNetwork.start({ privateKey, listen: config.listen, operators: config.operators, logger: silentLogger });
    });
    after(async () => {
      await peer?.stop();
      await cluster.restart(2);
      await waitConnected(cluster, 3);
    });

    it('binds a presignature to one use: another digest, key or owner on it is refused; the same use again gets the same opening', async () => {
      const p = await take();
      const a = await signRequest();
      const opened = await call<SignBindReply>(NodeMethod.signBind, { presignatureId: p, request: a });
      assert.match(opened.seed, /^[0-9a-f]{64}$/);
      assert.deepEqual(await call<SignBindReply>(NodeMethod.signBind, { presignatureId: p, request: a }), opened, 'a retry gets the same opening');
      await assertRefused(call(NodeMethod.signBind, { presignatureId: p, request: await signRequest() }), 'PRESIGNATURE_UNAVAILABLE', 'another digest');
      await assertRefused(call(NodeMethod.signBind, { presignatureId: p, request: await signRequest(owner2, other.keyId) }), 'PRESIGNATURE_UNAVAILABLE', "another owner's key");
      // The same request id with another digest, on a fresh presignature: the request id names one digest forever.
      await assertRefused(call(NodeMethod.signBind, { presignatureId: await take(), request: { ...a, request: await signed(owner, 'dan_sign', { keyId: derived.keyId, digest: digestOf('other'), requestId: a.request.requestId }) } }), 'REQUEST_CONFLICT', 'a request id reused');
      assert.ok(!(await pooled()).includes(p), 'the presignature left the pool when it was bound');
    });

    it("refuses plain node.sign on a derived key, and a stranger's request for the owner's key, consuming nothing", async () => {
      const p = await take();
      await assertRefused(call(NodeMethod.sign, { presignatureId: p, request: await signRequest() }), 'BAD_CALL', 'node.sign on a derived key');
      await assertRefused(call(NodeMethod.signBind, { presignatureId: p, request: await signRequest(stranger) }), 'UNAUTHORIZED', "a stranger's request");
      await assertRefused(call(NodeMethod.sign, { presignatureId: p, request: { kind: 'digest', request: await signed(owner, 'dan_sign', { keyId: master.keyId, digest: digestOf('master'), requestId: randomUUID() }) } }), 'UNAUTHORIZED', 'a request for the master key itself');
      assert.ok((await pooled()).includes(p), 'the refused calls did not consume the presignature');
      used.delete(p);
    });

    it('refuses openings bound to another use (split view), and names node 2 when it opens a seed it did not commit to', async () => {
      const p = await take();
      const a = await signRequest();
      const own = await call<SignBindReply>(NodeMethod.signBind, { presignatureId: p, request: a });
      const base = { master: master.keyId, presignatureId: p, keyId: derived.keyId, signers: [0, 2], seed: bytesToHex(randomBytes(32)).slice(2) };
      const finish = (digest: string, seed = base.seed) =>
        sign2.sign(signBindStatement({ ...base, digest, seed })).then((ack) =>
          call(NodeMethod.signFinish, { presignatureId: p, keyId: derived.keyId, requestId: a.request.requestId, openings: { [node0]: own, [node2]: { seed, ack: bytesToHex(ack).slice(2) } } }),
        );
      // Node 2 signed a binding to another digest: node 0 will not sign.
      await assert.rejects(finish(digestOf('split').slice(2)), (e: unknown) => e instanceof RemoteError && e.code === 'PROTOCOL_ABORTED' && /did not bind/.test(e.message));
      // Node 2 signed the right binding, but its seed is not the one it committed to in presigning.
      await assert.rejects(finish(a.request.digest.slice(2)), (e: unknown) => e instanceof RemoteError && e.code === 'PROTOCOL_ABORTED' && /INVALID_COMMITMENT|does not open/.test(e.message));
      const logged = readFileSync(cluster.nodes[0].log, 'utf8').split('\n').filter((l) => l.includes('peer aborted a session') && l.includes(node2) && l.includes('INVALID_COMMITMENT'));
      assert.ok(logged.length > 0, 'node 0 counted the abort against node 2');
    });
  });

  it('refreshing the master keeps every derived key; a derived key itself cannot be refreshed', async () => {
    const refreshed = cli(['refresh', '--home', cluster.nodes[0].home, '--key', master.keyId]);
    assert.equal(refreshed.status, 0, refreshed.stderr);
    assert.equal((await client.getKey(derived.keyId)).publicKey, derived.publicKey);
    await signAll(client, derived.keyId, derived.address, 4, 'after refresh');
    await signAll(cluster.client(owner2), other.keyId, other.address, 2, 'owner2 after refresh');
    await assert.rejects(client.refreshKey(derived.keyId), /derived from master key/);
  });

  it('fails over: with a signer down, derived keys sign with the others', async () => {
    await cluster.kill(1);
    try {
      await signAll(client, derived.keyId, derived.address, 3, 'node 1 down');
    } finally {
      await cluster.restart(1);
      await waitConnected(cluster, 3);
    }
  });
});
